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

/// The report's time format, as chrono writes it.
const LOCAL_TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%:z";

/// ISO 8601 local time with offset, seconds precision (the report's time format).
///
/// Written digit by digit: a whole tenant's writeback_events.csv has 240,000 times, and
/// chrono's `format` parses its pattern again for each (a tenth of a second per run).
/// Years outside 0–9999, offsets with seconds (historic local mean times) and leap seconds go
/// through chrono, which writes them its own way.
pub fn local_time(t: DateTime<Utc>, tz: Tz) -> String {
    use chrono::{Offset, Timelike};
    let local = t.with_timezone(&tz);
    let offset = local.offset().fix().local_minus_utc();
    let year = local.year();
    // A leap second (chrono writes `:60`) goes that way too.
    if !(0..=9999).contains(&year) || offset % 60 != 0 || local.nanosecond() >= 1_000_000_000 {
        return local.format(LOCAL_TIME_FORMAT).to_string();
    }
    let minutes = offset.unsigned_abs() / 60;
    let mut out = String::with_capacity(25);
    push_digits(&mut out, year as u32, 4);
    for (sep, n) in [
        ('-', local.month()),
        ('-', local.day()),
        ('T', local.hour()),
        (':', local.minute()),
        (':', local.second()),
        (if offset < 0 { '-' } else { '+' }, minutes / 60),
        (':', minutes % 60),
    ] {
        out.push(sep);
        push_digits(&mut out, n, 2);
    }
    out
}

/// Appends the last `width` decimal digits of `n`, zero-padded.
fn push_digits(out: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        out.push(char::from(b'0' + (n / 10u32.pow(place) % 10) as u8));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digit-by-digit writer says what chrono's format says: every zone the reports meet,
    /// DST changes, half-hour and 45-minute offsets (negative ones too), the years' edges and
    /// the fallbacks.
    #[test]
    fn local_time_is_chronos_format() {
        let zones: [Tz; 9] = [
            chrono_tz::America::St_Johns,
            chrono_tz::Pacific::Marquesas,
            chrono_tz::Asia::Tokyo,
            chrono_tz::UTC,
            chrono_tz::America::New_York,
            chrono_tz::Asia::Kolkata,
            chrono_tz::Asia::Kathmandu,
            chrono_tz::Australia::Lord_Howe,
            chrono_tz::Europe::Amsterdam,
        ];
        let mut seconds: Vec<i64> = vec![
            0,
            -1,
            253_402_300_799, // 9999-12-31T23:59:59Z
            253_402_300_800, // year 10000
            -62_167_219_200, // 0000-01-01
            -62_167_219_201, // year -1
            -2_500_000_000,  // 1890: Amsterdam's local mean time, offset with seconds
            1_792_965_600,   // 2026-10-25 01:00 UTC: Europe leaves summer time
            1_793_512_800,   // 2026-11-01 06:00 UTC: New York leaves it
        ];
        // Every 97 minutes and 13 seconds through 2026, and a few seconds around each hour.
        let start = 1_767_225_600;
        seconds.extend((0..5_500).map(|i| start + i * 5_833));
        seconds.extend((0..200).flat_map(|h| [-1, 0, 1].map(|d| start + h * 3_600 * 43 + d)));
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
            .and_then(|d| d.and_hms_milli_opt(23, 59, 59, 1_500))
            .expect("a leap second")
            .and_utc();
        assert_eq!(
            local_time(leap, chrono_tz::UTC),
            leap.format(LOCAL_TIME_FORMAT).to_string()
        );
        for tz in zones {
            for &s in &seconds {
                let t = DateTime::from_timestamp(s, 0).expect("in range");
                let chrono = t.with_timezone(&tz).format(LOCAL_TIME_FORMAT).to_string();
                assert_eq!(local_time(t, tz), chrono, "{s} in {tz}");
            }
        }
    }
}
