//! Metrics: every number of the report, computed from the model. One file per report family.
//!
//! Layer: above `correlate` and `model` (and `time`, `catalog`); it reads the model's account of
//! the inputs, never `ingest`'s structs, and never imports `render`, `config` or `commands`.

pub mod coverage;
pub mod license;
pub mod readiness;
pub mod registrations;
pub mod sspr;
pub mod story;
pub mod throttling;
pub mod writeback;

use crate::catalog::Lang;
use crate::error::RunError;
use crate::model::Model;
use chrono::Duration;

/// Knobs of the metrics (validated by the command line's configuration before any file is read).
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
    /// Window for correlating flows with on-prem operations.
    pub match_window: Duration,
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
    /// Throttled users and the throttling summary.
    pub throttling: throttling::Throttling,
    /// Registrations per user and their summary.
    pub registrations: registrations::Registrations,
    /// Licence gaps and their summary.
    pub license_gaps: license::LicenseGaps,
    /// Coverage of the period by the inputs.
    pub coverage: coverage::Coverage,
    /// Writeback health; `None` without an on-prem log.
    pub writeback: Option<writeback::Writeback>,
    /// Cloud ⇄ on-prem join; `None` without an on-prem log.
    pub correlation: Option<crate::correlate::Correlation>,
    /// The newest failed and blocked flows with their stories (the page tells them).
    pub attempts: story::Attempts,
}

/// Computes every metric.
pub fn compute(model: &Model, opts: &MetricsOptions) -> Result<Metrics, RunError> {
    // These read the model only and not each other: eight tasks, side by side on the
    // caller's rayon threads (`--threads`). Each result is the same whichever thread made it.
    let lang = opts.lang;
    let (((tables, writeback), (license_gaps, mut coverage)), ((correlation, throttling), rest)) =
        rayon::join(
            || {
                rayon::join(
                    || {
                        rayon::join(
                            || sspr::compute(model, lang),
                            || writeback::compute(model, lang),
                        )
                    },
                    || {
                        rayon::join(
                            || license::compute(model, lang),
                            || coverage::compute(model, opts.gap, opts.explicit_period),
                        )
                    },
                )
            },
            || {
                rayon::join(
                    || {
                        rayon::join(
                            || crate::correlate::correlate(model, opts.match_window),
                            || {
                                throttling::compute(
                                    model,
                                    opts.throttle_threshold,
                                    opts.throttle_window,
                                )
                            },
                        )
                    },
                    || {
                        rayon::join(
                            || registrations::compute(model),
                            || story::FailingFlows::new(model),
                        )
                    },
                )
            },
        );
    let (registrations, failing) = rest;
    let tables = tables?;
    let mut failure_reasons = tables.failure_reasons;
    if let Some(w) = &writeback {
        failure_reasons.extend(w.failure_reasons.iter().cloned());
    }
    let unknown = &license_gaps.summary.unrecognised_products;
    if !unknown.is_empty() {
        coverage
            .warnings
            .push(coverage::Warning::UnrecognisedProducts(unknown.clone()));
    }
    coverage.inputs_missing = readiness::compute(model, &coverage.warnings, unknown);
    let attempts = story::failed_attempts(
        &story::Teller {
            model,
            correlation: correlation.as_ref(),
            outages: writeback.as_ref().map_or(&[], |w| &w.outages),
            throttle: &throttling.rows,
            window: opts.match_window,
            lang: opts.lang,
        },
        &failing,
        story::ATTEMPTS_SHOWN,
    );
    Ok(Metrics {
        sspr: tables.summary,
        daily: tables.daily,
        failure_reasons,
        writeback,
        correlation,
        throttling,
        registrations,
        license_gaps,
        coverage,
        attempts,
    })
}

/// A rate, `None` for a zero denominator (never NaN).
pub fn rate(numerator: u64, denominator: u64) -> Option<f64> {
    if denominator == 0 {
        return None;
    }
    // Exact, not rounded: a consumer that checks `failure_rate == (failed + blocked) / flows`
    // must find equality. Rounding is for the page, the charts and the workbook's formats.
    Some(numerator as f64 / denominator as f64)
}
