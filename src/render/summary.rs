//! `summary.json` (every key of the contract, `null` where the inputs cannot answer) and its
//! flat twin `summary.csv` (`section,metric,value`).

use crate::correlate::{Correlation, NotApplicableWhy};
use crate::metrics::Metrics;
use crate::metrics::coverage::Coverage;
use crate::metrics::license::LicenseGapSummary;
use crate::metrics::registrations::RegistrationSummary;
use crate::metrics::sspr::SsprSummary;
use crate::metrics::throttling::ThrottlingSummary;
use crate::metrics::writeback::WritebackSummary;
use crate::model::{Accounting, Model};
use crate::render::csv::CsvTable;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The reporting period as reported.
#[derive(Debug, Serialize)]
pub struct PeriodOut {
    /// First local day (`null` when the period comes from data and there is none).
    pub from: Option<String>,
    /// Last local day.
    pub to: Option<String>,
    /// IANA zone.
    pub timezone: String,
    /// `month`, `range` or `data` (the span of the audit log).
    pub chosen_by: &'static str,
}

/// On-premises writeback counts; all `null` until an on-prem event log is read.
#[derive(Debug, Default, Serialize)]
pub struct WritebackOut {
    /// Start events.
    pub requests: Option<u64>,
    /// Success outcomes.
    pub succeeded: Option<u64>,
    /// Failure outcomes.
    pub failed: Option<u64>,
    /// Starts without an outcome.
    pub pending: Option<u64>,
    /// 31016 events.
    pub service_stops: Option<u64>,
    /// Stop-to-start intervals.
    pub outages: Option<u64>,
    /// Outage minutes inside the period.
    pub outage_minutes: Option<u64>,
    /// Connectivity error events.
    pub connectivity_errors: Option<u64>,
    /// 32014 events.
    pub servicebus_warnings: Option<u64>,
    /// Configuration error events.
    pub config_errors: Option<u64>,
}

/// Cloud ⇄ on-prem correlation counts; all `null` without an on-prem event log.
#[derive(Debug, Default, Serialize)]
pub struct CorrelationOut {
    /// Flows matched to an on-prem operation.
    pub matched: Option<u64>,
    /// Candidates with no operation although the log covers their time.
    pub cloud_only: Option<u64>,
    /// Operations with no flow.
    pub onprem_only: Option<u64>,
    /// Candidates no on-prem log covers.
    pub not_checked: Option<u64>,
    /// Operations with no flow at a time no audit record covers.
    pub onprem_not_checked: Option<u64>,
    /// Flows that never reached writeback.
    pub not_applicable: Option<u64>,
    /// The same flows by what showed it (`no_writeback_stage`, `unlock`, `cloud_only_by_audit`,
    /// `cloud_only_user`, `refused_in_cloud`); every key present.
    pub not_applicable_by: Option<BTreeMap<&'static str, u64>>,
    /// Matched pairs whose outcomes differ.
    pub disagreements: Option<u64>,
    /// Median seconds from flow to on-prem start.
    pub median_lag_seconds: Option<f64>,
}

impl From<&WritebackSummary> for WritebackOut {
    fn from(w: &WritebackSummary) -> Self {
        WritebackOut {
            requests: Some(w.requests),
            succeeded: Some(w.succeeded),
            failed: Some(w.failed),
            pending: Some(w.pending),
            service_stops: Some(w.service_stops),
            outages: Some(w.outages),
            outage_minutes: Some(w.outage_minutes),
            connectivity_errors: Some(w.connectivity_errors),
            servicebus_warnings: Some(w.servicebus_warnings),
            config_errors: Some(w.config_errors),
        }
    }
}

impl From<&Correlation> for CorrelationOut {
    fn from(c: &Correlation) -> Self {
        CorrelationOut {
            matched: Some(c.matched),
            cloud_only: Some(c.cloud_only),
            onprem_only: Some(c.onprem_only).filter(|_| c.log_in_period),
            not_checked: Some(c.not_checked),
            onprem_not_checked: Some(c.onprem_not_checked).filter(|_| c.log_in_period),
            not_applicable: Some(c.not_applicable.values().sum()),
            not_applicable_by: Some(
                NotApplicableWhy::ALL
                    .iter()
                    .map(|w| (w.as_str(), c.not_applicable.get(w).copied().unwrap_or(0)))
                    .collect(),
            ),
            disagreements: Some(c.disagreements),
            median_lag_seconds: c.median_lag_seconds,
        }
    }
}

