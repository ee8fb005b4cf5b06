//! report.xlsx: every report table as a worksheet, Summary first, with typed cells (date-times,
//! dates, percentages, numbers) so that pivots and filters work without a manual "convert to
//! number" pass. Column headers stay English in both languages: they are the same interface as
//! the CSV files, only sheet names are translated.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_xlsxwriter::{ColNum, DocProperties, ExcelDateTime, Format, RowNum, Workbook, Worksheet};

use crate::catalog::Lang;
use crate::render::csv::CsvTable;

/// Tables with more data rows than this are the ones worth streaming (constant-memory mode).
const LARGE_TABLE_ROWS: usize = 10_000;

/// Column width bounds, in Excel character units: narrower hides the filter button, wider makes
/// a sheet of long messages unreadable.
const MIN_WIDTH: usize = 8;
const MAX_WIDTH: usize = 60;

/// Excel's limit on the text of one cell (UTF-16 code units), and on a sheet name.
const MAX_CELL_UTF16: usize = 32_767;
const MAX_SHEET_NAME_UTF16: usize = 31;

/// Columns that hold identifiers or prose: digits in them are codes, not quantities (a UPN
/// pseudonym, an `hr=` code or a file name of digits must not turn into a number).
const TEXT_COLUMNS: &[&str] = &[
    "user",
    "correlation_id",
    "code",
    "error_code",
    "onprem_error_code",
    "tracking_id",
    "location",
    "reason",
    "message",
    "methods",
    "registered_methods",
    "evidence",
    "licenses",
    "display_name",
    "name",
    "file",
];

/// Builds report.xlsx from the report's tables, in the order given (the first must be
/// `summary.csv`, which becomes the Summary sheet). `created` is written as the workbook's
/// creation time so the same report gives the same bytes.
///
/// Sheet names follow `lang`; column headers and cell contents do not. Cells are typed by column
/// name and content: timestamps in `*_at`/`*_until`/`*_start`/`time`/`first`/`last` columns
/// become date-times (the local wall-clock time, offset dropped), `date` columns dates, `share`
/// and `*_rate` columns percentages, other numeric cells numbers, and everything else text —
/// never a formula.
pub fn workbook(
    tables: &[(&str, &CsvTable)],
    lang: Lang,
    created: NaiveDateTime,
) -> Result<Vec<u8>, String> {
    match tables.first() {
        Some((name, _)) if *name == "summary.csv" => {}
        Some((name, _)) => {
            return Err(format!(
                "report.xlsx: the first table must be summary.csv, not {name}"
            ));
        }
        None => return Err("report.xlsx: no tables to write".to_string()),
    }

    let mut workbook = Workbook::new();
    // The default creation time is "now", which would make every run's bytes differ.
    let created = excel_datetime(created)
        .ok_or_else(|| format!("report.xlsx: creation time {created} is outside Excel's range"))?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));

    let formats = Formats::new();
    let mut taken: Vec<String> = Vec::new();
    for (name, table) in tables {
        let sheet_name = unique_name(&sheet_name(name, lang), &taken);
        taken.push(sheet_name.clone());
        let sheet = add_sheet(&mut workbook, table.rows().len())?;
        sheet
            .set_name(&sheet_name)
            .map_err(|e| format!("report.xlsx, {name}: {e}"))?;
        write_table(sheet, table, &formats).map_err(|e| format!("report.xlsx, {name}: {e}"))?;
    }
    workbook.save_to_buffer().map_err(|e| e.to_string())
}

/// Adds the worksheet for a table of `rows` data rows.
///
/// [`write_table`] writes in the only order a constant-memory worksheet accepts (layout first,
/// then rows top to bottom, each left to right), so streaming large tables is confined to here.
fn add_sheet(workbook: &mut Workbook, rows: usize) -> Result<&mut Worksheet, String> {
    if rows <= LARGE_TABLE_ROWS {
        return Ok(workbook.add_worksheet());
    }
    // A large table streams to a temporary file row by row instead of holding every cell in
    // memory; its rows are written strictly in order, as that mode requires.
    workbook
        .add_worksheet_with_constant_memory()
        .map_err(|e| e.to_string())
}

/// The cell formats shared by every sheet.
struct Formats {
    header: Format,
    datetime: Format,
    date: Format,
    percent: Format,
}

