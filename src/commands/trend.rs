//! `sspr-report trend DIR`: the history's months of one tenant → trend.csv, trend_reasons.csv,
//! charts, trend.html (and trend.xlsx) in one folder, written like a report (atomically, never
//! over foreign files).

use crate::catalog::Lang;
use crate::commands::Status;
use crate::config::parse_month;
use crate::error::ConfigError;
use crate::history::{self, HistoryError, read};
use crate::render::csv::CsvTable;
use crate::render::output::{OutputKind, check_replaceable};
use crate::render::sanitize::display;
use crate::render::trend::{self as page, PageInput, TrendMonth};
use crate::render::{ReportDir, charts, trend_charts, xlsx};
use crate::time::Period;
use std::io::Write;
use std::path::PathBuf;

/// Everything `trend` needs, validated.
#[derive(Debug, Clone)]
pub struct TrendConfig {
    /// The history folder.
    pub dir: PathBuf,
    /// The tenant to read.
    pub tenant: String,
    /// First month (`None`: the first in the history).
    pub from: Option<Period>,
    /// Last month (`None`: the last in the history).
    pub to: Option<Period>,
    /// Output folder.
    pub out: PathBuf,
    /// Language of the page and the charts.
    pub lang: Lang,
    /// Also write trend.xlsx.
    pub xlsx: bool,
    /// UTF-8 BOM at the start of CSV files.
    pub bom: bool,
    /// Fonts for the charts; `None` for `--no-charts`.
    pub charts: Option<charts::FontPlan>,
    /// A damaged month makes the run exit 1.
    pub strict: bool,
    /// Nothing on the terminal.
    pub quiet: bool,
}

impl TrendConfig {
    /// Validates the options of `trend` (usage errors, exit 2).
    pub fn from_args(args: &crate::cli::TrendArgs) -> Result<Self, ConfigError> {
        let lang = match args.lang {
            crate::cli::LangArg::En => Lang::En,
            crate::cli::LangArg::Ja => Lang::Ja,
        };
        let from = args.from.as_deref().map(parse_month).transpose()?;
        let to = args.to.as_deref().map(parse_month).transpose()?;
        if let (Some(f), Some(t)) = (&from, &to)
            && t.from < f.from
        {
            return Err(ConfigError::Conflict(format!(
                "--to {} is before --from {}: the range would be empty",
                t.slug(),
                f.slug()
            )));
        }
        let tenant = args.tenant.clone().unwrap_or_else(|| "default".into());
        if !history::valid_tenant(&tenant) {
            return Err(ConfigError::InvalidValue {
                option: "--tenant",
                value: tenant,
                reason: "use letters, digits, '-', '_' and '.'".into(),
            });
        }
        let out = args
            .out
            .clone()
            .unwrap_or_else(|| PathBuf::from("reports").join("trend"));
        check_replaceable(&out, OutputKind::Trend).map_err(|reason| {
            ConfigError::OutputNotReplaceable {
                out: out.clone(),
                reason,
            }
        })?;
        let charts = if args.no_charts {
            None
        } else {
            Some(
                charts::plan_fonts(lang, None).map_err(|reason| ConfigError::InvalidValue {
                    option: "--lang",
                    value: "ja".into(),
                    reason,
                })?,
            )
        };
        Ok(TrendConfig {
            dir: args.dir.clone(),
            tenant,
            from,
            to,
            out,
            lang,
            xlsx: args.xlsx,
            bom: !args.no_bom,
            charts,
            strict: args.strict,
            quiet: args.quiet,
        })
    }
}

/// Every `YYYY-MM` from `first` to `last`, inclusive.
fn month_range(first: &str, last: &str) -> Vec<String> {
    let (Ok(start), Ok(end)) = (parse_month(first), parse_month(last)) else {
        return Vec::new();
    };
    crate::commands::history::months_of(&Period {
        from: start.from,
        to: end.to,
    })
    .iter()
    .map(Period::slug)
    .collect()
}

/// A history problem in the page's language.
fn text(e: &HistoryError, lang: Lang) -> String {
    match lang {
        Lang::En => e.to_string(),
        Lang::Ja => e.japanese(),
    }
}

/// A warning naming the file whose `cut` text cells were longer than the history keeps.
fn cut_warning(path: &std::path::Path, cut: usize, lang: Lang, warnings: &mut Vec<String>) {
    if cut == 0 {
        return;
    }
    let (path, kib) = (path.display(), read::MAX_TEXT / 1024);
    warnings.push(match lang {
        Lang::En => format!(
            "{path}: {cut} text cell(s) longer than {kib} KiB cut to {kib} KiB (the cut every \
             input field gets)"
        ),
        Lang::Ja => format!(
            "{path}: {kib} KiB を超えるテキスト {cut} 個を {kib} KiB で切りました (入力のすべての項目と同じ上限)"
        ),
    });
}

