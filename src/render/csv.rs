//! CSV as spreadsheets want it: UTF-8 with a BOM (Excel then reads Japanese correctly), CRLF-free
//! `\n` rows, and a guard against formula injection — a cell starting with `=`, `+`, `-`, `@`,
//! tab or CR is prefixed with `'`, because audit text is typed by users, some of them hostile.

use std::borrow::Cow;

/// Prefixes a cell that a spreadsheet would run as a formula: one starting with `=`, `+`, `-`,
/// `@`, tab or CR, with their full-width forms (`＝＋－＠`: Japanese Excel's IME turns them into
/// the ASCII operators), also behind leading invisible characters (BOM, zero-width spaces and
/// joiners, word joiner), which Excel skips.
pub fn guard(cell: &str) -> Cow<'_, str> {
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

    /// Appends a row of cells already made (no copy).
    pub fn row_owned(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
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
        let mut writer = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::Any(b'\n'))
            .from_writer(out);
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

    #[test]
    fn bom_and_quoting() {
        let mut t = CsvTable::new(&["a", "b"], true);
        t.row(["x,y", "=1+1"]);
        assert_eq!(t.to_csv(), "\u{feff}a,b\n\"x,y\",'=1+1\n".as_bytes());
        let t = CsvTable::new(&["a"], false);
        assert_eq!(t.to_csv(), b"a\n");
    }
}
