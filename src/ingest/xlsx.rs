//! Tables inside an `.xlsx` workbook: an audit export opened in Excel and saved as a workbook,
//! or the portal's registration details downloaded as one. Every sheet whose header binds is
//! read; date cells become ISO text so the row goes through the same binding as a CSV row.

use crate::ingest::record::MAX_TEXT;
use crate::ingest::table::{self, TableBinding};
use calamine::{Data, DataRef, Reader, Xlsx, open_workbook};
use std::path::Path;
use std::rc::Rc;

/// One worksheet that holds a table we know.
pub struct Sheet {
    /// Sheet name.
    pub name: String,
    /// Header binding.
    pub binding: TableBinding,
    /// 1-based worksheet row number of each data row, and its cells as text. Cells share
    /// their text: a shared string used by many cells is held once (a 1 MB string in 20,000
    /// rows of a 1.4 MB workbook otherwise took 21 GB).
    pub rows: Vec<(usize, Vec<Rc<str>>)>,
    /// The first row with a cell cut to [`MAX_TEXT`] bytes, if any.
    pub first_cut: Option<usize>,
}

/// What a workbook holds.
pub enum Workbook {
    /// Sheets with known tables (at least one).
    Tables(Vec<Sheet>),
    /// No sheet holds a known table; the text says what was found.
    NoTable(String),
}

/// Text of one cell, as a CSV export would have written it.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => {
            if *b {
                "True".into()
            } else {
                "False".into()
            }
        }
        // calamine's conversion overflows (and panics) far outside Excel's date range
        // (1900-01-01 … 9999-12-31, serials 0 … 2958465): such a cell is shown as its number.
        Data::DateTime(d) if (0.0..=2_958_465.0).contains(&d.as_f64()) => d
            .as_datetime()
            .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3f").to_string())
            .unwrap_or_default(),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

std::thread_local! {
    /// Set while this thread is inside [`read`]'s `catch_unwind`.
    static READING_WORKBOOK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether a panic happens inside the workbook reader, where [`read`] catches it (fuzzing
/// found `attempt to multiply with overflow` in calamine's cell-reference parser). Any crate
/// calamine calls counts: the flag is set around the whole call, not matched by file name.
pub fn panic_is_caught(_info: &std::panic::PanicHookInfo<'_>) -> bool {
    READING_WORKBOOK.with(std::cell::Cell::get)
}

/// Installs a panic hook that stays silent for the panics [`read`] catches (their default
/// message would say the tool panicked when it did not) and passes every other to the hook
/// installed before it. Called once, at start.
pub fn quiet_caught_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !panic_is_caught(info) {
            previous(info);
        }
    }));
}

/// Reads every known table of a workbook. `Err` is a reason the file cannot be opened.
/// The zip and XML parsing is a third party's: a panic inside it on a hostile file is caught
/// and reported as an unreadable workbook instead of ending the run.
pub fn read(path: &Path) -> Result<Workbook, String> {
    READING_WORKBOOK.with(|flag| flag.set(true));
    let result = std::panic::catch_unwind(|| read_sheets(path));
    READING_WORKBOOK.with(|flag| flag.set(false));
    result.unwrap_or_else(|_| {
        Err("not a readable workbook: the xlsx reader failed on its content".into())
    })
}

/// Largest uncompressed size of a workbook's parts together. A portal export of a month's audit
/// log is far below it; a decompression bomb is far above.
pub const MAX_UNCOMPRESSED: u64 = 2 << 30;

/// Largest compression ratio of a part over 64 MiB: spreadsheet XML compresses about 10:1,
/// a bomb's filler 1000:1.
const MAX_RATIO: u64 = 200;

/// Refuses a workbook whose zip directory says it would inflate beyond the caps, before any
/// part of it is inflated. (Sizes are the directory's; a part that inflates beyond its declared
/// size is stopped by the zip reader's checksum and size checks.)
fn check_sizes(path: &Path) -> Result<u64, String> {
    let file = super::reopen(path).map_err(|e| format!("not a readable workbook: {e}"))?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|e| format!("not a readable workbook: {e}"))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let part = zip
            .by_index_raw(i)
            .map_err(|e| format!("not a readable workbook: {e}"))?;
        let (size, packed) = (part.size(), part.compressed_size().max(1));
        total = total.saturating_add(size);
        if size > 64 << 20 && size / packed > MAX_RATIO {
            return Err(format!(
                "refused as a decompression bomb: part {} would inflate from {packed} bytes to {size} uncompressed bytes",
                part.name().unwrap_or_default()
            ));
        }
    }
    if total > MAX_UNCOMPRESSED {
        return Err(format!(
            "refused: its parts would inflate to {total} uncompressed bytes, over the cap of {MAX_UNCOMPRESSED}; export the audit log as CSV instead"
        ));
    }
    Ok(total)
}

/// How much cell text a workbook may expand to: a cell that names a shared string costs some
/// 30 bytes of XML whatever the string's length, so one long string in many cells is a bomb
/// of its own. Real exports repeat short texts (services, activities): a few times their XML.
fn text_budget(uncompressed: u64) -> u64 {
    (64u64 << 20).max(uncompressed.saturating_mul(16))
}

/// A sheet's filled cells, by row (0-based) and then column, each row's cells in column order.
type SparseRows = std::collections::BTreeMap<u32, Vec<(u32, Rc<str>)>>;

/// Excel's last column is XFD (16,384 columns); a cell beyond it is not a spreadsheet's.
const MAX_COLUMNS: u32 = 16_384;

