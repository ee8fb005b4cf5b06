//! The pivot-ready tables: flows.csv, daily.csv, failure_reasons.csv, rejects.csv, inputs.csv.

use crate::correlate::{Correlation, OnpremStatus};
use crate::metrics::Metrics;
use crate::metrics::writeback::Writeback;
use crate::model::inputs::{FileReport, Reject};
use crate::model::onprem::OnpremEvent;
use crate::model::{Accounting, Model, OnpremModel};
use crate::render::csv::{CsvTable, TableRows, opt_num};
use crate::render::sanitize::{display, display_lines};
use crate::time::local_time;

/// Columns of flows.csv: the contract's first, then `ended_at`, `records`, `last_step`.
pub const FLOWS_HEADER: [&str; 14] = [
    "correlation_id",
    "user",
    "kind",
    "outcome",
    "started_at",
    "date",
    "failure_reason",
    "reason_category",
    "onprem",
    "onprem_result",
    "onprem_error_code",
    "ended_at",
    "records",
    "last_step",
];

/// flows.csv: one row per flow.
pub fn flows(model: &Model, correlation: Option<&Correlation>, bom: bool) -> CsvTable {
    let mut t = CsvTable::new(&FLOWS_HEADER, bom);
    flow_rows(model, correlation, 0..model.flows.len(), &mut t);
    t
}

/// The rows of flows.csv for the flows `part` (a large tenant's table is written in parts).
pub fn flow_rows(
    model: &Model,
    correlation: Option<&Correlation>,
    part: std::ops::Range<usize>,
    out: &mut impl TableRows,
) {
    for (i, f) in model
        .flows
        .iter()
        .enumerate()
        .take(part.end)
        .skip(part.start)
    {
        // Without an on-prem log nothing is checked; flows that never reached writeback do not apply.
        let (status, op) = match correlation {
            Some(c) => c
                .per_flow
                .get(i)
                .copied()
                .unwrap_or((OnpremStatus::NotChecked, None)),
            None if crate::correlate::is_candidate(model, i) => (OnpremStatus::NotChecked, None),
            None => (OnpremStatus::NotApplicable, None),
        };
        let op = op.and_then(|oi| model.onprem.as_ref().and_then(|o| o.op(oi)));
        let onprem = status.as_str();
        out.row([
            f.correlation_id.as_str(),
            f.user.as_deref().unwrap_or(""),
            f.kind.as_str(),
            f.outcome.as_str(),
            &local_time(f.started_at, model.tz),
            &f.started_at
                .with_timezone(&model.tz)
                .date_naive()
                .to_string(),
            f.failure_reason.as_deref().unwrap_or(""),
            f.reason_category.map(|c| c.as_str()).unwrap_or(""),
            onprem,
            op.map(|o| o.result.as_str()).unwrap_or(""),
            op.and_then(|o| o.error_code.as_deref()).unwrap_or(""),
            &local_time(f.ended_at, model.tz),
            &f.records.len().to_string(),
            f.last_step.as_deref().unwrap_or(""),
        ]);
    }
}

/// daily.csv: date × kind × outcome, rows with flows only.
pub fn daily(metrics: &Metrics, bom: bool) -> CsvTable {
    let mut t = CsvTable::new(&["date", "kind", "outcome", "flows"], bom);
    for r in &metrics.daily {
        t.row([r.date.as_str(), &r.kind, &r.outcome, &r.flows.to_string()]);
    }
    t
}

/// failure_reasons.csv, most frequent first.
pub fn failure_reasons(metrics: &Metrics, bom: bool) -> CsvTable {
    let mut t = CsvTable::new(
        &[
            "source", "code", "reason", "category", "count", "share", "remedy",
        ],
        bom,
    );
    for r in &metrics.failure_reasons {
        t.row([
            r.source,
            &r.code,
            &r.reason,
            &r.category,
            &r.count.to_string(),
            &opt_num(r.share),
            &r.remedy,
        ]);
    }
    t
}

/// rejects.csv, sorted by file then position.
pub fn rejects(rejects: &[Reject], bom: bool) -> CsvTable {
    let mut sorted: Vec<&Reject> = rejects.iter().collect();
    sorted.sort_by(|a, b| {
        (
            a.file.as_str(),
            location_order(&a.location),
            a.reason.as_str(),
        )
            .cmp(&(
                b.file.as_str(),
                location_order(&b.location),
                b.reason.as_str(),
            ))
    });
    let mut t = CsvTable::new(&["file", "location", "reason"], bom);
    // File names and reasons quote what the inputs hold: `cat rejects.csv` must not run an
    // escape sequence planted in a file name or a first line.
    for r in sorted {
        t.row([
            display(&r.file),
            display(&r.location),
            display_lines(&r.reason),
        ]);
    }
    t
}

/// Orders `line 9` before `line 10`.
fn location_order(loc: &str) -> (String, u64, String) {
    let digits: String = loc
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    let prefix: String = loc.chars().take_while(|c| !c.is_ascii_digit()).collect();
    (prefix, digits.parse().unwrap_or(0), loc.to_string())
}

