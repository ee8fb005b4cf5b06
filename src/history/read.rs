//! Reading the history back: which months a tenant has, and one month's partition of a table.
//! Partitions are pruned by their path (tenant and month folders) before any file is opened;
//! each file is then a polars lazy scan of only the columns asked for, so a damaged file costs
//! its own month and nothing else.

use crate::history::{HistoryError, SCHEMA_VERSION, partition};
pub use crate::render::trend::Cell;
use polars::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Most rows of one partition that is read back. `trend` reads the summary (one row a month)
/// and failure_reasons (a few hundred at most: one per distinct reason and source); a file
/// beyond this is not one sspr-report wrote, and is refused like a damaged one.
pub const MAX_ROWS: usize = 10_000;

/// Most columns of one partition read back (the summary has about a hundred).
pub const MAX_COLUMNS: usize = 1_024;

/// Most bytes of one partition, on disk and uncompressed as its footer declares. A month's
/// tables that trend reads are kilobytes; 2,000 rows of a 1 MiB reason compress to 50 KB and
/// used to take 10 GB to read and render.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Most text (bytes, after the cut to [`MAX_TEXT`]) read from one partition: a few hundred
/// reasons take kilobytes. One reason repeated in 2,000 rows is 2.7 KB as Parquet (stored
/// once) and still 32 MiB after the cut, written again into each output file.
pub const MAX_TEXT_BYTES: usize = 8 * 1024 * 1024;

/// Longest text cell kept (bytes): the 16 KiB cut every input field gets as it is read
/// (`ingest::record::MAX_TEXT`, a layer the history does not import), so a month read back
/// holds no text a report could not have written.
pub const MAX_TEXT: usize = 16 * 1024;

/// A text cell cut to [`MAX_TEXT`] bytes (at a character boundary); counts the cut in `cut`.
fn text_cell(s: &str, cut: &mut usize) -> Cell {
    if s.len() <= MAX_TEXT {
        return Cell::Text(s.to_string());
    }
    *cut += 1;
    let mut end = MAX_TEXT;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    Cell::Text(s[..end].to_string())
}

/// A polars value as a trend cell, text cut to [`MAX_TEXT`] (cuts counted in `cut`).
fn cell(v: AnyValue<'_>, cut: &mut usize) -> Cell {
    match v {
        AnyValue::String(s) => text_cell(s, cut),
        AnyValue::StringOwned(s) => text_cell(&s, cut),
        other => from_any(other),
    }
}

/// A polars value as a trend cell.
fn from_any(v: AnyValue<'_>) -> Cell {
    match v {
        AnyValue::Null => Cell::Null,
        AnyValue::Boolean(b) => Cell::Bool(b),
        AnyValue::Float64(f) => Cell::Float(f),
        AnyValue::Float32(f) => Cell::Float(f64::from(f)),
        AnyValue::String(s) => text_cell(s, &mut 0),
        AnyValue::StringOwned(s) => text_cell(&s, &mut 0),
        other if other.is_integer() => other.extract::<i64>().map_or(Cell::Null, Cell::Int),
        other => Cell::Text(other.to_string()),
    }
}

/// Months (`YYYY-MM`) of `tenant` that have a partition of `table`, oldest first.
pub fn months(dir: &Path, table: &str, tenant: &str) -> Vec<String> {
    let folder = dir.join(table).join(format!("tenant={tenant}"));
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return Vec::new();
    };
    let mut out: Vec<String> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let month = name.strip_prefix("month=")?.to_string();
            let valid = is_month(&month);
            (valid && e.path().join("part-0.parquet").is_file()).then_some(month)
        })
        .collect();
    out.sort();
    out
}

/// Whether a folder's month is a real `YYYY-MM`.
fn is_month(text: &str) -> bool {
    let parts = text
        .split_once('-')
        .filter(|(y, m)| y.len() == 4 && m.len() == 2);
    parts.is_some_and(|(y, m)| match (y.parse(), m.parse()) {
        (Ok(y), Ok(m)) => crate::time::Period::month(y, m).is_some(),
        _ => false,
    })
}

/// Tenants (`tenant=NAME` folders) that have a summary, sorted.
pub fn tenants(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir.join(crate::history::SUMMARY)) else {
        return Vec::new();
    };
    let mut out: Vec<String> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_prefix("tenant=").map(str::to_string)
        })
        .collect();
    out.sort();
    out
}

