//! The compliance tables: throttling.csv, registrations.csv and license_gaps.csv (design §5).
//! The contract's columns come first, in contract order; extra columns follow.

use crate::metrics::license::LicenseGaps;
use crate::metrics::registrations::Registrations;
use crate::metrics::throttling::Throttling;
use crate::render::csv::{CsvTable, TableRows};
use crate::time::local_time;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

fn time(t: Option<DateTime<Utc>>, tz: Tz) -> String {
    t.map(|t| local_time(t, tz)).unwrap_or_default()
}

fn flag(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "true",
        Some(false) => "false",
        None => "",
    }
}

/// throttling.csv: throttled users, then inferred ones; `busiest_window_start` and
/// `flows_in_period` (the user's flows over the whole period, not only the busiest window) extra.
pub fn throttling(th: &Throttling, tz: Tz, bom: bool) -> CsvTable {
    let mut t = CsvTable::new(
        &[
            "user",
            "status",
            "block_events",
            "first_blocked_at",
            "last_blocked_at",
            "blocked_until",
            "max_flows_in_window",
            "busiest_window_start",
            "flows_in_period",
        ],
        bom,
    );
    for r in &th.rows {
        t.row([
            r.user.as_str(),
            r.status.as_str(),
            &r.block_events.to_string(),
            &time(r.first_blocked_at, tz),
            &time(r.last_blocked_at, tz),
            &time(r.blocked_until, tz),
            &r.max_flows_in_window.to_string(),
            &time(r.busiest_window_start, tz),
            &r.flows.to_string(),
        ]);
    }
    t
}

/// registrations.csv's columns.
pub const REGISTRATIONS_HEADER: [&str; 14] = [
    "user",
    "events",
    "distinct_methods",
    "methods",
    "first_at",
    "last_at",
    "repeat_events",
    "display_name",
    "sspr_registered",
    "sspr_enabled",
    "sspr_capable",
    "registered_methods",
    "snapshot_updated_at",
    "snapshot_rows",
];

/// registrations.csv: one row per user with events or a snapshot row; the snapshot's state in
/// the extra columns. Method lists are joined with `; `.
pub fn registrations(reg: &Registrations, tz: Tz, bom: bool) -> CsvTable {
    let mut t = CsvTable::new(&REGISTRATIONS_HEADER, bom);
    registration_rows(reg, tz, 0..reg.rows.len(), &mut t);
    t
}

/// The rows `rows` of registrations.csv (a large tenant's table is written a part at a time).
pub fn registration_rows(
    reg: &Registrations,
    tz: Tz,
    rows: std::ops::Range<usize>,
    out: &mut impl TableRows,
) {
    for r in reg.rows.get(rows).unwrap_or_default() {
        let methods: Vec<&str> = r.methods.iter().map(String::as_str).collect();
        let s = r.snapshot.as_ref();
        out.row([
            r.user.as_str(),
            &r.events.to_string(),
            &r.methods.len().to_string(),
            &methods.join("; "),
            &time(r.first_at, tz),
            &time(r.last_at, tz),
            &r.repeat_events.to_string(),
            s.and_then(|s| s.display_name.as_deref()).unwrap_or(""),
            flag(s.and_then(|s| s.sspr_registered)),
            flag(s.and_then(|s| s.sspr_enabled)),
            flag(s.and_then(|s| s.sspr_capable)),
            &s.map(|s| s.methods.join("; ")).unwrap_or_default(),
            &time(s.and_then(|s| s.updated_at), tz),
            &r.snapshot_rows.to_string(),
        ]);
    }
}

/// license_gaps.csv: one row per user and reason.
pub fn license_gaps(gaps: &LicenseGaps, bom: bool) -> CsvTable {
    let mut t = CsvTable::new(&["user", "reason", "evidence", "licenses"], bom);
    for r in &gaps.rows {
        t.row([r.user.as_str(), r.reason.as_str(), &r.evidence, &r.licenses]);
    }
    t
}
