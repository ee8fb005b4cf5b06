//! CSV as spreadsheets want it: UTF-8 with a BOM (Excel then reads Japanese correctly), CRLF-free
//! `\n` rows, and a guard against formula injection — a cell starting with `=`, `+`, `-`, `@`,
//! tab or CR is prefixed with `'`, because audit text is typed by users, some of them hostile.

use std::borrow::Cow;

/// Prefixes a cell that a spreadsheet would run as a formula.
pub fn guard(cell: &str) -> Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// Builds one CSV file in memory (report tables are small: aggregated or one row per flow).
pub struct CsvTable {
    writer: ::csv::Writer<Vec<u8>>,
}

impl CsvTable {
    /// Starts a table with its header row.
    pub fn new(header: &[&str], bom: bool) -> Self {
        let buf = if bom {
            vec![0xEF, 0xBB, 0xBF]
        } else {
            Vec::new()
        };
        let mut writer = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::Any(b'\n'))
            .from_writer(buf);
        // Writing into a Vec cannot fail.
        let _ = writer.write_record(header);
        CsvTable { writer }
    }

    /// Appends a row; every cell goes through [`guard`].
    pub fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let guarded: Vec<String> = cells
            .into_iter()
            .map(|c| guard(c.as_ref()).into_owned())
            .collect();
        let _ = self.writer.write_record(&guarded);
    }

    /// The file's bytes.
    pub fn finish(self) -> Vec<u8> {
        self.writer.into_inner().unwrap_or_default()
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
        assert_eq!(guard(""), "");
    }

    #[test]
    fn bom_and_quoting() {
        let mut t = CsvTable::new(&["a", "b"], true);
        t.row(["x,y", "=1+1"]);
        assert_eq!(t.finish(), "\u{feff}a,b\n\"x,y\",'=1+1\n".as_bytes());
        let t = CsvTable::new(&["a"], false);
        assert_eq!(t.finish(), b"a\n");
    }
}
