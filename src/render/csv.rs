//! CSV as spreadsheets want it: UTF-8 with a BOM (Excel then reads Japanese correctly), CRLF-free
//! `\n` rows, and a guard against formula injection — a cell starting with `=`, `+`, `-`, `@`,
//! tab or CR is prefixed with `'`, because audit text is typed by users, some of them hostile.

use std::borrow::Cow;

/// Prefixes a cell that a spreadsheet would run as a formula: one starting with `=`, `+`, `-`,
/// `@`, tab or CR, with their full-width forms (`＝＋－＠`: Japanese Excel's IME turns them into
/// the ASCII operators), also behind leading invisible characters (BOM, zero-width spaces and
/// joiners, word joiner), which Excel skips.
pub fn guard(cell: &str) -> Cow<'_, str> {
    // Every invisible character above is beyond ASCII: an ASCII first byte is the first
    // visible character (most cells, and this is called for each).
    if let Some(&first) = cell.as_bytes().first()
        && first.is_ascii()
    {
        return match first {
            b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r' => Cow::Owned(format!("'{cell}")),
            _ => Cow::Borrowed(cell),
        };
    }
    let invisible = |c: char| {
        matches!(
            c,
            '\u{feff}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2060}'
                | '\u{061c}'
                | '\u{180e}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
    };
    match cell.chars().find(|&c| !invisible(c)) {
        // The small and mathematical signs too: what a spreadsheet makes of them is not ours
        // to bet on.
        Some(
            '=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠' | '\u{fe62}'
            | '\u{fe63}' | '\u{2212}',
        ) => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// One report table, kept as text cells until it is written: as CSV here, or as a worksheet
/// or an HTML table by the other renderers, after pseudonymization if asked for. Report tables
/// are small (aggregated, or one row per flow), so holding them is cheap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvTable {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    bom: bool,
}

impl CsvTable {
    /// Starts a table with its header row; `bom` is for the CSV rendering.
    pub fn new(header: &[&str], bom: bool) -> Self {
        CsvTable {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
            bom,
        }
    }

    /// Appends a row of raw cell texts (the formula guard is applied when writing CSV).
    pub fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.rows
            .push(cells.into_iter().map(|c| c.as_ref().to_string()).collect());
    }

    /// Column names.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// Data rows.
    pub fn rows(&self) -> &[Vec<String>] {
        &self.rows
    }

    /// Rewrites every data cell (pseudonymization).
    pub fn map_cells(&mut self, mut f: impl FnMut(&str, &str) -> String) {
        for row in &mut self.rows {
            for (i, cell) in row.iter_mut().enumerate() {
                let column = self.header.get(i).map(String::as_str).unwrap_or("");
                *cell = f(column, cell);
            }
        }
    }

    /// The CSV file's bytes: BOM if asked for, `\n` rows, every cell through [`guard`].
    pub fn to_csv(&self) -> Vec<u8> {
        let mut buf = Vec::new();
        // Writing into a Vec cannot fail.
        let _ = self.write_csv(&mut buf);
        buf
    }

    /// Writes the table as CSV into `out` (a file: a large tenant's table is tens of MB).
    pub fn write_csv(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        if self.bom {
            out.write_all(&[0xEF, 0xBB, 0xBF])?;
        }
        self.write_rows(out, true)
    }

    /// Writes the data rows (and the header row when `header`) as CSV, without a BOM: a large
    /// table is written in parts.
    pub fn write_rows(&self, out: &mut dyn std::io::Write, header: bool) -> std::io::Result<()> {
        let mut writer = csv_writer(out);
        if header {
            writer.write_record(&self.header)?;
        }
        for row in &self.rows {
            for cell in row {
                writer.write_field(guard(cell).as_bytes())?;
            }
            // Ends the record (no allocation per guarded cell).
            writer.write_record(None::<&[u8]>)?;
        }
        writer.flush()
    }
}

/// The CSV writer of every report table: `\n` rows, quotes only where needed. Kept tables and
/// rows written at once go through this one, so their bytes agree by construction.
fn csv_writer<W: std::io::Write>(out: W) -> ::csv::Writer<W> {
    ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(out)
}

/// Where a report table's rows go: kept as cells ([`CsvTable`]), or written as CSV at once
/// ([`CsvRows`]: a large table's parts, without a `String` per cell).
pub trait TableRows {
    /// Appends a row of raw cell texts.
    fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>;
}

impl TableRows for CsvTable {
    fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        CsvTable::row(self, cells);
    }
}

/// A rewrite of every cell, given its column's name and text (pseudonymization).
pub type CellRewrite<'a> = &'a (dyn Fn(&str, &str) -> String + Sync);

/// Rows turned into CSV as they come, as [`CsvTable::write_rows`] would write them: every cell
/// rewritten by `rewrite` (pseudonymization, given the column's name) if set, then guarded.
pub struct CsvRows<'a> {
    header: &'a [&'a str],
    rewrite: Option<CellRewrite<'a>>,
    writer: ::csv::Writer<Vec<u8>>,
    /// The first error of the writer (a row of another width), returned by `into_bytes`.
    error: Option<::csv::Error>,
}

