//! `run --history DIR [--tenant NAME]`: the run's months into the Parquet history. Each local
//! month of the period gets the partition that `run --month` of that month would write: the
//! report itself when the period is that month, else the month computed on its own.

use crate::commands::run::analyse;
use crate::config::RunConfig;
use crate::error::ConfigError;
use crate::history::{self, MonthData};
use crate::ingest::InputFile;
use crate::metrics::Metrics;
use crate::metrics::coverage::{LogSource, Warning};
use crate::model::Model;
use crate::render::csv::CsvTable;
use crate::render::html::PreviousMonth;
use crate::render::report::{self, RenderOptions};
use crate::time::{Period, PeriodChoice};
use chrono::Datelike;
use std::path::{Path, PathBuf};

/// Where the history goes.
#[derive(Debug, Clone)]
pub struct HistoryTarget {
    /// The history folder (`--history`).
    pub dir: PathBuf,
    /// The tenant's partition name (`--tenant`, default `default`).
    pub tenant: String,
}

impl HistoryTarget {
    /// Validates `--history` and `--tenant` (usage errors, exit 2).
    pub fn from_args(
        dir: Option<&Path>,
        tenant: Option<&str>,
    ) -> Result<Option<Self>, ConfigError> {
        let Some(dir) = dir else {
            return Ok(None);
        };
        let tenant = tenant.unwrap_or("default");
        if !history::valid_tenant(tenant) {
            return Err(ConfigError::InvalidValue {
                option: "--tenant",
                value: tenant.into(),
                reason:
                    "use letters, digits, '-', '_' and '.' (at most 64, not starting with '.'): \
                         it names a folder of the history"
                        .into(),
            });
        }
        Ok(Some(HistoryTarget {
            dir: dir.to_path_buf(),
            tenant: tenant.into(),
        }))
    }
}

impl HistoryTarget {
    /// Refuses a history folder inside an input (the next run would read it) or overlapping
    /// the report folder (replacing the report would delete it), as a usage error.
    pub fn check(&self, inputs: &[PathBuf], report: &Path) -> Result<(), ConfigError> {
        let abs = |p: &Path| {
            p.canonicalize()
                .or_else(|_| std::path::absolute(p))
                .unwrap_or_else(|_| p.to_path_buf())
        };
        let dir = abs(&self.dir);
        let overlaps = |other: &Path| {
            let other = abs(other);
            dir.starts_with(&other) || other.starts_with(&dir)
        };
        if let Some(input) = inputs.iter().find(|i| overlaps(i)) {
            return Err(ConfigError::OutputOverlapsInput {
                out: self.dir.clone(),
                input: input.clone(),
            });
        }
        if overlaps(report) {
            return Err(ConfigError::Conflict(format!(
                "--history {} and the report folder {} overlap: keep the history outside the report",
                self.dir.display(),
                report.display()
            )));
        }
        Ok(())
    }
}

/// The finished report of the run's whole period.
pub struct Report<'a> {
    /// Its model.
    pub model: &'a Model,
    /// Its metrics.
    pub metrics: &'a Metrics,
    /// summary.json, pseudonymized when asked for.
    pub summary: &'a serde_json::Value,
    /// Its tables, pseudonymized when asked for.
    pub tables: &'a [(&'static str, CsvTable)],
}

