//! Every file of one report, in memory, in the order they are written: the tables (as CSV, and
//! as sheets of `report.xlsx`), `summary.json`, the charts and `index.html`. Pseudonymization,
//! when asked for, rewrites the tables and the summary before anything is rendered from them,
//! so no file can leak what another one hides.

use crate::catalog::Lang;
use crate::error::RunError;
use crate::ingest::Ingested;
use crate::metrics::Metrics;
use crate::model::Model;
use crate::render::charts::{self, FontPlan};
use crate::render::csv::CsvTable;
use crate::render::{compliance, summary, tables};

/// How the report is rendered.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// UTF-8 BOM at the start of CSV files.
    pub bom: bool,
    /// Language of labels and texts.
    pub lang: Lang,
    /// `month`, `range` or `data`: how the period was chosen.
    pub chosen_by: &'static str,
    /// Draw charts; `None` for `--no-charts`.
    pub charts: Option<FontPlan>,
}

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path inside the report folder (`flows.csv`, `charts/daily.svg`).
    pub name: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// The report's tables by file name, in the order of the contract.
pub fn tables(
    model: &Model,
    metrics: &Metrics,
    ingested: &Ingested,
    opts: &RenderOptions,
) -> Result<Vec<(&'static str, CsvTable)>, RunError> {
    let bom = opts.bom;
    let summary = summary::summary(model, metrics, opts.chosen_by);
    let summary_csv = summary::to_csv(&summary, bom).map_err(|e| RunError::Render {
        file: "summary.csv".into(),
        message: e.to_string(),
    })?;
    let mut out = vec![
        ("summary.csv", summary_csv),
        (
            "flows.csv",
            tables::flows(model, metrics.correlation.as_ref(), bom),
        ),
        ("daily.csv", tables::daily(metrics, bom)),
        ("failure_reasons.csv", tables::failure_reasons(metrics, bom)),
        (
            "throttling.csv",
            compliance::throttling(&metrics.throttling, model.tz, bom),
        ),
        (
            "registrations.csv",
            compliance::registrations(&metrics.registrations, model.tz, bom),
        ),
        (
            "license_gaps.csv",
            compliance::license_gaps(&metrics.license_gaps, bom),
        ),
        ("rejects.csv", tables::rejects(&ingested.rejects, bom)),
    ];
    if let Some(onprem) = &model.onprem {
        out.push((
            "writeback_events.csv",
            tables::writeback_events(model, onprem, bom),
        ));
    }
    if let Some(w) = &metrics.writeback {
        out.push(("writeback_health.csv", tables::writeback_health(w, bom)));
    }
    out.push((
        "inputs.csv",
        tables::inputs(&ingested.files, &model.file_accounting, model, bom),
    ));
    Ok(out)
}

/// Renders every file of the report.
pub fn render(
    model: &Model,
    metrics: &Metrics,
    ingested: &Ingested,
    opts: &RenderOptions,
) -> Result<Vec<OutputFile>, RunError> {
    let summary = summary::summary(model, metrics, opts.chosen_by);
    let json = summary::to_json(&summary).map_err(|e| RunError::Render {
        file: "summary.json".into(),
        message: e.to_string(),
    })?;
    let mut files = vec![OutputFile {
        name: "summary.json".into(),
        bytes: json,
    }];
    for (name, table) in tables(model, metrics, ingested, opts)? {
        files.push(OutputFile {
            name: name.into(),
            bytes: table.to_csv(),
        });
    }
    if let Some(plan) = &opts.charts {
        let data = charts::data(model, metrics, opts.lang);
        let drawn =
            charts::draw_all(&data, opts.lang, plan).map_err(|message| RunError::Render {
                file: "charts".into(),
                message,
            })?;
        for c in drawn {
            files.push(OutputFile {
                name: format!("charts/{}.svg", c.stem),
                bytes: c.svg.into_bytes(),
            });
            if let Some(png) = c.png {
                files.push(OutputFile {
                    name: format!("charts/{}.png", c.stem),
                    bytes: png,
                });
            }
        }
    }
    Ok(files)
}