fn damaged(path: &Path, e: impl std::fmt::Display) -> HistoryError {
    HistoryError::Damaged {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Refuses a partition too large for what sspr-report writes, from its size on disk and its
/// footer, before any of its data is read.
fn check_bounds(path: &Path) -> Result<(), HistoryError> {
    let file = std::fs::File::open(path).map_err(|e| damaged(path, e))?;
    let size = file.metadata().map_err(|e| damaged(path, e))?.len();
    if size > MAX_BYTES {
        return Err(too_large(path, format!("{size} bytes on disk")));
    }
    let mut reader = ParquetReader::new(file);
    let meta = reader.get_metadata().map_err(|e| damaged(path, e))?;
    if meta.num_rows > MAX_ROWS {
        return Err(too_large(path, format!("{} rows", meta.num_rows)));
    }
    let columns = meta.schema().columns().len();
    if columns > MAX_COLUMNS {
        return Err(too_large(path, format!("{columns} columns")));
    }
    let declared: u64 = meta
        .row_groups
        .iter()
        .flat_map(|g| g.parquet_columns())
        .map(|c| u64::try_from(c.uncompressed_size()).unwrap_or(u64::MAX))
        .fold(0, u64::saturating_add);
    if declared > MAX_BYTES {
        return Err(too_large(path, format!("{declared} bytes uncompressed")));
    }
    Ok(())
}

fn too_large(path: &Path, what: String) -> HistoryError {
    damaged(
        path,
        format!(
            "{what}: far more than a month's table that sspr-report writes \
             (at most {MAX_ROWS} rows, {MAX_COLUMNS} columns, {} MiB, {} MiB of text); not read",
            MAX_BYTES / (1024 * 1024),
            MAX_TEXT_BYTES / (1024 * 1024)
        ),
    )
}

fn scan(path: &Path) -> Result<LazyFrame, HistoryError> {
    check_bounds(path)?;
    let args = ScanArgsParquet {
        // The month and tenant are in the path; the files hold only their own columns.
        hive_options: HiveOptions {
            enabled: Some(false),
            ..Default::default()
        },
        ..Default::default()
    };
    let text = path
        .to_str()
        .ok_or_else(|| damaged(path, "path is not UTF-8"))?;
    LazyFrame::scan_parquet(PlRefPath::new(text), args).map_err(|e| damaged(path, e))
}

/// Reads a partition file, checking its `schema_version` first.
pub fn read(path: &Path) -> Result<DataFrame, HistoryError> {
    let df = scan(path)?.collect().map_err(|e| damaged(path, e))?;
    version_of(path, &df)?;
    Ok(df)
}

/// Refuses a partition whose `schema_version` is not this build's.
pub fn check_version(path: &Path) -> Result<(), HistoryError> {
    let df = scan(path)?
        .select([col("schema_version")])
        .collect()
        .map_err(|e| damaged(path, e))?;
    version_of(path, &df)
}

fn version_of(path: &Path, df: &DataFrame) -> Result<(), HistoryError> {
    let column = df
        .column("schema_version")
        .map_err(|_| damaged(path, "no schema_version column"))?;
    for i in 0..column.len() {
        let v = column.get(i).map_err(|e| damaged(path, e))?;
        if from_any(v.clone()) != Cell::Int(i64::from(SCHEMA_VERSION)) {
            return Err(HistoryError::UnknownSchema {
                path: path.to_path_buf(),
                found: v.to_string(),
            });
        }
    }
    Ok(())
}

/// The summary row of one month, by column name, with how many text cells were cut to
/// [`MAX_TEXT`].
pub fn summary_row(
    dir: &Path,
    tenant: &str,
    month: &str,
) -> Result<(PathBuf, BTreeMap<String, Cell>, usize), HistoryError> {
    let path = partition(dir, crate::history::SUMMARY, tenant, month);
    let df = read(&path)?;
    if df.height() != 1 {
        return Err(damaged(&path, format!("{} rows, not 1", df.height())));
    }
    let (mut row, mut cut) = (BTreeMap::new(), 0);
    for c in df.columns() {
        let v = c.get(0).map_err(|e| damaged(&path, e))?;
        row.insert(c.name().to_string(), cell(v, &mut cut));
    }
    Ok((path, row, cut))
}

/// Rows of one month's partition of `table`, only `columns` (missing ones are null), with how
/// many text cells were cut to [`MAX_TEXT`].
pub fn rows(
    dir: &Path,
    table: &str,
    tenant: &str,
    month: &str,
    columns: &[&str],
) -> Result<(Vec<Vec<Cell>>, usize), HistoryError> {
    let path = partition(dir, table, tenant, month);
    let mut scan = scan(&path)?;
    let schema = scan.collect_schema().map_err(|e| damaged(&path, e))?;
    // Only the columns asked for are read (a month's flows can be large).
    let mut wanted: Vec<Expr> = columns
        .iter()
        .filter(|c| schema.get(c).is_some())
        .map(|c| col(*c))
        .collect();
    wanted.push(col("schema_version"));
    let df = scan
        .select(wanted)
        .collect()
        .map_err(|e| damaged(&path, e))?;
    version_of(&path, &df)?;
    let mut out = vec![Vec::with_capacity(columns.len()); df.height()];
    let (mut cut, mut text) = (0, 0);
    for name in columns {
        match df.column(name) {
            Ok(c) => {
                for (i, row) in out.iter_mut().enumerate() {
                    let v = cell(c.get(i).map_err(|e| damaged(&path, e))?, &mut cut);
                    if let Cell::Text(t) = &v {
                        text += t.len();
                    }
                    if text > MAX_TEXT_BYTES {
                        return Err(too_large(&path, format!("over {text} bytes of text")));
                    }
                    row.push(v);
                }
            }
            Err(_) => out.iter_mut().for_each(|r| r.push(Cell::Null)),
        }
    }
    Ok((out, cut))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{MonthData, write_month};
    use crate::render::csv::CsvTable;

    fn write_v2(path: &Path) {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        let mut df = DataFrame::new_infer_height(vec![
            Column::new("sspr_flows".into(), [1i64]),
            Column::new("schema_version".into(), [2i32]),
        ])
        .expect("frame");
        let file = std::fs::File::create(path).expect("create");
        ParquetWriter::new(file).finish(&mut df).expect("write");
    }

    #[test]
    fn a_partition_of_another_schema_version_is_refused_by_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = partition(dir.path(), crate::history::SUMMARY, "t", "2026-10");
        write_v2(&path);
        let err = summary_row(dir.path(), "t", "2026-10").expect_err("refused");
        assert!(matches!(err, HistoryError::UnknownSchema { .. }), "{err}");
        let text = err.to_string();
        assert!(
            text.contains("month=2026-10") && text.contains("schema_version 2"),
            "{text}"
        );
        // Nor does a run overwrite it.
        let before = std::fs::read(&path).expect("read");
        let summary = serde_json::json!({"sspr": {"flows": 3}});
        let data = MonthData {
            month: "2026-10".into(),
            summary: &summary,
            tables: &[],
            complete: true,
        };
        let err = write_month(dir.path(), "t", &data).expect_err("refused");
        assert!(matches!(err, HistoryError::UnknownSchema { .. }), "{err}");
        assert_eq!(std::fs::read(&path).expect("read"), before);
    }

    #[test]
    fn a_table_reads_back_typed_with_only_the_columns_asked_for() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut reasons = CsvTable::new(&["source", "reason", "count", "share"], false);
        reasons.row(["cloud", "text-0123456789ab", "4", "0.5"]);
        reasons.row(["onprem", "", "2", ""]);
        let tables = [("failure_reasons.csv", reasons)];
        let summary = serde_json::json!({"sspr": {"flows": 8}});
        let data = MonthData {
            month: "2026-10".into(),
            summary: &summary,
            tables: &tables,
            complete: true,
        };
        write_month(dir.path(), "t", &data).expect("written");
        let (rows, cut) = rows(
            dir.path(),
            "failure_reasons",
            "t",
            "2026-10",
            &["reason", "count", "share", "category"],
        )
        .expect("read");
        assert_eq!(cut, 0);
        assert_eq!(
            rows,
            vec![
                vec![
                    Cell::Text("text-0123456789ab".into()),
                    Cell::Int(4),
                    Cell::Float(0.5),
                    Cell::Null
                ],
                vec![Cell::Null, Cell::Int(2), Cell::Null, Cell::Null],
            ]
        );
    }

    #[test]
    fn a_written_month_reads_back_with_nulls_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let summary = serde_json::json!({"sspr": {"flows": 3, "failure_rate": null}});
        let data = MonthData {
            month: "2026-11".into(),
            summary: &summary,
            tables: &[],
            complete: false,
        };
        write_month(dir.path(), "t", &data).expect("written");
        let (_, row, _) = summary_row(dir.path(), "t", "2026-11").expect("read");
        assert_eq!(row["sspr_flows"], Cell::Int(3));
        assert_eq!(row["sspr_failure_rate"], Cell::Null);
        assert_eq!(row["complete"], Cell::Bool(false));
        assert_eq!(
            months(dir.path(), crate::history::SUMMARY, "t"),
            ["2026-11"]
        );
        assert_eq!(tenants(dir.path()), ["t"]);
    }
}
