//! Metrics: every number of the report, computed from the model. One file per report family.

pub mod coverage;
pub mod license;
pub mod registrations;
pub mod sspr;
pub mod throttling;

use crate::catalog::Lang;
use crate::error::RunError;
use crate::ingest::Ingested;
use crate::model::Model;
use chrono::Duration;

/// Knobs of the metrics (validated in [`crate::config::RunConfig`]).
#[derive(Debug, Clone, Copy)]
pub struct MetricsOptions {
    /// Gap length that raises a coverage warning.
    pub gap: Duration,
    /// Whether the period was given explicitly (edges of the data are then checked).
    pub explicit_period: bool,
    /// Inferred throttling: flows needed…
    pub throttle_threshold: usize,
    /// …inside this rolling window.
    pub throttle_window: Duration,
    /// Language of remedy texts.
    pub lang: Lang,
}

/// All computed numbers and tables.
#[derive(Debug)]
pub struct Metrics {
    /// Flow counts and rates.
    pub sspr: sspr::SsprSummary,
    /// `daily.csv` rows.
    pub daily: Vec<sspr::DailyRow>,
    /// `failure_reasons.csv` rows.
    pub failure_reasons: Vec<sspr::FailureReasonRow>,
    /// Throttling summary.
    pub throttling: throttling::ThrottlingSummary,
    /// Registration summary from the audit log.
    pub registrations: registrations::RegistrationSummary,
    /// Licence gaps the audit log can show.
    pub license_gaps: license::LicenseGapSummary,
    /// Coverage of the period by the inputs.
    pub coverage: coverage::Coverage,
}

/// Computes every metric.
pub fn compute(
    model: &Model,
    ingested: &Ingested,
    opts: &MetricsOptions,
) -> Result<Metrics, RunError> {
    let tables = sspr::compute(model, opts.lang)?;
    Ok(Metrics {
        sspr: tables.summary,
        daily: tables.daily,
        failure_reasons: tables.failure_reasons,
        throttling: throttling::compute(model, opts.throttle_threshold, opts.throttle_window),
        registrations: registrations::compute(model),
        license_gaps: license::compute(model),
        coverage: coverage::compute(model, ingested, opts.gap, opts.explicit_period),
    })
}

/// Rounds a rate for the report (6 decimals: stable text, no 0.30000000000000004).
pub fn rate(numerator: u64, denominator: u64) -> Option<f64> {
    if denominator == 0 {
        return None;
    }
    Some((numerator as f64 / denominator as f64 * 1e6).round() / 1e6)
}