impl Formats {
    fn new() -> Self {
        Formats {
            header: Format::new().set_bold(),
            datetime: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            percent: Format::new().set_num_format("0.0%"),
        }
    }
}

/// Sheet name of a report table: a translated name for the known tables, else the file stem.
fn sheet_name(table: &str, lang: Lang) -> String {
    let file = table.rsplit(['/', '\\']).next().unwrap_or(table);
    let stem = file.strip_suffix(".csv").unwrap_or(file);
    let known = match (stem, lang) {
        ("summary", Lang::En) => "Summary",
        ("summary", Lang::Ja) => "概要",
        ("flows", Lang::En) => "Flows",
        ("flows", Lang::Ja) => "フロー",
        ("daily", Lang::En) => "Daily",
        ("daily", Lang::Ja) => "日別",
        ("failure_reasons", Lang::En) => "Failure reasons",
        ("failure_reasons", Lang::Ja) => "失敗理由",
        ("throttling", Lang::En) => "Throttling",
        ("throttling", Lang::Ja) => "スロットリング",
        ("registrations", Lang::En) => "Registrations",
        ("registrations", Lang::Ja) => "登録",
        ("license_gaps", Lang::En) => "License gaps",
        ("license_gaps", Lang::Ja) => "ライセンス不足",
        ("rejects", Lang::En) => "Rejects",
        ("rejects", Lang::Ja) => "拒否レコード",
        ("writeback_events", Lang::En) => "Writeback events",
        ("writeback_events", Lang::Ja) => "ライトバック イベント",
        ("writeback_health", Lang::En) => "Writeback health",
        ("writeback_health", Lang::Ja) => "ライトバック状況",
        ("inputs", Lang::En) => "Inputs",
        ("inputs", Lang::Ja) => "入力ファイル",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    // Excel rejects these characters and a leading or trailing apostrophe in sheet names.
    let cleaned: String = stem
        .chars()
        .map(|c| match c {
            '*' | '?' | ':' | '[' | ']' | '\\' | '/' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let cleaned = truncate_utf16(cleaned.trim_matches('\''), MAX_SHEET_NAME_UTF16);
    let cleaned = cleaned.trim_end_matches('\'');
    if cleaned.is_empty() {
        "Sheet".to_string()
    } else {
        cleaned.to_string()
    }
}

/// Makes `name` differ from every taken name the way Excel compares them (case-insensitively),
/// with a ` (n)` suffix that still fits in 31 characters. `History` is reserved by Excel.
fn unique_name(name: &str, taken: &[String]) -> String {
    let clashes = |candidate: &str| {
        candidate.to_lowercase() == "history"
            || taken
                .iter()
                .any(|t| t.to_lowercase() == candidate.to_lowercase())
    };
    if !clashes(name) {
        return name.to_string();
    }
    (2..)
        .map(|n| {
            let suffix = format!(" ({n})");
            let base = truncate_utf16(name, MAX_SHEET_NAME_UTF16 - suffix.len());
            format!("{}{suffix}", base.trim_end_matches('\''))
        })
        .find(|candidate| !clashes(candidate))
        .unwrap_or_else(|| name.to_string())
}

/// The longest prefix of `s` that is at most `max` UTF-16 code units (Excel's unit of length).
fn truncate_utf16(s: &str, max: usize) -> &str {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        used += c.len_utf16();
        if used > max {
            return &s[..i];
        }
    }
    s
}

/// What a column holds, decided by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Local timestamps (`2026-10-03T09:15:00+09:00`).
    Time,
    /// Calendar days (`2026-10-03`).
    Date,
    /// Fractions shown as percentages.
    Percent,
    /// Identifiers and prose: always text.
    Text,
    /// Numbers where the cell is numeric, text otherwise.
    General,
}

fn column_kind(column: &str) -> Kind {
    if column.ends_with("_at")
        || column.ends_with("_until")
        || column.ends_with("_start")
        || matches!(
            column,
            "time" | "first" | "last" | "first_record" | "last_record"
        )
    {
        Kind::Time
    } else if matches!(column, "date" | "from" | "to") || column.ends_with("_date") {
        Kind::Date
    } else if column == "share" || column.ends_with("_rate") {
        Kind::Percent
    } else if TEXT_COLUMNS.contains(&column) {
        Kind::Text
    } else {
        Kind::General
    }
}

/// A cell as it will be written.
enum Cell<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    Percent(f64),
    DateTime(ExcelDateTime),
    Date(ExcelDateTime),
}