/// Reads the months of the range; damaged months become gaps with a warning.
fn load(config: &TrendConfig, warnings: &mut Vec<String>) -> Result<Vec<TrendMonth>, HistoryError> {
    let present = read::months(&config.dir, history::SUMMARY, &config.tenant);
    let (Some(first), Some(last)) = (present.first(), present.last()) else {
        return Err(HistoryError::NoHistory(config.dir.clone()));
    };
    let first = config.from.as_ref().map_or(first.clone(), Period::slug);
    let last = config.to.as_ref().map_or(last.clone(), Period::slug);
    let mut out = Vec::new();
    for month in month_range(&first, &last) {
        let mut m = TrendMonth {
            month: month.clone(),
            ..Default::default()
        };
        if present.contains(&month) {
            match read::summary_row(&config.dir, &config.tenant, &month) {
                Ok((path, row, cut)) => {
                    m.summary = Some(row);
                    cut_warning(&path, cut, config.lang, warnings);
                }
                Err(e @ HistoryError::UnknownSchema { .. }) => return Err(e),
                Err(e) => warnings.push(text(&e, config.lang)),
            }
        }
        if m.summary.is_some() {
            let columns = ["source", "reason", "category", "count", "share"];
            match read::rows(
                &config.dir,
                "failure_reasons",
                &config.tenant,
                &month,
                &columns,
            ) {
                Ok((rows, cut)) => {
                    m.reasons = rows;
                    let path =
                        history::partition(&config.dir, "failure_reasons", &config.tenant, &month);
                    cut_warning(&path, cut, config.lang, warnings);
                }
                Err(e @ HistoryError::UnknownSchema { .. }) => return Err(e),
                Err(e) => warnings.push(text(&e, config.lang)),
            }
        }
        out.push(m);
    }
    Ok(out)
}

/// Runs `trend`.
pub fn trend(config: &TrendConfig, out: &mut dyn Write) -> anyhow::Result<Status> {
    // Nothing is read through a link: it could lead out of the history.
    history::check_links(&config.dir, &config.tenant)?;
    if read::tenants(&config.dir).is_empty() {
        return Err(HistoryError::NoHistory(config.dir.clone()).into());
    }
    if read::months(&config.dir, history::SUMMARY, &config.tenant).is_empty() {
        let (dir, tenant) = (
            display(&config.dir.display().to_string()).into_owned(),
            display(&config.tenant).into_owned(),
        );
        let tenants = read::tenants(&config.dir).join(", ");
        match config.lang {
            Lang::En => {
                anyhow::bail!("{dir} holds no month of tenant '{tenant}' (tenants: {tenants})")
            }
            Lang::Ja => anyhow::bail!(
                "{dir} にテナント '{tenant}' の月がありません (あるテナント: {tenants})"
            ),
        }
    }
    let mut warnings = Vec::new();
    let months = load(config, &mut warnings)?;
    let trend = page::trend_table(&months, config.bom);
    let reasons = page::reasons_table(&months, config.bom);
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("trend.csv".into(), trend.to_csv()),
        ("trend_reasons.csv".into(), reasons.to_csv()),
    ];
    let mut drawn = Vec::new();
    if let Some(plan) = &config.charts {
        drawn = trend_charts::draw_all(&months, config.lang, plan, &config.tenant)
            .map_err(|e| anyhow::anyhow!("drawing the trend charts: {e}"))?;
        for c in &drawn {
            files.push((format!("charts/{}.svg", c.stem), c.svg.clone().into_bytes()));
            if let Some(png) = &c.png {
                files.push((format!("charts/{}.png", c.stem), png.clone()));
            }
        }
    }
    if config.xlsx {
        files.push((
            "trend.xlsx".into(),
            workbook(&months, &trend, &reasons, config.lang)?,
        ));
    }
    let mut names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    names.push("trend.html".into());
    let html = page::page(
        &months,
        &PageInput {
            tenant: &config.tenant,
            warnings: &warnings,
            charts: &drawn,
            files: &names,
        },
        config.lang,
    );
    files.push(("trend.html".into(), html.into_bytes()));
    let mut dir = ReportDir::create_for(&config.out, OutputKind::Trend)?;
    for (name, bytes) in &files {
        dir.write(name, bytes)?;
    }
    let path = dir.commit()?;
    if !config.quiet {
        let warning = match config.lang {
            Lang::En => "warning:",
            Lang::Ja => "警告:",
        };
        for w in &warnings {
            writeln!(out, "{warning} {}", display(w))?;
        }
        let gaps = months.iter().filter(|m| m.summary.is_none()).count();
        let (n, shown) = (
            months.len(),
            display(&path.display().to_string()).into_owned(),
        );
        match config.lang {
            Lang::En => {
                let months = if n == 1 { "month" } else { "months" };
                writeln!(out, "trend: {n} {months} ({gaps} without data) → {shown}")?
            }
            Lang::Ja => writeln!(out, "推移: {n} か月 (データなし {gaps}) → {shown}")?,
        }
    }
    if config.strict && !warnings.is_empty() {
        anyhow::bail!(
            "--strict: {} history file(s) could not be read (see the warnings)",
            warnings.len()
        );
    }
    Ok(Status::Done)
}

/// trend.xlsx: the two tables as sheets (the workbook writer wants a summary sheet first, so
/// the trend table takes that place).
fn workbook(
    months: &[TrendMonth],
    trend: &CsvTable,
    reasons: &CsvTable,
    lang: Lang,
) -> anyhow::Result<Vec<u8>> {
    // A fixed creation time keeps runs byte-identical: the last month's last day.
    let created = months
        .last()
        .and_then(|m| parse_month(&m.month).ok())
        .and_then(|p| p.to.and_hms_opt(0, 0, 0))
        .unwrap_or_default();
    let tables = [("summary.csv", trend), ("trend_reasons.csv", reasons)];
    xlsx::workbook(&tables, lang, created).map_err(|e| anyhow::anyhow!("trend.xlsx: {e}"))
}