/// Everything in summary.json, in contract order.
#[derive(Debug, Serialize)]
pub struct Summary<'a> {
    /// Period.
    pub period: PeriodOut,
    /// Input accounting.
    pub inputs: &'a Accounting,
    /// Flows (`null` when no audit record was read: zero would claim a quiet month).
    pub sspr: Option<&'a SsprSummary>,
    /// Throttling (`null` without audit records).
    pub throttling: Option<&'a ThrottlingSummary>,
    /// Registrations (`null` without audit records or registration inputs).
    pub registrations: Option<&'a RegistrationSummary>,
    /// Licence gaps (`null` without audit records or licence lists).
    pub license_gaps: Option<&'a LicenseGapSummary>,
    /// Writeback health.
    pub writeback: WritebackOut,
    /// Correlation.
    pub correlation: CorrelationOut,
    /// Coverage.
    pub coverage: &'a Coverage,
}

/// Whether a registration snapshot or usage records were read.
fn has_registration_input(model: &Model) -> bool {
    model.registration.snapshot.is_some() || model.registration.has_usage_input
}

/// Builds the summary.
pub fn summary<'a>(model: &'a Model, metrics: &'a Metrics, chosen_by: &'static str) -> Summary<'a> {
    let audit = model.audit_span.is_some();
    let period_known = audit || chosen_by != "data";
    Summary {
        period: PeriodOut {
            from: period_known.then(|| model.period.from.to_string()),
            to: period_known.then(|| model.period.to.to_string()),
            timezone: model.tz.name().to_string(),
            chosen_by,
        },
        inputs: &model.accounting,
        sspr: audit.then_some(&metrics.sspr),
        throttling: audit.then_some(&metrics.throttling.summary),
        registrations: (audit || has_registration_input(model))
            .then_some(&metrics.registrations.summary),
        license_gaps: (audit || model.licenses.is_some()).then_some(&metrics.license_gaps.summary),
        writeback: metrics
            .writeback
            .as_ref()
            .map(|w| WritebackOut::from(&w.summary))
            .unwrap_or_default(),
        correlation: metrics
            .correlation
            .as_ref()
            .map(CorrelationOut::from)
            .unwrap_or_default(),
        coverage: &metrics.coverage,
    }
}

/// summary.json bytes (pretty, trailing newline).
pub fn to_json(summary: &Summary<'_>) -> Result<Vec<u8>, serde_json::Error> {
    let mut bytes = serde_json::to_vec_pretty(summary)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// summary.csv bytes: one row per scalar, `section` = the path of objects above it; arrays of
/// scalars give one row per element; arrays of objects are left to summary.json.
pub fn to_csv(summary: &Summary<'_>, bom: bool) -> Result<CsvTable, serde_json::Error> {
    let value = serde_json::to_value(summary)?;
    let mut table = CsvTable::new(&["section", "metric", "value"], bom);
    if let Value::Object(top) = value {
        for (section, v) in top {
            flatten(&section, &v, &mut table);
        }
    }
    Ok(table)
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::Null => Some(String::new()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn flatten(section: &str, value: &Value, table: &mut CsvTable) {
    let map = match value {
        Value::Object(map) => map,
        // A whole section that is null (its input is absent).
        Value::Null => {
            table.row([section, "", ""]);
            return;
        }
        _ => return,
    };
    for (key, v) in map {
        match v {
            Value::Object(_) => flatten(&format!("{section}.{key}"), v, table),
            Value::Array(items) => {
                for item in items {
                    if let Some(s) = scalar(item) {
                        table.row([section, key.trim_end_matches('s'), &s]);
                    }
                }
            }
            other => {
                if let Some(s) = scalar(other) {
                    table.row([section, key.as_str(), &s]);
                }
            }
        }
    }
}
