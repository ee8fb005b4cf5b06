//! Every file of one report, in memory, in the order they are written: the tables (as CSV, and
//! as sheets of `report.xlsx`), `summary.json`, the charts and `index.html`. Pseudonymization,
//! when asked for, rewrites the tables and the summary before anything is rendered from them,
//! so no file can leak what another one hides.

use crate::catalog::Lang;
use crate::error::RunError;
use crate::metrics::Metrics;
use crate::model::Model;
use crate::render::charts::{self, FontPlan};
use crate::render::csv::{CellRewrite, CsvRows, CsvTable};
use crate::render::pseudonymize::Pseudonymizer;
use crate::render::{compliance, html, parquet, summary, tables, xlsx};

/// How the report is rendered.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// writeback_events.csv and flows.csv are written part by part from the model, and only
    /// the rows the page shows are held as tables (set when no workbook and no history needs
    /// the whole tables: a large tenant's are hundreds of thousands of rows).
    pub stream_events: bool,
    /// UTF-8 BOM at the start of CSV files.
    pub bom: bool,
    /// Language of labels and texts.
    pub lang: Lang,
    /// `month`, `range` or `data`: how the period was chosen.
    pub chosen_by: &'static str,
    /// Draw charts; `None` for `--no-charts`.
    pub charts: Option<FontPlan>,
    /// Write `report.xlsx`.
    pub xlsx: bool,
    /// Write the flows as Parquet, partitioned by month.
    pub parquet: bool,
    /// Replace UPNs, names and IP addresses (`--pseudonymize`).
    pub pseudonymizer: Option<Pseudonymizer>,
    /// The previous month from the history (`--history`): the page shows the changes.
    pub previous: Option<html::PreviousMonth>,
}

/// Writes a file's contents part by part.
pub type Writer<'a> = Box<dyn FnOnce(&mut dyn std::io::Write) -> std::io::Result<()> + 'a>;

/// What one output file holds: its bytes, a table written as CSV straight into the file, or a
/// writer that makes the contents part by part.
pub enum Body<'a> {
    /// The file's bytes.
    Bytes(Vec<u8>),
    /// A report table, written as CSV.
    Table(&'a CsvTable),
    /// Contents made while written.
    Stream(Writer<'a>),
}

impl Body<'_> {
    /// Writes the contents into `out`.
    pub fn write_to(self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        match self {
            Body::Bytes(bytes) => out.write_all(&bytes),
            Body::Table(table) => table.write_csv(out),
            Body::Stream(write) => write(out),
        }
    }

    /// The contents as bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        match self {
            Body::Bytes(bytes) => bytes,
            Body::Table(table) => table.to_csv(),
            Body::Stream(write) => {
                let mut bytes = Vec::new();
                // Writing into a Vec cannot fail.
                let _ = write(&mut bytes);
                bytes
            }
        }
    }
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
fn tables(
    model: &Model,
    metrics: &Metrics,
    summary: &summary::Summary<'_>,
    opts: &RenderOptions,
) -> Result<Vec<(&'static str, CsvTable)>, RunError> {
    let bom = opts.bom;
    let summary_csv = summary::to_csv(summary, bom).map_err(|e| RunError::Render {
        file: "summary.csv".into(),
        message: e.to_string(),
    })?;
    // The page shows no flow or registration rows: written in parts, the tables of
    // flows.csv and registrations.csv hold none here.
    let flows = match streamed("flows.csv", opts) {
        true => CsvTable::new(&tables::FLOWS_HEADER, bom),
        false => tables::flows(model, metrics.correlation.as_ref(), bom),
    };
    let registrations = match streamed("registrations.csv", opts) {
        true => CsvTable::new(&compliance::REGISTRATIONS_HEADER, bom),
        false => compliance::registrations(&metrics.registrations, model.tz, bom),
    };
    let mut out = vec![
        ("summary.csv", summary_csv),
        ("flows.csv", flows),
        ("daily.csv", tables::daily(metrics, bom)),
        ("failure_reasons.csv", tables::failure_reasons(metrics, bom)),
        (
            "throttling.csv",
            compliance::throttling(&metrics.throttling, model.tz, bom),
        ),
        ("registrations.csv", registrations),
        (
            "license_gaps.csv",
            compliance::license_gaps(&metrics.license_gaps, bom),
        ),
        ("rejects.csv", tables::rejects(&model.inputs.rejects, bom)),
    ];
    // Every file of the contract on every run, header only when the inputs cannot fill it.
    let events = match streamed("writeback_events.csv", opts) {
        true => shown_writeback_events(model, bom),
        false => tables::writeback_events(model, model.onprem.as_ref(), bom),
    };
    out.push(("writeback_events.csv", events));
    out.push((
        "writeback_health.csv",
        tables::writeback_health(metrics.writeback.as_ref(), bom),
    ));
    out.push((
        "inputs.csv",
        tables::inputs(&model.inputs.files, &model.file_accounting, model, bom),
    ));
    Ok(out)
}

