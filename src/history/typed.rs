//! Report tables as typed columns: times as UTC timestamps, dates as dates, counts as integers,
//! rates and shares as doubles, everything else text; an empty cell is null, not "".

use crate::history::SCHEMA_VERSION;
use crate::render::csv::CsvTable;
use chrono::{DateTime, NaiveDate};
use polars::prelude::*;
use serde_json::Value;

/// The type of a report column, by its name (names mean the same in every table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text.
    Text,
    /// A count.
    Int,
    /// A rate or share.
    Float,
    /// A local date.
    Date,
    /// An instant, stored in UTC.
    Time,
}

/// The type of the column `name` of a report table.
pub fn kind(name: &str) -> Kind {
    match name {
        "started_at"
        | "ended_at"
        | "first_blocked_at"
        | "last_blocked_at"
        | "blocked_until"
        | "busiest_window_start"
        | "first_at"
        | "last_at"
        | "time"
        | "snapshot_updated_at" => Kind::Time,
        "date" => Kind::Date,
        "share" => Kind::Float,
        "records"
        | "flows"
        | "count"
        | "block_events"
        | "max_flows_in_window"
        | "flows_in_period"
        | "events"
        | "distinct_methods"
        | "repeat_events"
        | "snapshot_rows"
        | "event_id"
        | "requests"
        | "succeeded"
        | "failed"
        | "service_stops"
        | "outage_minutes"
        | "connectivity_errors"
        | "config_errors" => Kind::Int,
        _ => Kind::Text,
    }
}

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()
}

/// One column of text cells as a typed column. A cell that does not parse as its type is null
/// (the report wrote it, so that would be a bug; null keeps the month readable).
fn column(name: &str, cells: &[&str]) -> PolarsResult<Column> {
    typed_column(name, kind(name), cells)
}

fn typed_column(name: &str, kind: Kind, cells: &[&str]) -> PolarsResult<Column> {
    let present = |c: &&str| !c.is_empty();
    Ok(match kind {
        Kind::Text => {
            let v: Vec<Option<&str>> = cells.iter().map(|c| present(c).then_some(*c)).collect();
            Column::new(name.into(), v)
        }
        Kind::Int => {
            let v: Vec<Option<i64>> = cells.iter().map(|c| c.parse().ok()).collect();
            Column::new(name.into(), v)
        }
        Kind::Float => {
            let v: Vec<Option<f64>> = cells.iter().map(|c| c.parse().ok()).collect();
            Column::new(name.into(), v)
        }
        Kind::Date => {
            let v: Vec<Option<i32>> = cells
                .iter()
                .map(|c| {
                    let d = NaiveDate::parse_from_str(c, "%Y-%m-%d").ok()?;
                    i32::try_from((d - epoch()).num_days()).ok()
                })
                .collect();
            Column::new(name.into(), v).cast(&DataType::Date)?
        }
        Kind::Time => {
            let v: Vec<Option<i64>> = cells
                .iter()
                .map(|c| {
                    DateTime::parse_from_rfc3339(c)
                        .ok()
                        .map(|t| t.timestamp_micros())
                })
                .collect();
            // Not a cast: without polars' `timezones` feature a cast drops the zone.
            Int64Chunked::from_iter_options(name.into(), v.into_iter())
                .into_datetime(TimeUnit::Microseconds, Some(TimeZone::UTC))
                .into_series()
                .into()
        }
    })
}

fn version_column(rows: usize) -> Column {
    Column::new("schema_version".into(), vec![SCHEMA_VERSION; rows])
}

/// A report table as a typed frame, with `schema_version`.
pub fn table_frame(table: &CsvTable) -> PolarsResult<DataFrame> {
    let rows = table.rows();
    let mut columns = Vec::with_capacity(table.header().len() + 1);
    for (i, name) in table.header().iter().enumerate() {
        let cells: Vec<&str> = rows
            .iter()
            .map(|r| r.get(i).map(String::as_str).unwrap_or(""))
            .collect();
        columns.push(column(name, &cells)?);
    }
    columns.push(version_column(rows.len()));
    DataFrame::new_infer_height(columns)
}

/// Whether the summary key (flattened) holds a rate or a duration in seconds: a double even
/// when it is null or a whole number.
fn float_key(key: &str) -> bool {
    key.ends_with("_rate") || key.ends_with("_seconds")
}