fn sparse_rows<RS: std::io::Read + std::io::Seek>(
    book: &mut Xlsx<RS>,
    name: &str,
    budget: &mut u64,
) -> Result<(SparseRows, Option<u32>), SheetError> {
    let mut reader = book.worksheet_cells_reader(name)?;
    let mut rows = SparseRows::new();
    // One copy of each shared string (by its place in calamine's table), cut once.
    let mut shared: std::collections::HashMap<usize, Rc<str>> = std::collections::HashMap::new();
    let mut first_cut = None;
    while let Some(cell) = reader.next_cell()? {
        let (row, column) = cell.get_position();
        if column >= MAX_COLUMNS {
            continue;
        }
        let (text, cut) = match cell.get_value() {
            DataRef::SharedString(s) => {
                let cut = s.len() > MAX_TEXT;
                let text = shared
                    .entry(s.as_ptr() as usize)
                    .or_insert_with(|| Rc::from(cut_text(s)))
                    .clone();
                (text, cut)
            }
            DataRef::String(s) => (Rc::from(cut_text(s)), s.len() > MAX_TEXT),
            other => (
                Rc::from(cut_text(&cell_text(&Data::from(other.clone())))),
                false,
            ),
        };
        if cut && first_cut.is_none() {
            first_cut = Some(row);
        }
        *budget = budget
            .checked_sub(text.len() as u64)
            .ok_or(SheetError::Bomb)?;
        if !text.is_empty() {
            rows.entry(row).or_default().push((column, text));
        }
    }
    for cells in rows.values_mut() {
        // Last one wins for a repeated cell, as in a range.
        cells.sort_by_key(|(c, _)| *c);
        cells.dedup_by(|later, earlier| {
            let same = later.0 == earlier.0;
            if same {
                std::mem::swap(later, earlier);
            }
            same
        });
    }
    Ok((rows, first_cut))
}

/// Why a sheet could not be read.
enum SheetError {
    /// calamine could not read it.
    Read(calamine::XlsxError),
    /// Its cells expand past the workbook's text budget.
    Bomb,
}

impl From<calamine::XlsxError> for SheetError {
    fn from(e: calamine::XlsxError) -> Self {
        SheetError::Read(e)
    }
}

/// The first [`MAX_TEXT`] bytes of a cell's text (at a character boundary): every reader cuts
/// a field there.
fn cut_text(text: &str) -> &str {
    if text.len() <= MAX_TEXT {
        return text;
    }
    let mut end = MAX_TEXT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// A sparse row as `width` cells (cells past it are dropped, missing ones empty).
fn dense(cells: Vec<(u32, Rc<str>)>, width: usize) -> Vec<Rc<str>> {
    let empty: Rc<str> = Rc::from("");
    let mut out = vec![empty; width];
    for (c, text) in cells {
        if let Some(slot) = out.get_mut(c as usize) {
            *slot = text;
        }
    }
    out
}

fn read_sheets(path: &Path) -> Result<Workbook, String> {
    let mut budget = text_budget(check_sizes(path)?);
    // The content was recognised as a zip already; the extension may say anything.
    let mut book: Xlsx<_> =
        open_workbook(path).map_err(|e| format!("not a readable workbook: {e}"))?;
    let mut sheets = Vec::new();
    let mut seen = Vec::new();
    for name in book.sheet_names() {
        // Cells are read one by one into sparse rows: calamine's whole-sheet range would
        // allocate every cell between the first and the last, which two hostile cells (A1 and
        // XFD1048576) make 17 billion — an allocation failure that aborts the process.
        let (rows, first_cut) = match sparse_rows(&mut book, &name, &mut budget) {
            Ok(r) => r,
            Err(SheetError::Bomb) => {
                return Err(
                    "refused: its cells repeat shared strings into far more text than the file holds (a workbook bomb); export the data as CSV instead"
                        .into(),
                );
            }
            Err(SheetError::Read(e)) => {
                seen.push(format!("'{name}' (unreadable: {e})"));
                continue;
            }
        };
        let mut rows = rows.into_iter();
        // The header is the first row with at least three filled cells (a title row may precede it).
        let mut binding = None;
        for (_, row) in rows.by_ref().take(10) {
            let width = row.last().map_or(0, |(c, _)| *c as usize + 1);
            let cells: Vec<String> = dense(row, width).iter().map(|c| c.to_string()).collect();
            if cells.iter().filter(|c| !c.trim().is_empty()).count() >= 3 {
                binding = table::bind_any(&cells);
                if binding.is_none() {
                    let first: Vec<_> = cells.iter().take(4).map(|c| format!("'{c}'")).collect();
                    seen.push(format!("'{name}' (columns {})", first.join(", ")));
                }
                break;
            }
        }
        let Some(binding) = binding else {
            continue;
        };
        let data = rows
            .map(|(r, row)| (r as usize + 1, dense(row, binding.width())))
            .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
            .collect();
        sheets.push(Sheet {
            name,
            binding,
            rows: data,
            first_cut: first_cut.map(|r| r as usize + 1),
        });
    }
    if sheets.is_empty() {
        let what = if seen.is_empty() {
            "no sheet with a table".to_string()
        } else {
            seen.join("; ")
        };
        return Ok(Workbook::NoTable(format!(
            "no worksheet holds an Entra audit log, registration details or licence list table: {what}"
        )));
    }
    Ok(Workbook::Tables(sheets))
}