/// The calendar months that `period` touches, oldest first.
pub fn months_of(period: &Period) -> Vec<Period> {
    let mut out = Vec::new();
    let (mut y, mut m) = (period.from.year(), period.from.month());
    while let Some(month) = Period::month(y, m) {
        if month.from > period.to {
            break;
        }
        out.push(month);
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// Whether the coverage checks found the inputs short of the period (a late start, an early
/// end, a gap, a source with nothing inside). One Connect server with nothing inside the month
/// does not make it short — a retired server after a swing migration has none — as long as the
/// servers' logs together cover it (that check is `LogSource::Onprem`'s).
fn covered(metrics: &Metrics) -> bool {
    !metrics.coverage.warnings.iter().any(|w| {
        matches!(
            w,
            Warning::NoRecords(_)
                | Warning::StartsLate(..)
                | Warning::EndsEarly(..)
                | Warning::Gap(..)
        ) || matches!(w, Warning::NoneInside(source, ..) if !matches!(source, LogSource::Computer(_)))
    })
}

/// The part of `month` inside `period`.
fn part_of(month: &Period, period: &Period) -> Period {
    Period {
        from: month.from.max(period.from),
        to: month.to.min(period.to),
    }
}

/// Whether a month's part is the report's own period, chosen by the user: then its tables are
/// the report's; any other part is computed again from the inputs.
fn is_the_reports(part: &Period, period: &Period, chosen: &PeriodChoice) -> bool {
    part == period && matches!(chosen, PeriodChoice::Explicit(_))
}

/// Whether [`write`] reads the inputs again for a month of `period`, chosen as `chosen` (a run
/// of several months, or of the data's own dates): it then builds a model of its own, and must
/// not run beside the report's rendering, which would hold two models at once on twice the
/// threads.
pub fn rereads_inputs(chosen: &PeriodChoice, period: &Period) -> bool {
    months_of(period)
        .iter()
        .any(|month| !is_the_reports(&part_of(month, period), period, chosen))
}

/// What [`write`] did, for the terminal.
#[derive(Debug, Default)]
pub struct Written {
    /// Warnings: a month kept as it was, no month to write.
    pub notes: Vec<String>,
    /// The months written, in order.
    pub months: Vec<MonthWritten>,
}

/// One month [`write`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthWritten {
    /// `YYYY-MM`.
    pub month: String,
    /// It replaced a month the history held.
    pub replaced: bool,
    /// The month is whole and covered (`complete` in the history).
    pub complete: bool,
}

/// Writes every month of the run into the history.
pub fn write(
    config: &RunConfig,
    target: &HistoryTarget,
    files: &[InputFile],
    report: &Report<'_>,
    options: &RenderOptions,
) -> anyhow::Result<Written> {
    // Before anything is computed or written: a linked folder would take the writes outside.
    history::check_links(&target.dir, &target.tenant)?;
    let mut written = Written::default();
    let notes = &mut written.notes;
    // No audit record and no period given: there is no month to file the run under.
    if config.period == PeriodChoice::FromData && report.model.audit_span.is_none() {
        notes.push("--history: no month to write (no audit record was read)".into());
        return Ok(written);
    }
    let period = report.model.period.clone();
    for month in months_of(&period) {
        let slug = month.slug();
        let part = part_of(&month, &period);
        let whole = part == month;
        let own;
        let (summary, tables, complete) = if is_the_reports(&part, &period, &config.period) {
            (
                report.summary,
                report.tables,
                whole && covered(report.metrics),
            )
        } else {
            let choice = PeriodChoice::Explicit(part.clone());
            let (model, metrics) = analyse(config, files, &choice)?;
            let opts = RenderOptions {
                stream_events: false,
                chosen_by: if whole { "month" } else { "range" },
                ..options.clone()
            };
            own = report::prepared(&model, &metrics, &opts)?;
            (&own.0, own.1.as_slice(), whole && covered(&metrics))
        };
        if !complete && kept_complete(&target.dir, &target.tenant, &slug)? {
            notes.push(format!(
                "--history: {slug} kept as it was: the history holds the complete month, \
                 this run covers it only in part"
            ));
            continue;
        }
        let replaced =
            history::partition(&target.dir, history::SUMMARY, &target.tenant, &slug).is_file();
        let data = MonthData {
            month: slug.clone(),
            summary,
            tables,
            complete,
        };
        history::write_month(&target.dir, &target.tenant, &data)?;
        written.months.push(MonthWritten {
            month: slug,
            replaced,
            complete,
        });
    }
    Ok(written)
}

/// The latest month before a one-month report's month that the history holds, for the page's
/// changes; a note when that month cannot be read. Nothing for a report of another period.
pub fn previous(
    target: &HistoryTarget,
    period: &PeriodChoice,
) -> (Option<PreviousMonth>, Option<String>) {
    let PeriodChoice::Explicit(p) = period else {
        return (None, None);
    };
    let slug = p.slug();
    if slug.len() != 7 {
        return (None, None);
    }
    if let Err(e) = history::check_links(&target.dir, &target.tenant) {
        return (
            None,
            Some(format!(
                "--history: no change against the previous month: {e}"
            )),
        );
    }
    let months = history::read::months(&target.dir, history::SUMMARY, &target.tenant);
    let Some(month) = months.into_iter().rfind(|m| *m < slug) else {
        return (None, None);
    };
    match history::read::summary_row(&target.dir, &target.tenant, &month) {
        Ok((_, row, _)) => {
            let values = row.iter().map(|(k, v)| (k.clone(), v.number())).collect();
            (Some(PreviousMonth { month, values }), None)
        }
        Err(e) => (
            None,
            Some(format!(
                "--history: no change against the previous month: {e}"
            )),
        ),
    }
}

/// Whether the history already holds `month` as a complete month (an incomplete run never
/// replaces it).
fn kept_complete(dir: &Path, tenant: &str, month: &str) -> Result<bool, history::HistoryError> {
    let path = history::partition(dir, history::SUMMARY, tenant, month);
    if !path.is_file() {
        return Ok(false);
    }
    match history::read::summary_row(dir, tenant, month) {
        Ok((_, row, _)) => Ok(row.get("complete") == Some(&history::read::Cell::Bool(true))),
        Err(e @ history::HistoryError::UnknownSchema { .. }) => Err(e),
        // A damaged summary is replaced: the new month is better than an unreadable one.
        Err(_) => Ok(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn months_of_a_range_include_partial_ends() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        let p = Period {
            from: d(2026, 11, 15),
            to: d(2027, 1, 3),
        };
        let slugs: Vec<String> = months_of(&p).iter().map(Period::slug).collect();
        assert_eq!(slugs, ["2026-11", "2026-12", "2027-01"]);
    }

    /// Only a named period inside one month is written from the report's own tables; the
    /// history of any other run computes its months again (and so runs before the report).
    #[test]
    fn only_a_named_period_of_one_month_is_written_from_the_reports_tables() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).expect("date");
        let october = Period {
            from: d(10, 1),
            to: d(10, 31),
        };
        let days = Period {
            from: d(10, 3),
            to: d(10, 9),
        };
        let two = Period {
            from: d(10, 15),
            to: d(11, 14),
        };
        for one in [&october, &days] {
            assert!(!rereads_inputs(&PeriodChoice::Explicit(one.clone()), one));
            assert!(rereads_inputs(&PeriodChoice::FromData, one));
        }
        assert!(rereads_inputs(&PeriodChoice::Explicit(two.clone()), &two));
    }
}