impl<'a> CsvRows<'a> {
    /// Starts the rows of a table of columns `header`; with `write_header`, its header row first.
    pub fn new(
        header: &'a [&'a str],
        write_header: bool,
        rewrite: Option<CellRewrite<'a>>,
    ) -> Self {
        let mut writer = csv_writer(Vec::new());
        let error = match write_header {
            true => writer.write_record(header).err(),
            false => None,
        };
        CsvRows {
            header,
            rewrite,
            writer,
            error,
        }
    }

    /// The CSV bytes of the rows so far, or the first error met writing them.
    pub fn into_bytes(self) -> std::io::Result<Vec<u8>> {
        if let Some(e) = self.error {
            return Err(e.into());
        }
        self.writer
            .into_inner()
            .map_err(|e| std::io::Error::other(e.to_string()))
    }
}

impl TableRows for CsvRows<'_> {
    fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        if self.error.is_some() {
            return;
        }
        for (i, cell) in cells.into_iter().enumerate() {
            let cell = cell.as_ref();
            let written = match self.rewrite {
                Some(rewrite) => {
                    let column = self.header.get(i).copied().unwrap_or("");
                    self.writer
                        .write_field(guard(&rewrite(column, cell)).as_bytes())
                }
                None => self.writer.write_field(guard(cell).as_bytes()),
            };
            self.error = written.err();
            if self.error.is_some() {
                return;
            }
        }
        self.error = self.writer.write_record(None::<&[u8]>).err();
    }
}

/// Formats an optional number (`null` ⇒ empty cell).
pub fn opt_num<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_guard() {
        assert_eq!(guard("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(guard("+81 90"), "'+81 90");
        assert_eq!(guard("-1"), "'-1");
        assert_eq!(guard("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(guard("\tx"), "'\tx");
        assert_eq!(guard("taro@contoso.co.jp"), "taro@contoso.co.jp");
        assert_eq!(guard("＝HYPERLINK(1)"), "'＝HYPERLINK(1)");
        assert_eq!(guard("＠SUM(A1)"), "'＠SUM(A1)");
        assert_eq!(guard("\u{feff}=1+1"), "'\u{feff}=1+1");
        assert_eq!(guard("\u{200b}\u{2060}+1"), "'\u{200b}\u{2060}+1");
        assert_eq!(guard("\u{200b}abc"), "\u{200b}abc");
        assert_eq!(guard("\u{2212}=1"), "'\u{2212}=1");
        assert_eq!(guard("\u{200e}=1"), "'\u{200e}=1");
        assert_eq!(guard(""), "");
    }

    /// Rows written at once are the rows a kept table writes: quoting, the guard (also of a
    /// rewritten cell), the header row only when asked for; a row of another width is an
    /// error in both.
    #[test]
    fn rows_written_at_once_are_the_kept_tables_rows() {
        let header = ["user", "note", "n"];
        let rows: [&[&str]; 4] = [
            &["taro@contoso.co.jp", "a,b", "1"],
            &["", "say \"hi\"\nbye", "=1+1"],
            &["\u{200b}+81", "＝x", "-"],
            &["x", "", "@SUM(A1)"],
        ];
        let rewrites: [Option<CellRewrite<'_>>; 2] = [
            None,
            Some(&|column: &str, value: &str| match column {
                "user" => format!("={value}"),
                _ => value.to_uppercase(),
            }),
        ];
        for rewrite in rewrites {
            for write_header in [false, true] {
                let mut kept = CsvTable::new(&header, false);
                let mut at_once = CsvRows::new(&header, write_header, rewrite);
                for row in rows {
                    TableRows::row(&mut kept, row.iter());
                    at_once.row(row.iter());
                }
                if let Some(rewrite) = rewrite {
                    kept.map_cells(rewrite);
                }
                let mut expected = Vec::new();
                kept.write_rows(&mut expected, write_header)
                    .expect("in memory");
                assert_eq!(at_once.into_bytes().expect("in memory"), expected);
            }
        }
        let mut short = CsvRows::new(&header, true, None);
        short.row(["only"]);
        short.row(["a", "b", "c"]);
        assert!(short.into_bytes().is_err());
        let mut kept = CsvTable::new(&header, false);
        kept.row(["only"]);
        assert!(kept.write_rows(&mut Vec::new(), true).is_err());
    }

    /// A cell starting with an ASCII character is prefixed exactly when that character is one
    /// of the six, whatever follows (the quick path for such cells).
    #[test]
    fn guard_of_every_ascii_start() {
        for b in 0u8..128 {
            for tail in ["", "x", "\u{200b}=", "＝"] {
                let cell = format!("{}{tail}", b as char);
                let prefixed = matches!(b, b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r');
                let want = match prefixed {
                    true => format!("'{cell}"),
                    false => cell.clone(),
                };
                assert_eq!(guard(&cell), want, "{b:#04x}");
            }
        }
    }

    #[test]
    fn bom_and_quoting() {
        let mut t = CsvTable::new(&["a", "b"], true);
        t.row(["x,y", "=1+1"]);
        assert_eq!(t.to_csv(), "\u{feff}a,b\n\"x,y\",'=1+1\n".as_bytes());
        let t = CsvTable::new(&["a"], false);
        assert_eq!(t.to_csv(), b"a\n");
    }
}