/// Rows held at a time when a table is written part by part.
const PART_ROWS: usize = 10_000;

/// Parts made side by side, at most (see [`write_in_parts_of`]): parallel enough for the
/// formatting, which is all they do.
const MAX_PARTS_AT_ONCE: usize = 4;

/// Whether the table `name` is written part by part from the model.
fn streamed(name: &str, opts: &RenderOptions) -> bool {
    match name {
        "writeback_events.csv" | "registrations.csv" => opts.stream_events,
        // --parquet writes the flows from the whole table.
        "flows.csv" => opts.stream_events && !opts.parquet,
        _ => false,
    }
}

/// A table written part by part: its file name, columns and rows.
struct Streamed<'h> {
    name: &'h str,
    header: &'h [&'h str],
    count: usize,
}

/// Writes the table part by part: `rows` writes the rows of a range, pseudonymized here as
/// [`prepared`] would (no BOM; the header with the first part).
fn write_in_parts(
    table: Streamed<'_>,
    rows: impl Fn(std::ops::Range<usize>, &mut CsvRows<'_>) + Sync,
    opts: &RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    write_in_parts_of(PART_ROWS, table, rows, opts, out)
}

/// [`write_in_parts`] with rounds of `round_rows` rows: each round is cut into one part per
/// thread (at most [`MAX_PARTS_AT_ONCE`]), turned into CSV side by side, and written in
/// order. A round holds no more rows than one part did when parts were made one at a time.
fn write_in_parts_of(
    round_rows: usize,
    table: Streamed<'_>,
    rows: impl Fn(std::ops::Range<usize>, &mut CsvRows<'_>) + Sync,
    opts: &RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    if opts.bom {
        out.write_all(&[0xEF, 0xBB, 0xBF])?;
    }
    let count = table.count;
    let width = rayon::current_num_threads().clamp(1, MAX_PARTS_AT_ONCE);
    let part_rows = round_rows.div_ceil(width).max(1);
    // An empty table is one empty part: its header is still written.
    let ranges: Vec<std::ops::Range<usize>> = (0..count.max(1))
        .step_by(part_rows)
        .map(|start| start..(start + part_rows).min(count))
        .collect();
    let pseudonymize = opts
        .pseudonymizer
        .as_ref()
        .map(|p| move |column: &str, value: &str| p.table_cell(table.name, column, value));
    let rewrite = pseudonymize.as_ref().map(|f| f as CellRewrite<'_>);
    // Each part written as CSV on its thread; only the bytes are written in order.
    let made = |range: &std::ops::Range<usize>| {
        let mut part = CsvRows::new(table.header, range.start == 0, rewrite);
        rows(range.clone(), &mut part);
        part.into_bytes()
    };
    for round in ranges.chunks(width) {
        let parts: Vec<std::io::Result<Vec<u8>>> = round.par_iter().map(made).collect();
        for bytes in parts {
            out.write_all(&bytes?)?;
        }
    }
    Ok(())
}

/// Writes flows.csv part by part.
fn write_flows(
    model: &Model,
    metrics: &Metrics,
    opts: &RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let correlation = metrics.correlation.as_ref();
    let table = Streamed {
        name: "flows.csv",
        header: &tables::FLOWS_HEADER,
        count: model.flows.len(),
    };
    let rows = |range, part: &mut CsvRows<'_>| tables::flow_rows(model, correlation, range, part);
    write_in_parts(table, rows, opts, out)
}

/// Writes registrations.csv part by part.
fn write_registrations(
    model: &Model,
    metrics: &Metrics,
    opts: &RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let reg = &metrics.registrations;
    let table = Streamed {
        name: "registrations.csv",
        header: &compliance::REGISTRATIONS_HEADER,
        count: reg.rows.len(),
    };
    let rows =
        |range, part: &mut CsvRows<'_>| compliance::registration_rows(reg, model.tz, range, part);
    write_in_parts(table, rows, opts, out)
}

/// Writes writeback_events.csv part by part.
fn write_writeback_events(
    model: &Model,
    opts: &RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let order = tables::writeback_event_order(model.onprem.as_ref());
    let table = Streamed {
        name: "writeback_events.csv",
        header: &tables::WRITEBACK_EVENTS_HEADER,
        count: order.len(),
    };
    let rows = |range: std::ops::Range<usize>, part: &mut CsvRows<'_>| {
        tables::writeback_event_rows(model, &order[range], part)
    };
    write_in_parts(table, rows, opts, out)
}

/// The rows of writeback_events.csv that the page shows, as a table: the page's own filter,
/// applied to the events before their rows are made (the table's order restricted to them).
fn shown_writeback_events(model: &Model, bom: bool) -> CsvTable {
    let shown = model.onprem.as_ref().map(|onprem| {
        let events = onprem.events.iter().zip(&onprem.used).filter(|(e, used)| {
            let has_code = e.parsed.hr_code.as_deref().is_some_and(|c| !c.is_empty());
            **used && html::is_error_event(e.source_kind(), Some(e.event_id), has_code)
        });
        tables::in_table_order(events.map(|(e, _)| e))
    });
    let mut t = CsvTable::new(&tables::WRITEBACK_EVENTS_HEADER, bom);
    tables::writeback_event_rows(model, shown.as_deref().unwrap_or_default(), &mut t);
    t
}

fn render_error(file: &str) -> impl Fn(String) -> RunError + '_ {
    move |message| RunError::Render {
        file: file.into(),
        message,
    }
}

/// summary.json's value and the report's tables by file name.
pub type Prepared = (serde_json::Value, Vec<(&'static str, CsvTable)>);

/// The report's summary (as summary.json holds it) and tables by file name, pseudonymized when
/// asked for: what every file is rendered from, and what the Parquet history stores.
pub fn prepared(
    model: &Model,
    metrics: &Metrics,
    opts: &RenderOptions,
) -> Result<Prepared, RunError> {
    let summary = summary::summary(model, metrics, opts.chosen_by);
    let mut summary_value =
        serde_json::to_value(&summary).map_err(|e| render_error("summary.json")(e.to_string()))?;
    let mut tables = tables(model, metrics, &summary, opts)?;
    if let Some(p) = &opts.pseudonymizer {
        p.json(&mut summary_value);
        for (name, t) in &mut tables {
            t.map_cells(|column, value| p.table_cell(name, column, value));
        }
    }
    Ok((summary_value, tables))
}

/// Renders every file of the report.
pub fn render(
    model: &Model,
    metrics: &Metrics,
    opts: &RenderOptions,
) -> Result<Vec<OutputFile>, RunError> {
    let (summary_value, tables) = prepared(model, metrics, opts)?;
    let mut files = Vec::new();
    render_prepared(
        model,
        metrics,
        &summary_value,
        &tables,
        opts,
        &mut |name, body| {
            files.push(OutputFile {
                name: name.to_string(),
                bytes: body.into_bytes(),
            });
            Ok(())
        },
    )?;
    Ok(files)
}

/// Renders every file of the report from what [`prepared`] returned, handing each to `emit`
/// as soon as it is made (a large tenant's CSVs are tens of MB each: they are not all held at
/// once).
pub fn render_prepared(
    model: &Model,
    metrics: &Metrics,
    summary_value: &serde_json::Value,
    tables: &[(&'static str, CsvTable)],
    opts: &RenderOptions,
    emit: &mut dyn FnMut(&str, Body<'_>) -> Result<(), RunError>,
) -> Result<(), RunError> {
    let pseudonymizer = &opts.pseudonymizer;
    let mut json = serde_json::to_vec_pretty(summary_value)
        .map_err(|e| render_error("summary.json")(e.to_string()))?;
    json.push(b'\n');
    // The names of the files written, for the page's file list.
    let mut names: Vec<String> = Vec::new();
    let mut put = |name: String, body: Body<'_>| {
        emit(&name, body)?;
        names.push(name);
        Ok::<(), RunError>(())
    };
    put("summary.json".into(), Body::Bytes(json))?;
    for (name, table) in tables {
        let body = match *name {
            "writeback_events.csv" if streamed(name, opts) => {
                Body::Stream(Box::new(|out| write_writeback_events(model, opts, out)))
            }
            "flows.csv" if streamed(name, opts) => {
                Body::Stream(Box::new(|out| write_flows(model, metrics, opts, out)))
            }
            "registrations.csv" if streamed(name, opts) => Body::Stream(Box::new(|out| {
                write_registrations(model, metrics, opts, out)
            })),
            _ => Body::Table(table),
        };
        put((*name).into(), body)?;
    }
    if opts.parquet
        && let Some((_, flows)) = tables.iter().find(|(n, _)| *n == "flows.csv")
    {
        for (name, bytes) in
            parquet::flows_by_month(model, flows).map_err(render_error("parquet"))?
        {
            put(name, Body::Bytes(bytes))?;
        }
    }
    let mut drawn = Vec::new();
    if let Some(plan) = &opts.charts {
        let period_known = model.audit_span.is_some() || opts.chosen_by != "data";
        let data = charts::data(
            model,
            metrics,
            opts.lang,
            period_known,
            pseudonymizer.as_ref(),
        );
        drawn = charts::draw_all(&data, opts.lang, plan).map_err(render_error("charts"))?;
        for c in &drawn {
            if c.missing.is_some() {
                continue;
            }
            put(
                format!("charts/{}.svg", c.stem),
                Body::Bytes(c.svg.clone().into_bytes()),
            )?;
            if let Some(png) = &c.png {
                put(format!("charts/{}.png", c.stem), Body::Bytes(png.clone()))?;
            }
        }
    }
    let refs: Vec<(&str, &CsvTable)> = tables.iter().map(|(n, t)| (*n, t)).collect();
    if opts.xlsx {
        // The workbook's creation time is the period's last day: a fixed value keeps runs
        // byte-identical, and it says which month the workbook is about.
        let created = model.period.to.and_hms_opt(0, 0, 0).unwrap_or_default();
        let bytes =
            xlsx::workbook(&refs, opts.lang, created).map_err(render_error("report.xlsx"))?;
        put("report.xlsx".into(), Body::Bytes(bytes))?;
    }
    names.push("index.html".into());
    let warnings: Vec<String> = metrics
        .coverage
        .warnings
        .iter()
        .map(|w| {
            let text = w.text(opts.lang);
            match pseudonymizer {
                Some(p) => p.warning(&text),
                None => text,
            }
        })
        .collect();
    // The guide sits beside the tool, not beside the report: its path in the project is named.
    let missing: Vec<(String, String)> = metrics
        .coverage
        .inputs_missing
        .iter()
        .map(|m| (m.consequence(opts.lang), m.how(opts.lang)))
        .collect();
    let attempts = match pseudonymizer {
        Some(p) => crate::render::attempts::pseudonymized(&metrics.attempts, p),
        None => metrics.attempts.clone(),
    };
    let page = html::page_with_previous(
        summary_value,
        &html::Notes {
            warnings: &warnings,
            missing: &missing,
        },
        &refs,
        &drawn,
        &names,
        opts.lang,
        opts.previous.as_ref(),
        Some(&attempts),
    );
    emit("index.html", Body::Bytes(page.into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::csv::TableRows;
    use crate::render::pseudonymize::Pseudonymizer;

    const USERS_HEADER: [&str; 2] = ["user", "events"];

    /// Rows of users, as the registration table has them.
    fn users(rows: std::ops::Range<usize>, out: &mut impl TableRows) {
        for i in rows {
            out.row([format!("user{i}@contoso.co.jp"), format!("={i}")]);
        }
    }

    /// A table written in parts (here rounds of 3 rows on two threads: parts of 2 rows, so
    /// that every kind of part and round boundary occurs) is the table written whole: one BOM,
    /// one header, the same rows, pseudonymized alike.
    #[test]
    fn a_table_written_in_parts_is_the_table_written_whole() {
        let key = Pseudonymizer::new("a-long-enough-secret-key").expect("key");
        for count in [0, 1, 3, 7, 9, 13] {
            for (bom, pseudonymizer) in [(false, None), (true, None), (true, Some(key.clone()))] {
                let opts = RenderOptions {
                    bom,
                    pseudonymizer: pseudonymizer.clone(),
                    ..RenderOptions::default()
                };
                let mut whole = CsvTable::new(&USERS_HEADER, bom);
                users(0..count, &mut whole);
                if let Some(p) = &pseudonymizer {
                    whole.map_cells(|column, value| {
                        p.table_cell("registrations.csv", column, value)
                    });
                }
                let mut parts = Vec::new();
                // Two threads, so that a round holds several parts on any machine.
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(2)
                    .build()
                    .expect("two threads");
                pool.install(|| {
                    write_in_parts_of(
                        3,
                        Streamed {
                            name: "registrations.csv",
                            header: &USERS_HEADER,
                            count,
                        },
                        |rows, part: &mut CsvRows<'_>| users(rows, part),
                        &opts,
                        &mut parts,
                    )
                })
                .expect("in memory");
                let whole = whole.to_csv();
                assert_eq!(
                    String::from_utf8_lossy(&parts),
                    String::from_utf8_lossy(&whole),
                    "{count} rows, bom {bom}"
                );
                assert_eq!(whole.split(|&b| b == b'\n').count(), count + 2);
            }
        }
    }
}