impl Cell<'_> {
    /// How many characters wide the cell shows (CJK counting double), for column widths.
    fn display_width(&self) -> usize {
        match self {
            Cell::Empty => 0,
            Cell::Text(s) => s.lines().map(text_width).max().unwrap_or(0),
            // General format shows about 11 significant characters of a long fraction.
            Cell::Number(v) => v.to_string().len().min(11),
            Cell::Percent(v) => format!("{:.1}%", v * 100.0).len(),
            Cell::DateTime(_) => "yyyy-mm-dd hh:mm:ss".len(),
            Cell::Date(_) => "yyyy-mm-dd".len(),
        }
    }
}

/// Types one cell of a column of kind `kind`; a cell that does not fit its column's kind (a
/// note in a time column, say) falls back to a number or text rather than being lost.
fn classify(kind: Kind, raw: &str) -> Cell<'_> {
    if raw.is_empty() {
        return Cell::Empty;
    }
    match kind {
        Kind::Time => {
            if let Some(t) = parse_timestamp(raw).and_then(excel_datetime) {
                return Cell::DateTime(t);
            }
        }
        Kind::Date => {
            if let Some(d) = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .and_then(excel_date)
            {
                return Cell::Date(d);
            }
        }
        Kind::Percent => {
            return match parse_number(raw) {
                Some(v) => Cell::Percent(v),
                None => Cell::Text(raw),
            };
        }
        Kind::Text => return Cell::Text(raw),
        Kind::General => {}
    }
    match parse_number(raw) {
        Some(v) => Cell::Number(v),
        None => Cell::Text(raw),
    }
}

/// The local wall-clock time of an ISO 8601 timestamp: the report writes local times with their
/// offset, and Excel has no time zones, so the offset is dropped rather than applied.
fn parse_timestamp(raw: &str) -> Option<NaiveDateTime> {
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.naive_local())
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S%.f"))
        .ok()
}

fn excel_date(d: NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(d.year()).ok()?;
    let month = u8::try_from(d.month()).ok()?;
    let day = u8::try_from(d.day()).ok()?;
    ExcelDateTime::from_ymd(year, month, day).ok()
}

fn excel_datetime(t: NaiveDateTime) -> Option<ExcelDateTime> {
    let hour = u16::try_from(t.hour()).ok()?;
    let minute = u8::try_from(t.minute()).ok()?;
    let second = u8::try_from(t.second()).ok()?;
    // A leap second shows as nanoseconds past 1e9: keep it inside the same second.
    let milli = u16::try_from((t.nanosecond() / 1_000_000).min(999)).ok()?;
    excel_date(t.date())?
        .and_hms_milli(hour, minute, second, milli)
        .ok()
}

/// A decimal number as the report writes them (`42`, `-3`, `0.153846`, `1e-7`), or `None`.
///
/// Stricter than `f64::from_str` on purpose: `inf`, `NaN`, `+5` and `.5` stay text; so do
/// integers with leading zeros (`007` is an identifier) and integers longer than 15 digits,
/// which a spreadsheet number would silently round.
fn parse_number(raw: &str) -> Option<f64> {
    let unsigned = raw.strip_prefix('-').unwrap_or(raw).as_bytes();
    let int_len = unsigned.iter().take_while(|b| b.is_ascii_digit()).count();
    if int_len == 0 || (int_len > 1 && unsigned[0] == b'0') {
        return None;
    }
    let mut rest = &unsigned[int_len..];
    let mut plain_integer = true;
    if let Some(after_dot) = rest.strip_prefix(b".") {
        let frac_len = after_dot.iter().take_while(|b| b.is_ascii_digit()).count();
        if frac_len == 0 {
            return None;
        }
        rest = &after_dot[frac_len..];
        plain_integer = false;
    }
    if let Some(after_e) = rest.strip_prefix(b"e").or_else(|| rest.strip_prefix(b"E")) {
        let digits = after_e
            .strip_prefix(b"-")
            .or_else(|| after_e.strip_prefix(b"+"))
            .unwrap_or(after_e);
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        rest = &[];
        plain_integer = false;
    }
    if !rest.is_empty() || (plain_integer && int_len > 15) {
        return None;
    }
    raw.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Display width of text: East Asian wide and fullwidth characters take two columns.
fn text_width(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

/// The East Asian Wide/Fullwidth blocks that occur in Japanese report text (close enough for a
/// column width; not a full Unicode East Asian Width table).
fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x20000..=0x3FFFD)
}

