//! `sspr-report run`: inputs → ingest → model → metrics → report folder.

use crate::commands::Status;
use crate::config::{PeriodChoice, RunConfig, check_paths};
use crate::ingest::{self, IngestOptions};
use crate::metrics::{self, MetricsOptions};
use crate::model::build;
use crate::render::ReportDir;
use crate::render::report::{self, RenderOptions};
use std::io::{IsTerminal, Write};

/// Runs the report. Writes a short account to `out` unless `--quiet`.
pub fn run(config: &RunConfig, out: &mut dyn Write) -> anyhow::Result<Status> {
    let target = config.report_dir();
    check_paths(&config.inputs, Some(&target))?;
    let mut files = ingest::collect_files(&config.inputs)?;
    // Sorted, so the order of INPUT arguments never changes the report.
    files.sort();
    let progress = !config.quiet && std::io::stderr().is_terminal();
    let mut ingested = ingest::ingest(
        &files,
        IngestOptions {
            progress,
            onprem_tz: config.onprem_tz,
            threads: config.threads,
        },
    )?;
    let model = build::build(
        &mut ingested,
        &config.period,
        &build::BuildOptions {
            tz: config.tz,
            match_window: config.match_window,
            gap: config.gap,
        },
    );
    let explicit = matches!(config.period, PeriodChoice::Explicit(_));
    let metrics = metrics::compute(
        &model,
        &ingested,
        &MetricsOptions {
            gap: config.gap,
            explicit_period: explicit,
            throttle_threshold: config.throttle_threshold,
            throttle_window: config.throttle_window,
            lang: config.lang,
            match_window: config.match_window,
        },
    )?;

    let chosen_by = match &config.period {
        PeriodChoice::Explicit(p) if p.slug().len() == 7 => "month",
        PeriodChoice::Explicit(_) => "range",
        PeriodChoice::FromData => "data",
    };
    // Display names are only known once the snapshots are read.
    let pseudonymizer = config.pseudonymizer.clone().map(|mut p| {
        if let Some(s) = &model.registration.snapshot {
            p.add_names(s.rows.values().filter_map(|r| r.display_name.clone()));
        }
        if let Some(l) = &model.licenses {
            p.add_names(l.rows.values().filter_map(|r| r.display_name.clone()));
        }
        p
    });
    if let (Some(crate::render::charts::FontPlan::SvgOnly(why)), false) =
        (&config.charts, config.quiet)
    {
        writeln!(out, "warning: {why}")?;
    }
    let files = report::render(
        &model,
        &metrics,
        &ingested,
        &RenderOptions {
            bom: config.bom,
            lang: config.lang,
            chosen_by,
            charts: config.charts.clone(),
            xlsx: config.xlsx,
            parquet: config.parquet,
            pseudonymizer: pseudonymizer.clone(),
        },
    )?;
    let mut dir = ReportDir::create(&target)?;
    for f in &files {
        dir.write(&f.name, &f.bytes)?;
    }
    let written = dir.files().len();
    let path = dir.commit()?;

    let acc = &model.accounting;
    if !config.quiet {
        let s = &metrics.sspr.counts;
        if model.audit_span.is_none() {
            writeln!(out, "no audit log records were read")?;
        } else {
            writeln!(
                out,
                "{} flows from {} to {} ({}): {} succeeded, {} failed, {} blocked, {} abandoned",
                s.flows,
                model.period.from,
                model.period.to,
                model.tz.name(),
                s.succeeded,
                s.failed,
                s.blocked,
                s.abandoned
            )?;
        }
        writeln!(
            out,
            "{} files, {} records read: {} used, {} out of scope, {} duplicate, {} rejected{}",
            acc.files,
            acc.records_read,
            acc.used,
            acc.out_of_scope,
            acc.duplicate,
            acc.rejected,
            if acc.rejected > 0 {
                " (see rejects.csv)"
            } else {
                ""
            }
        )?;
        if let (Some(w), Some(c)) = (&metrics.writeback, &metrics.correlation) {
            let w = &w.summary;
            writeln!(
                out,
                "writeback: {} operations ({} succeeded, {} failed, {} pending), {} outages ({} min); \
                 {} flows matched, {} cloud only, {} on-prem only, {} not checked",
                w.requests,
                w.succeeded,
                w.failed,
                w.pending,
                w.outages,
                w.outage_minutes,
                c.matched,
                c.cloud_only,
                c.onprem_only,
                c.not_checked
            )?;
        }
        for w in &metrics.coverage.warnings {
            writeln!(out, "warning: {w}")?;
        }
        let unknown = &metrics.license_gaps.summary.unrecognised_products;
        if !unknown.is_empty() {
            writeln!(
                out,
                "warning: licence products with no known service plans: {}; users holding only these \
                 are not counted for or against P1 (part numbers are resolved by a Graph subscribedSkus \
                 export; product names need the Graph users export with licenseDetails)",
                unknown.join(", ")
            )?;
        }
        for f in &ingested.files {
            for w in &f.warnings {
                writeln!(out, "warning: {}: {w}", f.file.display)?;
            }
        }
        writeln!(out, "report: {} ({written} files)", path.display())?;
    }
    if config.strict && acc.rejected > 0 {
        anyhow::bail!(
            "--strict: {} record(s) rejected; the report was written to {} (see rejects.csv)",
            acc.rejected,
            path.display()
        );
    }
    Ok(Status::Done)
}
