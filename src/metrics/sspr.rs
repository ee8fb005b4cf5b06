//! Flow outcomes: totals, rates, per-kind counts, the daily table and the failure reasons.
//! The group-bys run in polars over a frame of the flows.

use crate::catalog::{self, Lang, ReasonCategory};
use crate::error::RunError;
use crate::metrics::rate;
use crate::model::{FlowKind, Model, Outcome};
use polars::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// Flow counts by outcome.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OutcomeCounts {
    /// All flows.
    pub flows: u64,
    /// Succeeded flows.
    pub succeeded: u64,
    /// Failed flows.
    pub failed: u64,
    /// Blocked (throttled) flows.
    pub blocked: u64,
    /// Abandoned flows.
    pub abandoned: u64,
}

impl OutcomeCounts {
    fn add(&mut self, outcome: &str, n: u64) {
        self.flows += n;
        match outcome {
            "succeeded" => self.succeeded += n,
            "failed" => self.failed += n,
            "blocked" => self.blocked += n,
            _ => self.abandoned += n,
        }
    }
}

/// The `sspr` section of summary.json.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SsprSummary {
    /// Totals.
    #[serde(flatten)]
    pub counts: OutcomeCounts,
    /// succeeded / flows.
    pub success_rate: Option<f64>,
    /// (failed + blocked) / flows.
    pub failure_rate: Option<f64>,
    /// abandoned / flows.
    pub abandon_rate: Option<f64>,
    /// Counts per kind (every kind present, zero when none).
    pub by_kind: BTreeMap<&'static str, OutcomeCounts>,
}

/// One row of `daily.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyRow {
    /// Local date.
    pub date: String,
    /// Flow kind.
    pub kind: String,
    /// Outcome.
    pub outcome: String,
    /// Flows.
    pub flows: u64,
}

/// One row of `failure_reasons.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct FailureReasonRow {
    /// `cloud` (audit log) or `onprem` (event log).
    pub source: &'static str,
    /// Catalog code, empty when unknown.
    pub code: String,
    /// The reason text as logged (trimmed).
    pub reason: String,
    /// Catalog category.
    pub category: String,
    /// Failed or blocked flows with this reason.
    pub count: u64,
    /// count / all failed and blocked flows.
    pub share: Option<f64>,
    /// What to do about it.
    pub remedy: String,
}

/// Tables of this family.
#[derive(Debug)]
pub struct SsprTables {
    /// Summary section.
    pub summary: SsprSummary,
    /// daily.csv.
    pub daily: Vec<DailyRow>,
    /// failure_reasons.csv.
    pub failure_reasons: Vec<FailureReasonRow>,
}

fn flows_frame(model: &Model) -> PolarsResult<DataFrame> {
    let n = model.flows.len();
    let (mut date, mut kind, mut outcome, mut reason) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for f in &model.flows {
        date.push(
            f.started_at
                .with_timezone(&model.tz)
                .date_naive()
                .to_string(),
        );
        kind.push(f.kind.as_str());
        outcome.push(f.outcome.as_str());
        reason.push(f.failure_reason.clone());
    }
    DataFrame::new_infer_height(vec![
        Column::new("date".into(), date),
        Column::new("kind".into(), kind),
        Column::new("outcome".into(), outcome),
        Column::new("reason".into(), reason),
    ])
}