/// Per-row column kinds: the summary's `value` column takes the kind its `metric` names, so
/// `success_rate` shows as a percentage and `first` as a date-time.
struct Kinds {
    columns: Vec<Kind>,
    metric_value: Option<(usize, usize)>,
}

impl Kinds {
    fn new(header: &[String]) -> Self {
        let position = |name: &str| header.iter().position(|h| h == name);
        Kinds {
            columns: header.iter().map(|h| column_kind(h)).collect(),
            metric_value: position("metric").zip(position("value")),
        }
    }

    fn of(&self, row: &[String], col: usize) -> Kind {
        if let Some((metric, value)) = self.metric_value
            && col == value
        {
            return row
                .get(metric)
                .map(|m| column_kind(m))
                .unwrap_or(Kind::General);
        }
        self.columns.get(col).copied().unwrap_or(Kind::General)
    }
}

/// Writes one table: layout first (widths, filter, frozen header), then the rows top to bottom,
/// which is the only order a constant-memory worksheet accepts.
fn write_table(sheet: &mut Worksheet, table: &CsvTable, formats: &Formats) -> Result<(), String> {
    let header = table.header();
    let rows = table.rows();
    let kinds = Kinds::new(header);
    let columns = rows.iter().map(Vec::len).fold(header.len(), usize::max);
    let last_row = RowNum::try_from(rows.len())
        .map_err(|_| format!("{} rows are more than a worksheet holds", rows.len()))?;

    // Widths need every cell, so they are measured in a pass of their own: typing a cell again
    // when writing it is cheaper than holding a second copy of a large table.
    let mut widths: Vec<usize> = (0..columns)
        .map(|c| {
            // Two extra characters for the filter button in the header cell.
            header.get(c).map(|h| text_width(h) + 2).unwrap_or(0)
        })
        .collect();
    for row in rows {
        for (c, raw) in row.iter().enumerate() {
            let width = classify(kinds.of(row, c), raw).display_width();
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(width);
            }
        }
    }
    for (c, width) in widths.iter().enumerate() {
        let width = (width + 1).clamp(MIN_WIDTH, MAX_WIDTH);
        // Widths are whole characters well below 2^52: the conversion is exact.
        sheet
            .set_column_width(col_num(c)?, width as f64)
            .map_err(|e| e.to_string())?;
    }
    if columns > 0 {
        sheet
            .autofilter(0, 0, last_row, col_num(columns - 1)?)
            .map_err(|e| e.to_string())?;
    }
    sheet.set_freeze_panes(1, 0).map_err(|e| e.to_string())?;

    for (c, name) in header.iter().enumerate() {
        sheet
            .write_string_with_format(0, col_num(c)?, name.as_str(), &formats.header)
            .map_err(|e| e.to_string())?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = RowNum::try_from(r + 1).map_err(|e| e.to_string())?;
        for (c, raw) in row.iter().enumerate() {
            let c_num = col_num(c)?;
            let result = match classify(kinds.of(row, c), raw) {
                Cell::Empty => continue,
                Cell::Text(s) => sheet.write_string(r, c_num, truncate_utf16(s, MAX_CELL_UTF16)),
                Cell::Number(v) => sheet.write_number(r, c_num, v),
                Cell::Percent(v) => sheet.write_number_with_format(r, c_num, v, &formats.percent),
                Cell::DateTime(t) => {
                    sheet.write_datetime_with_format(r, c_num, &t, &formats.datetime)
                }
                Cell::Date(d) => sheet.write_datetime_with_format(r, c_num, &d, &formats.date),
            };
            result.map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

fn col_num(c: usize) -> Result<ColNum, String> {
    ColNum::try_from(c).map_err(|_| format!("{} columns are more than a worksheet holds", c + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    use std::io::Cursor;

    fn created() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 2)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
    }

    fn summary() -> CsvTable {
        let mut t = CsvTable::new(&["section", "metric", "value"], true);
        t.row(["sspr", "flows", "12"]);
        t.row(["sspr", "success_rate", "0.75"]);
        t.row(["coverage", "first", "2026-10-01T00:05:00+09:00"]);
        t.row(["tenant", "name", "12345"]);
        t.row(["sspr", "abandon_rate", ""]);
        t
    }

    fn flows() -> CsvTable {
        let mut t = CsvTable::new(
            &[
                "correlation_id",
                "user",
                "started_at",
                "date",
                "records",
                "note",
            ],
            true,
        );
        t.row([
            "0001",
            "12345",
            "2026-10-03T09:15:00+09:00",
            "2026-10-03",
            "3",
            "=1+1",
        ]);
        t.row(["0002", "taro@contoso.co.jp", "", "", "", "0.5"]);
        t
    }

    fn reasons() -> CsvTable {
        let mut t = CsvTable::new(&["code", "reason", "count", "share"], true);
        t.row([
            "0x80230626",
            "パスワードが複雑さの要件を満たしていません",
            "1",
            "0.25",
        ]);
        t.row(["31001", "", "3", "0.75"]);
        t
    }

    fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
        open_workbook_from_rs(Cursor::new(bytes)).unwrap()
    }

    #[test]
    fn sheets_in_order_with_translated_names() {
        let (s, f, r) = (summary(), flows(), reasons());
        let tables = [
            ("summary.csv", &s),
            ("flows.csv", &f),
            ("failure_reasons.csv", &r),
            ("writeback_events.csv", &r),
            ("some_future_table_with_a_long_name.csv", &r),
        ];
        let mut en = open(workbook(&tables, Lang::En, created()).unwrap());
        assert_eq!(
            en.sheet_names(),
            [
                "Summary",
                "Flows",
                "Failure reasons",
                "Writeback events",
                "some_future_table_with_a_long_n"
            ]
        );
        let mut ja = open(workbook(&tables, Lang::Ja, created()).unwrap());
        assert_eq!(
            ja.sheet_names(),
            [
                "概要",
                "フロー",
                "失敗理由",
                "ライトバック イベント",
                "some_future_table_with_a_long_n"
            ]
        );
        // Headers stay English in Japanese workbooks: they are an interface.
        for book in [&mut en, &mut ja] {
            let names = book.sheet_names();
            let range = book.worksheet_range(&names[1]).unwrap();
            let header: Vec<String> = range
                .rows()
                .next()
                .unwrap()
                .iter()
                .map(|d| d.to_string())
                .collect();
            assert_eq!(
                header,
                [
                    "correlation_id",
                    "user",
                    "started_at",
                    "date",
                    "records",
                    "note"
                ]
            );
        }
    }

    #[test]
    fn first_table_must_be_summary() {
        let f = flows();
        assert!(workbook(&[("flows.csv", &f)], Lang::En, created()).is_err());
        assert!(workbook(&[], Lang::En, created()).is_err());
    }

    #[test]
    fn cells_are_typed() {
        let (s, f, r) = (summary(), flows(), reasons());
        let tables = [
            ("summary.csv", &s),
            ("flows.csv", &f),
            ("failure_reasons.csv", &r),
        ];
        let mut book = open(workbook(&tables, Lang::En, created()).unwrap());

        let flows = book.worksheet_range("Flows").unwrap();
        // Identifiers and users of digits stay text; leading zeros survive.
        assert_eq!(flows.get_value((1, 0)), Some(&Data::String("0001".into())));
        assert_eq!(flows.get_value((1, 1)), Some(&Data::String("12345".into())));
        match flows.get_value((1, 2)) {
            Some(Data::DateTime(t)) => assert_eq!(
                t.as_datetime(),
                NaiveDate::from_ymd_opt(2026, 10, 3)
                    .unwrap()
                    .and_hms_opt(9, 15, 0)
            ),
            other => panic!("started_at: {other:?}"),
        }
        match flows.get_value((1, 3)) {
            Some(Data::DateTime(d)) => assert_eq!(
                d.as_datetime(),
                NaiveDate::from_ymd_opt(2026, 10, 3)
                    .unwrap()
                    .and_hms_opt(0, 0, 0)
            ),
            other => panic!("date: {other:?}"),
        }
        assert_eq!(flows.get_value((1, 4)), Some(&Data::Float(3.0)));
        // Never a formula.
        assert_eq!(flows.get_value((1, 5)), Some(&Data::String("=1+1".into())));
        assert_eq!(flows.get_value((2, 5)), Some(&Data::Float(0.5)));
        // Empty cells are not written.
        assert!(matches!(flows.get_value((2, 2)), None | Some(Data::Empty)));

        let reasons = book.worksheet_range("Failure reasons").unwrap();
        assert_eq!(reasons.get_value((1, 3)), Some(&Data::Float(0.25)));
        assert_eq!(
            reasons.get_value((2, 0)),
            Some(&Data::String("31001".into()))
        );
        assert_eq!(reasons.get_value((2, 2)), Some(&Data::Float(3.0)));
        let styles = book.worksheet_style("Failure reasons").unwrap();
        let percent = styles.get((1, 3)).and_then(|s| s.number_format.as_ref());
        assert_eq!(percent.map(|f| f.format_code.as_str()), Some("0.0%"));
        let bold = styles.get((0, 0)).and_then(|s| s.font.as_ref());
        assert!(bold.is_some_and(|f| f.is_bold()));

        let summary = book.worksheet_range("Summary").unwrap();
        assert_eq!(summary.get_value((1, 2)), Some(&Data::Float(12.0)));
        assert_eq!(summary.get_value((2, 2)), Some(&Data::Float(0.75)));
        assert!(matches!(summary.get_value((3, 2)), Some(Data::DateTime(_))));
        assert_eq!(
            summary.get_value((4, 2)),
            Some(&Data::String("12345".into()))
        );
        let styles = book.worksheet_style("Summary").unwrap();
        let rate = styles.get((2, 2)).and_then(|s| s.number_format.as_ref());
        assert_eq!(rate.map(|f| f.format_code.as_str()), Some("0.0%"));
    }

    #[test]
    fn same_input_same_bytes() {
        let (s, f) = (summary(), flows());
        let tables = [("summary.csv", &s), ("flows.csv", &f)];
        let a = workbook(&tables, Lang::Ja, created()).unwrap();
        let b = workbook(&tables, Lang::Ja, created()).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn large_table() {
        let s = summary();
        let mut big = CsvTable::new(&["time", "event_id", "message"], true);
        for i in 0..10_001 {
            big.row([
                format!("2026-10-03T{:02}:{:02}:00+09:00", (i / 60) % 24, i % 60),
                "31001".to_string(),
                format!("message {i}"),
            ]);
        }
        let tables = [("summary.csv", &s), ("writeback_events.csv", &big)];
        let mut book = open(workbook(&tables, Lang::En, created()).unwrap());
        let range = book.worksheet_range("Writeback events").unwrap();
        assert_eq!(range.height(), 10_002);
        assert!(matches!(
            range.get_value((10_001, 0)),
            Some(Data::DateTime(_))
        ));
        assert_eq!(range.get_value((10_001, 1)), Some(&Data::Float(31001.0)));
        assert_eq!(
            range.get_value((10_001, 2)),
            Some(&Data::String("message 10000".into()))
        );
    }

    #[test]
    fn numbers_are_parsed_strictly() {
        assert_eq!(parse_number("42"), Some(42.0));
        assert_eq!(parse_number("-3"), Some(-3.0));
        assert_eq!(parse_number("0"), Some(0.0));
        assert_eq!(parse_number("0.153846"), Some(0.153846));
        assert_eq!(parse_number("1e-7"), Some(1e-7));
        for text in [
            "",
            "-",
            "007",
            "+5",
            ".5",
            "5.",
            "inf",
            "NaN",
            "1e",
            "12a",
            "1234567890123456",
        ] {
            assert_eq!(parse_number(text), None, "{text}");
        }
    }

    #[test]
    fn names_and_widths() {
        assert_eq!(sheet_name("a[b]:c.csv", Lang::En), "a_b__c");
        assert_eq!(sheet_name("'quoted'.csv", Lang::En), "quoted");
        assert_eq!(sheet_name(".csv", Lang::Ja), "Sheet");
        let taken = vec!["Flows".to_string()];
        assert_eq!(unique_name("flows", &taken), "flows (2)");
        assert_eq!(unique_name("History", &[]), "History (2)");
        assert_eq!(text_width("abc"), 3);
        assert_eq!(text_width("失敗理由"), 8);
        assert_eq!(truncate_utf16("ab😀c", 3), "ab");
    }
}
