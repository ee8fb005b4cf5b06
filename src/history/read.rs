//! Reading the history back: which months a tenant has, and one month's partition of a table.
//! Partitions are pruned by their path (tenant and month folders) before any file is opened;
//! each file is then a polars lazy scan of only the columns asked for, so a damaged file costs
//! its own month and nothing else.

use crate::history::{HistoryError, SCHEMA_VERSION, partition};
pub use crate::render::trend::Cell;
use polars::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A polars value as a trend cell.
fn from_any(v: AnyValue<'_>) -> Cell {
    match v {
        AnyValue::Null => Cell::Null,
        AnyValue::Boolean(b) => Cell::Bool(b),
        AnyValue::Float64(f) => Cell::Float(f),
        AnyValue::Float32(f) => Cell::Float(f64::from(f)),
        AnyValue::String(s) => Cell::Text(s.to_string()),
        AnyValue::StringOwned(s) => Cell::Text(s.to_string()),
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

fn scan(path: &Path) -> Result<LazyFrame, HistoryError> {
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

/// The summary row of one month, by column name.
pub fn summary_row(
    dir: &Path,
    tenant: &str,
    month: &str,
) -> Result<(PathBuf, BTreeMap<String, Cell>), HistoryError> {
    let path = partition(dir, crate::history::SUMMARY, tenant, month);
    let df = read(&path)?;
    if df.height() != 1 {
        return Err(damaged(&path, format!("{} rows, not 1", df.height())));
    }
    let mut row = BTreeMap::new();
    for c in df.columns() {
        let v = c.get(0).map_err(|e| damaged(&path, e))?;
        row.insert(c.name().to_string(), from_any(v));
    }
    Ok((path, row))
}

/// Rows of one month's partition of `table`, only `columns` (missing ones are null).
pub fn rows(
    dir: &Path,
    table: &str,
    tenant: &str,
    month: &str,
    columns: &[&str],
) -> Result<Vec<Vec<Cell>>, HistoryError> {
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
    for name in columns {
        match df.column(name) {
            Ok(c) => {
                for (i, row) in out.iter_mut().enumerate() {
                    row.push(from_any(c.get(i).map_err(|e| damaged(&path, e))?));
                }
            }
            Err(_) => out.iter_mut().for_each(|r| r.push(Cell::Null)),
        }
    }
    Ok(out)
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
        let rows = rows(
            dir.path(),
            "failure_reasons",
            "t",
            "2026-10",
            &["reason", "count", "share", "category"],
        )
        .expect("read");
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
        let (_, row) = summary_row(dir.path(), "t", "2026-11").expect("read");
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