/// inputs.csv: what each file was and how its records were accounted for.
pub fn inputs(
    files: &[FileReport],
    accounting: &[Accounting],
    model: &Model,
    bom: bool,
) -> CsvTable {
    let mut t = CsvTable::new(
        &[
            "file",
            "kind",
            "format",
            "encoding",
            "records_read",
            "used",
            "out_of_scope",
            "duplicate",
            "rejected",
            "first_record",
            "last_record",
            "warnings",
        ],
        bom,
    );
    for (f, a) in files.iter().zip(accounting) {
        t.row([
            &display(&f.file.display),
            f.kind.as_str(),
            &display(&f.format),
            &f.encoding.map(|e| e.to_string()).unwrap_or_default(),
            &a.records_read.to_string(),
            &a.used.to_string(),
            &a.out_of_scope.to_string(),
            &a.duplicate.to_string(),
            &a.rejected.to_string(),
            &f.first.map(|t| local_time(t, model.tz)).unwrap_or_default(),
            &f.last.map(|t| local_time(t, model.tz)).unwrap_or_default(),
            &display_lines(&f.warnings.join("; ")),
        ]);
    }
    t
}

/// writeback_events.csv: the writeback trail of every computer, in time order.
/// `writeback_events.csv`: header only without an on-prem log (the file is part of the contract
/// on every run, so that a monthly import never misses it).
pub fn writeback_events(model: &Model, onprem: Option<&OnpremModel>, bom: bool) -> CsvTable {
    let mut t = CsvTable::new(&WRITEBACK_EVENTS_HEADER, bom);
    writeback_event_rows(model, &writeback_event_order(onprem), &mut t);
    t
}

/// The rows of writeback_events.csv for `events` (a part of [`writeback_event_order`]).
pub fn writeback_event_rows(model: &Model, events: &[&OnpremEvent], out: &mut impl TableRows) {
    for e in events {
        let parsed = &e.parsed;
        out.row([
            local_time(e.time, model.tz).as_str(),
            &e.computer,
            &e.source,
            &e.event_id.to_string(),
            e.name(),
            parsed.upn.as_deref().unwrap_or(""),
            parsed.tracking_id.as_deref().unwrap_or(""),
            parsed.hr_code.as_deref().unwrap_or(""),
            &e.message,
        ]);
    }
}

/// Columns of writeback_events.csv.
pub const WRITEBACK_EVENTS_HEADER: [&str; 9] = [
    "time",
    "computer",
    "source",
    "event_id",
    "name",
    "user",
    "tracking_id",
    "error_code",
    "message",
];

/// The events of writeback_events.csv in its order: by the second shown, then by what the row
/// says, so every export of the same log (sub-second .evtx, second-precision CSV without record
/// ids) gives the same table.
pub fn writeback_event_order(onprem: Option<&OnpremModel>) -> Vec<&OnpremEvent> {
    let Some(onprem) = onprem else {
        return Vec::new();
    };
    let rows = onprem
        .events
        .iter()
        .zip(&onprem.used)
        .filter(|(_, u)| **u)
        .map(|(e, _)| e);
    in_table_order(rows)
}

/// `events` in writeback_events.csv's order. The sort is stable, so the order of any subset
/// is that subset of the whole table's order.
pub fn in_table_order<'a>(events: impl Iterator<Item = &'a OnpremEvent>) -> Vec<&'a OnpremEvent> {
    use rayon::slice::ParallelSliceMut;
    // The second is kept beside each event: the events themselves are read only for the
    // few pairs within one second.
    let mut keyed: Vec<(i64, &OnpremEvent)> = events.map(|e| (e.time.timestamp(), e)).collect();
    keyed.par_sort_by(|(sa, a), (sb, b)| {
        sa.cmp(sb).then_with(|| {
            (&a.computer, &a.source, a.event_id, &a.message).cmp(&(
                &b.computer,
                &b.source,
                b.event_id,
                &b.message,
            ))
        })
    });
    keyed.into_iter().map(|(_, e)| e).collect()
}

/// writeback_health.csv: one row per day of the period.
/// `writeback_health.csv`: header only when writeback health is unknown (no on-prem log, or no
/// record of it in the period).
pub fn writeback_health(w: Option<&Writeback>, bom: bool) -> CsvTable {
    let mut t = CsvTable::new(
        &[
            "date",
            "requests",
            "succeeded",
            "failed",
            "service_stops",
            "outage_minutes",
            "connectivity_errors",
            "config_errors",
        ],
        bom,
    );
    for r in w.iter().flat_map(|w| &w.daily) {
        // A day no log covers: its event counts are unknown, not zero. Outage minutes come
        // from the 31016/31015 pair around it and stay.
        let known = |n: u64| {
            if r.covered {
                n.to_string()
            } else {
                String::new()
            }
        };
        t.row([
            r.date.to_string(),
            known(r.requests),
            known(r.succeeded),
            known(r.failed),
            known(r.service_stops),
            r.outage_minutes.to_string(),
            known(r.connectivity_errors),
            known(r.config_errors),
        ]);
    }
    t
}