fn strings(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<String>>> {
    Ok(df
        .column(name)?
        .str()?
        .iter()
        .map(|s| s.map(str::to_string))
        .collect())
}

fn counts(df: &DataFrame, name: &str) -> PolarsResult<Vec<u64>> {
    Ok(df
        .column(name)?
        .idx()?
        .iter()
        .map(|v| u64::from(v.unwrap_or(0)))
        .collect())
}

/// Computes the flow tables.
pub fn compute(model: &Model, lang: Lang) -> Result<SsprTables, RunError> {
    let frame = flows_frame(model)?;

    let daily_df = frame
        .clone()
        .lazy()
        .group_by([col("date"), col("kind"), col("outcome")])
        .agg([len().alias("flows")])
        .sort(["date", "kind", "outcome"], SortMultipleOptions::default())
        .collect()?;
    let daily: Vec<DailyRow> = strings(&daily_df, "date")?
        .into_iter()
        .zip(strings(&daily_df, "kind")?)
        .zip(strings(&daily_df, "outcome")?)
        .zip(counts(&daily_df, "flows")?)
        .map(|(((d, k), o), n)| DailyRow {
            date: d.unwrap_or_default(),
            kind: k.unwrap_or_default(),
            outcome: o.unwrap_or_default(),
            flows: n,
        })
        .collect();

    let by_kind_df = frame
        .clone()
        .lazy()
        .group_by([col("kind"), col("outcome")])
        .agg([len().alias("flows")])
        .collect()?;
    let mut totals = OutcomeCounts::default();
    let mut by_kind: BTreeMap<&'static str, OutcomeCounts> = FlowKind::ALL
        .iter()
        .map(|k| (k.as_str(), OutcomeCounts::default()))
        .collect();
    for ((k, o), n) in strings(&by_kind_df, "kind")?
        .into_iter()
        .zip(strings(&by_kind_df, "outcome")?)
        .zip(counts(&by_kind_df, "flows")?)
    {
        let (k, o) = (k.unwrap_or_default(), o.unwrap_or_default());
        totals.add(&o, n);
        if let Some(entry) = FlowKind::ALL
            .iter()
            .find(|x| x.as_str() == k)
            .and_then(|x| by_kind.get_mut(x.as_str()))
        {
            entry.add(&o, n);
        }
    }

    let failing = totals.failed + totals.blocked;
    let reasons_df = frame
        .lazy()
        .filter(
            col("outcome")
                .eq(lit(Outcome::Failed.as_str()))
                .or(col("outcome").eq(lit(Outcome::Blocked.as_str()))),
        )
        .group_by([col("reason")])
        .agg([len().alias("count")])
        .sort(
            ["count", "reason"],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .collect()?;
    let failure_reasons = strings(&reasons_df, "reason")?
        .into_iter()
        .zip(counts(&reasons_df, "count")?)
        .map(|(reason, count)| {
            let reason = reason.unwrap_or_default();
            let entry = catalog::classify_reason(&reason);
            FailureReasonRow {
                source: "cloud",
                code: entry.map(|e| e.code.to_string()).unwrap_or_default(),
                category: entry
                    .map(|e| e.category)
                    .unwrap_or(ReasonCategory::Other)
                    .as_str()
                    .to_string(),
                count,
                share: rate(count, failing),
                remedy: match entry {
                    Some(e) => e.fix.get(lang).to_string(),
                    None => unknown_remedy(lang).to_string(),
                },
                reason,
            }
        })
        .collect();

    Ok(SsprTables {
        summary: SsprSummary {
            counts: totals,
            success_rate: rate(totals.succeeded, totals.flows),
            failure_rate: rate(failing, totals.flows),
            abandon_rate: rate(totals.abandoned, totals.flows),
            by_kind,
        },
        daily,
        failure_reasons,
    })
}

/// What failure_reasons.csv advises for a reason the catalog does not hold.
pub fn unknown_remedy(lang: Lang) -> &'static str {
    match lang {
        Lang::En => {
            "Not in the catalog: look the flow up by its CorrelationId in flows.csv and the Entra audit log; \
                     if the text names an on-premises problem, check the Entra Connect server's Application log."
        }
        Lang::Ja => {
            "カタログにない理由です。flows.csv の CorrelationId で Entra 監査ログの該当フローを確認し、\
                     オンプレミスの問題を示す場合は Entra Connect サーバーのアプリケーション ログを確認してください。"
        }
    }
}