/// summary.json flattened to `section_metric` leaves, in the document's order. Numbers and
/// `null` are kept as they are; lists of texts become one text per line; lists of objects
/// (coverage sources) are left to summary.json.
pub fn flatten(value: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    flatten_into("", value, &mut out);
    out
}

fn flatten_into(prefix: &str, value: &Value, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}_{k}")
                };
                flatten_into(&key, v, out);
            }
        }
        Value::Array(items) if items.iter().all(Value::is_string) => {
            let lines: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            out.push((prefix.to_string(), Value::String(lines.join("\n"))));
        }
        Value::Array(_) => {}
        other => out.push((prefix.to_string(), other.clone())),
    }
}

/// The summary row of a month: every leaf of summary.json, `complete`, `schema_version`.
pub fn summary_frame(summary: &Value, complete: bool) -> PolarsResult<DataFrame> {
    let mut columns = Vec::new();
    for (key, v) in flatten(summary) {
        let name = key.as_str();
        let col = match v {
            Value::Bool(b) => Column::new(name.into(), [b]),
            Value::String(s) if key == "period_from" || key == "period_to" => {
                typed_column(name, Kind::Date, &[s.as_str()])?
            }
            Value::String(s) => Column::new(name.into(), [s]),
            Value::Number(n) if float_key(name) || n.is_f64() => {
                Column::new(name.into(), [n.as_f64()])
            }
            Value::Number(n) => Column::new(name.into(), [n.as_i64()]),
            _ if float_key(name) => Column::new(name.into(), [None::<f64>]),
            // A null count (no on-prem log): unknown, not zero.
            _ => Column::new(name.into(), [None::<i64>]),
        };
        columns.push(col);
    }
    columns.push(Column::new("complete".into(), [complete]));
    columns.push(version_column(1));
    DataFrame::new_infer_height(columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_become_typed_values() {
        let mut t = CsvTable::new(&["date", "started_at", "count", "share", "user"], false);
        t.row(["2026-10-03", "2026-10-03T09:15:00+09:00", "7", "0.25", ""]);
        let df = table_frame(&t).expect("frame");
        let dtypes: Vec<DataType> = df.dtypes();
        assert_eq!(
            dtypes,
            vec![
                DataType::Date,
                DataType::Datetime(TimeUnit::Microseconds, Some(TimeZone::UTC)),
                DataType::Int64,
                DataType::Float64,
                DataType::String,
                DataType::Int32,
            ]
        );
        let started = df.column("started_at").expect("col");
        let micros = started.cast(&DataType::Int64).expect("cast");
        // 09:15 in Tokyo is 00:15 UTC.
        assert_eq!(
            micros.i64().expect("i64").get(0),
            Some(1_790_986_500_000_000)
        );
        assert_eq!(df.column("user").expect("col").null_count(), 1);
    }

    #[test]
    fn summary_nulls_stay_null_and_rates_are_doubles() {
        let v: Value = serde_json::json!({
            "period": {"from": "2026-10-01", "to": "2026-10-31", "timezone": "UTC"},
            "sspr": {"flows": 3, "success_rate": null, "failure_rate": 1.0},
            "writeback": {"requests": null},
            "coverage": {"warnings": ["a", "b"], "sources": [{"x": 1}]}
        });
        let df = summary_frame(&v, false).expect("frame");
        let names: Vec<&str> = df.get_column_names().iter().map(|n| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "period_from",
                "period_to",
                "period_timezone",
                "sspr_flows",
                "sspr_success_rate",
                "sspr_failure_rate",
                "writeback_requests",
                "coverage_warnings",
                "complete",
                "schema_version"
            ]
        );
        let col = |n: &str| df.column(n).expect(n).clone();
        assert_eq!(col("period_from").dtype(), &DataType::Date);
        assert_eq!(col("sspr_success_rate").dtype(), &DataType::Float64);
        assert_eq!(col("sspr_success_rate").null_count(), 1);
        assert_eq!(col("writeback_requests").dtype(), &DataType::Int64);
        assert_eq!(col("writeback_requests").null_count(), 1);
        assert_eq!(col("sspr_flows").i64().expect("i64").get(0), Some(3));
        assert_eq!(
            col("sspr_failure_rate").f64().expect("f64").get(0),
            Some(1.0)
        );
        assert_eq!(
            col("coverage_warnings").str().expect("str").get(0),
            Some("a\nb")
        );
        assert_eq!(col("complete").bool().expect("bool").get(0), Some(false));
    }
}
