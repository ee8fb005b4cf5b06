//! Time at the bottom of the pipeline: the reporting period in local days, local midnights,
//! and how durations and instants are written in reports. Every layer may use it; it uses
//! nothing of this crate (only chrono), so no layer reaches up through it.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// The reporting period: whole local days `from..=to` in `tz`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// First local day (inclusive).
    pub from: NaiveDate,
    /// Last local day (inclusive).
    pub to: NaiveDate,
}

impl Period {
    /// The calendar month `year-month` (`None` for a month that does not exist).
    pub fn month(year: i32, month: u32) -> Option<Period> {
        Some(Period {
            from: NaiveDate::from_ymd_opt(year, month, 1)?,
            to: last_day_of_month(year, month)?,
        })
    }

    /// Whether a local date falls inside the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    /// The UTC instant where the period starts (local midnight of `from`).
    pub fn start_utc(&self, tz: Tz) -> DateTime<Utc> {
        local_midnight_utc(self.from, tz)
    }

    /// The UTC instant where the period ends (local midnight after `to`, exclusive).
    pub fn end_utc(&self, tz: Tz) -> DateTime<Utc> {
        local_midnight_utc(self.to.succ_opt().unwrap_or(self.to), tz)
    }

    /// A folder-friendly name: `2026-10` for a calendar month, else `2026-10-01_2026-10-15`.
    pub fn slug(&self) -> String {
        let last_of_month = last_day_of_month(self.from.year(), self.from.month());
        if self.from.day() == 1 && Some(self.to) == last_of_month {
            format!("{:04}-{:02}", self.from.year(), self.from.month())
        } else {
            format!("{}_{}", self.from, self.to)
        }
    }
}

/// Local midnight of `date` in `tz`, as UTC. Midnight can be skipped by a DST change in a few
/// zones; then the first valid instant of the day is used.
pub fn local_midnight_utc(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let mut t = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    for _ in 0..4 {
        if let Some(dt) = tz.from_local_datetime(&t).earliest() {
            return dt.with_timezone(&Utc);
        }
        t += Duration::minutes(30);
    }
    Utc.from_utc_datetime(&t)
}

/// The last day of a calendar month (`None` outside chrono's range).
pub fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

/// How the period was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeriodChoice {
    /// `--month` or `--from/--to`.
    Explicit(Period),
    /// No option: the period is the span of the audit data.
    FromData,
}

/// Formats a duration the way the options take it (`60m`, `1h30m`, `6h`).
pub fn format_duration(d: Duration) -> String {
    let mut s = d.num_seconds();
    let mut out = String::new();
    for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] {
        if s >= size {
            out.push_str(&format!("{}{unit}", s / size));
            s %= size;
        }
    }
    if out.is_empty() { "0s".into() } else { out }
}

/// ISO 8601 local time with offset, seconds precision (the report's time format).
pub fn local_time(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz)
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}
