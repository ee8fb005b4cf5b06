//! Charts of the report, each drawn once per backend: SVG (text left to the viewer's fonts, so
//! Japanese always shows) and PNG (text rasterized with a registered font: the embedded DejaVu
//! Sans, or a CJK font found on the system or given with `--font` for Japanese labels).
//!
//! Every chart has a title, a subtitle with the period and time zone, axis labels with units,
//! and the same colour for the same outcome everywhere.

use crate::catalog::Lang;
use crate::metrics::Metrics;
use crate::model::{FlowKind, Model, Outcome};
use crate::render::labels;
use chrono::{Datelike, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};
use std::path::{Path, PathBuf};

/// The Latin font every PNG label is drawn with when no CJK font is needed.
static DEJAVU_SANS: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

/// Where Debian and friends keep CJK fonts that cover Japanese (tried in this order).
pub const CJK_FONT_PATHS: [&str; 6] = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansJP-Regular.ttf",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
];

/// Outcome colours, the same in every chart and on the HTML page.
pub mod colour {
    use plotters::style::RGBColor;
    /// Succeeded.
    pub const SUCCEEDED: RGBColor = RGBColor(46, 125, 50);
    /// Failed.
    pub const FAILED: RGBColor = RGBColor(198, 40, 40);
    /// Blocked (throttled).
    pub const BLOCKED: RGBColor = RGBColor(123, 31, 162);
    /// Abandoned.
    pub const ABANDONED: RGBColor = RGBColor(158, 158, 158);
    /// Neutral series (requests, counts).
    pub const NEUTRAL: RGBColor = RGBColor(21, 101, 192);
    /// Outage spans.
    pub const OUTAGE: RGBColor = RGBColor(239, 108, 0);
    /// Method palette for registrations.
    pub const METHODS: [RGBColor; 7] = [
        RGBColor(21, 101, 192),
        RGBColor(0, 137, 123),
        RGBColor(249, 168, 37),
        RGBColor(94, 53, 177),
        RGBColor(216, 67, 21),
        RGBColor(84, 110, 122),
        RGBColor(173, 20, 87),
    ];
}

/// Which fonts the PNGs can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FontPlan {
    /// PNG labels in DejaVu Sans (English).
    Embedded,
    /// PNG labels in this CJK font (Japanese).
    Cjk(PathBuf),
    /// No font for the labels: SVG only; the text says why.
    SvgOnly(String),
}

/// Decides the PNG font: `--font` first, then the system's CJK fonts when the labels are
/// Japanese. `Err` when `--font` names a file that cannot be read as a font.
pub fn plan_fonts(lang: Lang, font: Option<&Path>) -> Result<FontPlan, String> {
    if let Some(path) = font {
        let bytes = std::fs::read(path)
            .map_err(|e| format!("--font {}: cannot be read: {e}", path.display()))?;
        ab_glyph_check(&bytes)
            .map_err(|_| format!("--font {}: not a TrueType/OpenType font", path.display()))?;
        return Ok(FontPlan::Cjk(path.to_path_buf()));
    }
    if lang == Lang::En {
        return Ok(FontPlan::Embedded);
    }
    for candidate in CJK_FONT_PATHS {
        let p = Path::new(candidate);
        if p.is_file() {
            return Ok(FontPlan::Cjk(p.to_path_buf()));
        }
    }
    Ok(FontPlan::SvgOnly(
        crate::metrics::coverage::Warning::NoJapaneseFont.text(Lang::En),
    ))
}

fn ab_glyph_check(bytes: &[u8]) -> Result<(), ()> {
    // Registering under a private name validates the font without touching "sans-serif".
    let leaked: &'static [u8] = Box::leak(bytes.to_vec().into_boxed_slice());
    register_font("sspr-font-check", FontStyle::Normal, leaked).map_err(|_| ())
}

/// Registers the PNG font as "sans-serif" (plotters' default family).
pub(crate) fn register(plan: &FontPlan) -> Result<(), String> {
    let bytes: &'static [u8] = match plan {
        FontPlan::Cjk(path) => {
            let data = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            // plotters keeps fonts for the life of the process; a run draws with one font.
            Box::leak(data.into_boxed_slice())
        }
        FontPlan::Embedded | FontPlan::SvgOnly(_) => DEJAVU_SANS,
    };
    for style in [FontStyle::Normal, FontStyle::Bold] {
        register_font("sans-serif", style, bytes)
            .map_err(|_| "the chart font cannot be read".to_string())?;
    }
    Ok(())
}

/// Text of the charts in the report language.
struct Words {
    daily_title: &'static str,
    flows: &'static str,
    date: &'static str,
    failure_rate: &'static str,
    outcomes: [&'static str; 4],
    reasons_title: &'static str,
    count: &'static str,
    funnel_title: &'static str,
    funnel_stages: [&'static str; 4],
    throttle_title: &'static str,
    throttle_counts: &'static str,
    hour: &'static str,
    weekdays: [&'static str; 7],
    registrations_title: &'static str,
    events: &'static str,
    health_title: &'static str,
    requests: &'static str,
    failed_ops: &'static str,
    outage: &'static str,
    operations: &'static str,
    no_data: &'static str,
    no_audit: &'static str,
    other: &'static str,
    needs_audit: &'static str,
    needs_registrations: &'static str,
    needs_onprem: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::En => Words {
            daily_title: "SSPR flows per day and failure rate",
            flows: "Flows",
            date: "Date",
            failure_rate: "Failure rate (%)",
            outcomes: ["Succeeded", "Failed", "Blocked", "Abandoned"],
            reasons_title: "Top failure reasons",
            count: "Failed or blocked flows",
            funnel_title: "How far self-service resets got",
            funnel_stages: [
                "Started",
                "Identity verified",
                "New password submitted",
                "Succeeded",
            ],
            throttle_title: "Throttling blocks by weekday and hour",
            throttle_counts: "counts block records, and flows blocked for 24 hours that have none",
            hour: "Hour of day",
            weekdays: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
            registrations_title: "Registrations per day by method",
            events: "Registration events",
            health_title: "Password writeback health",
            requests: "Requests",
            failed_ops: "Failed",
            outage: "Outage (minutes)",
            operations: "Writeback operations",
            no_data: "No data in this period",
            no_audit: "No audit log was read: the period is unknown",
            other: "Other",
            needs_audit: "not in the inputs: it needs an audit log",
            needs_registrations: "not in the inputs: it needs an audit log or registration usage records",
            needs_onprem: "not in the inputs: it needs an Entra Connect server log with records in the period",
        },
        Lang::Ja => Words {
            daily_title: "日別の SSPR フローと失敗率",
            flows: "フロー数",
            date: "日付",
            failure_rate: "失敗率 (%)",
            outcomes: ["成功", "失敗", "ブロック", "中断"],
            reasons_title: "失敗理由 (上位)",
            count: "失敗・ブロックしたフロー数",
            funnel_title: "セルフサービス リセットの到達段階",
            funnel_stages: ["開始", "本人確認済み", "新パスワード送信", "成功"],
            throttle_title: "曜日・時間帯別の SSPR ブロック",
            throttle_counts: "ブロック記録と、記録のない「24 時間ブロック」の失敗フローの件数",
            hour: "時 (時間帯)",
            weekdays: ["月", "火", "水", "木", "金", "土", "日"],
            registrations_title: "日別・方法別の登録",
            events: "登録イベント数",
            health_title: "パスワード ライトバックの状況",
            requests: "要求",
            failed_ops: "失敗",
            outage: "停止 (分)",
            operations: "ライトバック操作数",
            no_data: "この期間のデータはありません",
            no_audit: "監査ログを読み込めなかったため、期間は不明です",
            other: "その他",
            needs_audit: "入力にありません (監査ログが必要です)",
            needs_registrations: "入力にありません (監査ログか登録の使用状況レコードが必要です)",
            needs_onprem: "入力にありません (期間内のレコードを含む Entra Connect サーバーのログが必要です)",
        },
    }
}

const OUTCOME_COLOURS: [RGBColor; 4] = [
    colour::SUCCEEDED,
    colour::FAILED,
    colour::BLOCKED,
    colour::ABANDONED,
];

/// What the charts draw, taken from the model and metrics once.
#[derive(Debug, Clone)]
pub struct ChartData {
    /// Subtitle: period and time zone.
    pub subtitle: String,
    /// An audit log was read (the flow charts have something to show).
    pub has_audit: bool,
    /// Registration events can be known (an audit log or usage records).
    pub has_registrations: bool,
    /// Every day of the period with its flows by outcome (succeeded, failed, blocked, abandoned).
    pub daily: Vec<(NaiveDate, [u64; 4])>,
    /// Most frequent failure reasons (label, count, on-prem?).
    pub reasons: Vec<(String, u64, bool)>,
    /// Self-service resets that started, verified, submitted a password, succeeded.
    pub funnel: [u64; 4],
    /// Blocks per weekday (Monday first) and hour.
    pub throttling: [[u64; 24]; 7],
    /// Every day of the period with registration events per method (methods in `methods` order).
    pub registrations: Vec<(NaiveDate, Vec<u64>)>,
    /// Methods of the registration chart, most frequent first (the tail folded into "other").
    pub methods: Vec<String>,
    /// Writeback per day (requests, failed, outage minutes); `None` without an on-prem log.
    pub health: Option<Vec<(NaiveDate, u64, u64, u64)>>,
}

fn period_days(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    from.iter_days()
        .take_while(|d| *d <= to)
        .take(400)
        .collect()
}

/// Gathers the chart data; label texts go through `pseudonymizer` (a failure reason may quote a
/// user) before they are cut to length. `period_known` is false when the period was to come from
/// an audit log and none was read: the subtitle says so instead of showing a made-up period.
pub fn data(
    model: &Model,
    metrics: &Metrics,
    lang: Lang,
    period_known: bool,
    pseudonymizer: Option<&crate::render::pseudonymize::Pseudonymizer>,
) -> ChartData {
    let hide = |text: &str| match pseudonymizer {
        Some(p) => p.reason(text),
        None => text.to_string(),
    };
    let days = period_days(model.period.from, model.period.to);
    let index = |d: NaiveDate| {
        usize::try_from((d - model.period.from).num_days())
            .ok()
            .filter(|&i| i < days.len())
    };
    // daily.csv already counts flows per date, kind and outcome: fold the kinds.
    let mut daily: Vec<(NaiveDate, [u64; 4])> = days.iter().map(|d| (*d, [0; 4])).collect();
    for row in &metrics.daily {
        let slot = match row.outcome.as_str() {
            "succeeded" => 0,
            "failed" => 1,
            "blocked" => 2,
            _ => 3,
        };
        let date = NaiveDate::parse_from_str(&row.date, "%Y-%m-%d").ok();
        if let Some(i) = date.and_then(index) {
            daily[i].1[slot] += row.flows;
        }
    }
    let reasons = metrics
        .failure_reasons
        .iter()
        .take(10)
        .map(|r| {
            // The logged wording is pseudonymized before it is labelled: a catalog wording
            // stays (and its label with it), anything else is a keyed hash.
            let text = labels::reason_bar(&hide(&r.reason), &r.code, &r.category, lang);
            // A NUL or a control character in a logged reason would make the SVG ill-formed.
            let text = crate::render::sanitize::display(&text).into_owned();
            (shorten(&text, 52), r.count, r.source == "onprem")
        })
        .collect();
    let mut funnel = [0u64; 4];
    for f in model.flows.iter().filter(|f| f.kind == FlowKind::Reset) {
        let verified = f.reached_writeback
            || f.records
                .iter()
                .filter_map(|&i| model.records.get(i))
                .any(|r| {
                    r.is_activity(crate::model::audit::activity::PROGRESS)
                        && r.reason.to_lowercase().starts_with("user completed")
                });
        let stages = [
            true,
            verified,
            f.reached_writeback,
            f.outcome == Outcome::Succeeded,
        ];
        for (n, reached) in funnel.iter_mut().zip(stages) {
            *n += u64::from(reached);
        }
    }
    let mut totals: std::collections::BTreeMap<&str, u64> = Default::default();
    for ((_, m), n) in &metrics.registrations.per_day_method {
        *totals.entry(m.as_str()).or_default() += n;
    }
    let mut ranked: Vec<(&str, u64)> = totals.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let shown = colour::METHODS.len() - 1;
    let mut methods: Vec<String> = ranked
        .iter()
        .take(shown)
        .map(|(m, _)| m.to_string())
        .collect();
    let folded = ranked.len() > shown;
    if folded {
        methods.push(words(lang).other.to_string());
    }
    let mut registrations: Vec<(NaiveDate, Vec<u64>)> =
        days.iter().map(|d| (*d, vec![0; methods.len()])).collect();
    for ((d, m), n) in &metrics.registrations.per_day_method {
        let Some(i) = index(*d) else { continue };
        let slot = methods
            .iter()
            .position(|x| x == m)
            .unwrap_or(methods.len().saturating_sub(1));
        if let Some(cell) = registrations[i].1.get_mut(slot) {
            *cell += n;
        }
    }
    let health = metrics.writeback.as_ref().map(|w| {
        w.daily
            .iter()
            .map(|r| (r.date, r.requests, r.failed, r.outage_minutes))
            .collect()
    });
    ChartData {
        has_audit: model.audit_span.is_some(),
        has_registrations: model.audit_span.is_some() || model.registration.has_usage_input,
        subtitle: if period_known {
            format!(
                "{} – {} ({})",
                model.period.from,
                model.period.to,
                model.tz.name()
            )
        } else {
            words(lang).no_audit.to_string()
        },
        daily,
        reasons,
        funnel,
        throttling: metrics.throttling.by_weekday_hour,
        registrations,
        methods: methods
            .iter()
            .map(|m| match pseudonymizer {
                Some(p) if !crate::model::methods::is_known(m) => p.opaque(m),
                _ => crate::render::sanitize::display(&labels::method(m, lang)).into_owned(),
            })
            .collect(),
        health,
    }
}

/// Cuts a label to `max` characters with an ellipsis.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}

/// One chart file pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartFile {
    /// File stem (`daily_outcomes`).
    pub stem: &'static str,
    /// Title (for the HTML page's alt text).
    pub title: String,
    /// SVG text.
    pub svg: String,
    /// PNG bytes; `None` when no font can draw the labels.
    pub png: Option<Vec<u8>>,
    /// Why the chart is left out (its input is absent); then `svg` is empty and no file is
    /// written, and the page says it is not in the inputs.
    pub missing: Option<&'static str>,
}

type DrawResult = Result<(), String>;

pub(crate) fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// Draws every chart.
pub fn draw_all(data: &ChartData, lang: Lang, plan: &FontPlan) -> Result<Vec<ChartFile>, String> {
    register(plan)?;
    let w = words(lang);
    let with_png = !matches!(plan, FontPlan::SvgOnly(_));
    let mut out = Vec::new();
    let reasons_height = 150 + 34 * data.reasons.len().max(1) as u32;
    let health_on = data.health.is_some();
    let charts: Vec<(&'static str, &str, (u32, u32))> = vec![
        ("daily_outcomes", w.daily_title, (960, 480)),
        ("failure_reasons", w.reasons_title, (960, reasons_height)),
        ("funnel", w.funnel_title, (960, 340)),
        ("throttling_heatmap", w.throttle_title, (960, 400)),
        ("registrations", w.registrations_title, (960, 480)),
        ("writeback_health", w.health_title, (960, 480)),
    ];
    for (stem, title, size) in charts {
        // A chart whose input is absent is left out, not drawn empty: an empty chart would
        // say "none" where the truth is "not known". The page names it and what it needs.
        let missing = match stem {
            "writeback_health" if !health_on => Some(w.needs_onprem),
            "registrations" if !data.has_registrations => Some(w.needs_registrations),
            "daily_outcomes" | "failure_reasons" | "funnel" | "throttling_heatmap"
                if !data.has_audit =>
            {
                Some(w.needs_audit)
            }
            _ => None,
        };
        if missing.is_some() {
            out.push(ChartFile {
                stem,
                title: title.to_string(),
                svg: String::new(),
                png: None,
                missing,
            });
            continue;
        }
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
            draw_one(stem, root, data, &w)?;
        }
        let png = if with_png {
            let mut rgb = vec![0u8; (size.0 * size.1 * 3) as usize];
            {
                let root = BitMapBackend::with_buffer(&mut rgb, size).into_drawing_area();
                draw_one(stem, root, data, &w)?;
            }
            Some(encode_png(&rgb, size)?)
        } else {
            None
        };
        out.push(ChartFile {
            stem,
            title: title.to_string(),
            svg,
            png,
            missing: None,
        });
    }
    Ok(out)
}

pub(crate) fn encode_png(rgb: &[u8], (w, h): (u32, u32)) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut bytes, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().map_err(err)?;
        writer.write_image_data(rgb).map_err(err)?;
    }
    Ok(bytes)
}

fn draw_one<DB: DrawingBackend>(
    stem: &str,
    root: DrawingArea<DB, Shift>,
    data: &ChartData,
    w: &Words,
) -> DrawResult {
    root.fill(&WHITE).map_err(err)?;
    let title = match stem {
        "daily_outcomes" => w.daily_title,
        "failure_reasons" => w.reasons_title,
        "funnel" => w.funnel_title,
        "throttling_heatmap" => w.throttle_title,
        "registrations" => w.registrations_title,
        _ => w.health_title,
    };
    let (head, body) = root.split_vertically(62);
    head.draw(&Text::new(
        title.to_string(),
        (16, 10),
        ("sans-serif", 22).into_font().style(FontStyle::Bold),
    ))
    .map_err(err)?;
    // The heatmap counts more than summary.json's block_events (block records): say what.
    let subtitle = match stem {
        "throttling_heatmap" => format!("{} — {}", data.subtitle, w.throttle_counts),
        _ => data.subtitle.clone(),
    };
    head.draw(&Text::new(
        subtitle,
        (16, 38),
        ("sans-serif", 14).into_font().color(&RGBColor(90, 90, 90)),
    ))
    .map_err(err)?;
    match stem {
        "daily_outcomes" => daily_chart(&body, data, w),
        "failure_reasons" => reasons_chart(&body, data, w),
        "funnel" => funnel_chart(&body, data, w),
        "throttling_heatmap" => heatmap_chart(&body, data, w),
        "registrations" => registrations_chart(&body, data, w),
        _ => health_chart(&body, data, w),
    }?;
    root.present().map_err(err)
}

fn no_data<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, w: &Words) -> DrawResult {
    let (width, height) = area.dim_in_pixel();
    area.draw(&Text::new(
        w.no_data.to_string(),
        (width as i32 / 2 - 110, height as i32 / 2 - 10),
        ("sans-serif", 18)
            .into_font()
            .color(&RGBColor(120, 120, 120)),
    ))
    .map_err(err)
}

/// Day labels: `10/03`, sparse enough not to collide.
fn day_label(days: &[NaiveDate], x: f64) -> String {
    let i = x.round();
    if (x - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    days.get(i as usize)
        .map(|d| format!("{:02}/{:02}", d.month(), d.day()))
        .unwrap_or_default()
}

/// The house style of every chart's axes: one label size, one description size, no minor grid.
pub(crate) fn house_style<'m, 'a, 'b, X, Y, DB>(
    mesh: &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>,
) -> &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>
where
    X: plotters::coord::ranged1d::Ranged,
    Y: plotters::coord::ranged1d::Ranged,
    DB: DrawingBackend,
{
    mesh.label_style(("sans-serif", 13))
        .axis_desc_style(("sans-serif", 14))
        .light_line_style(TRANSPARENT)
}

/// Draws the legend of the series drawn so far, on a white box at `position`.
pub(crate) fn legend<'a, DB, CT>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> DrawResult
where
    DB: DrawingBackend + 'a,
    CT: plotters::coord::CoordTranslate,
{
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.9))
        .border_style(RGBColor(200, 200, 200))
        .label_font(("sans-serif", 13))
        .draw()
        .map_err(err)
}

/// Axis label of a count: whole numbers only (a tick at 2.5 flows would be noise).
/// The axes of a chart with one bar slot per day: day labels below, whole numbers left.
fn day_axes<DB: DrawingBackend>(
    chart: &mut ChartContext<
        '_,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    days: &[NaiveDate],
    x_desc: &str,
    y_desc: &str,
) -> Result<(), String> {
    house_style(
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(label_count(days.len()))
            .x_label_formatter(&|x| day_label(days, *x))
            .y_label_formatter(&|y| whole(*y))
            .x_desc(x_desc)
            .y_desc(y_desc),
    )
    .draw()
    .map_err(err)
}

fn whole(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        String::new()
    }
}

fn label_count(n: usize) -> usize {
    // About 55 px per label at 960 px: at most 16 labels.
    n.clamp(1, 16)
}

fn daily_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ChartData,
    w: &Words,
) -> DrawResult {
    let n = data.daily.len();
    let total: u64 = data.daily.iter().map(|(_, c)| c.iter().sum::<u64>()).sum();
    if n == 0 || total == 0 {
        return no_data(area, w);
    }
    let days: Vec<NaiveDate> = data.daily.iter().map(|(d, _)| *d).collect();
    let max = data
        .daily
        .iter()
        .map(|(_, c)| c.iter().sum::<u64>())
        .max()
        .unwrap_or(1)
        .max(1);
    let y_max = (max as f64 * 1.25).ceil();
    let mut chart = ChartBuilder::on(area)
        .margin_left(10)
        .margin_right(10)
        .margin_bottom(6)
        .x_label_area_size(48)
        .y_label_area_size(64)
        .right_y_label_area_size(64)
        .build_cartesian_2d(-0.6f64..(n as f64 - 0.4), 0f64..y_max)
        .map_err(err)?
        .set_secondary_coord(-0.6f64..(n as f64 - 0.4), 0f64..100f64);
    day_axes(&mut chart, &days, w.date, w.flows)?;
    chart
        .configure_secondary_axes()
        .y_desc(w.failure_rate)
        .label_style(("sans-serif", 13))
        .axis_desc_style(("sans-serif", 14))
        .draw()
        .map_err(err)?;
    for slot in 0..4 {
        let colour = OUTCOME_COLOURS[slot];
        chart
            .draw_series(data.daily.iter().enumerate().map(|(i, (_, c))| {
                let below: u64 = c[..slot].iter().sum();
                let x = i as f64;
                Rectangle::new(
                    [
                        (x - 0.38, below as f64),
                        (x + 0.38, (below + c[slot]) as f64),
                    ],
                    colour.filled(),
                )
            }))
            .map_err(err)?
            .label(w.outcomes[slot])
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], colour.filled()));
    }
    let runs = rate_runs(&data.daily);
    for (i, run) in runs.iter().enumerate() {
        let series = chart
            .draw_secondary_series(LineSeries::new(run.clone(), BLACK.stroke_width(2)))
            .map_err(err)?;
        // One legend entry for all the pieces of the line.
        if i == 0 {
            series
                .label(w.failure_rate)
                .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], BLACK.stroke_width(2)));
        }
    }
    chart
        .draw_secondary_series(
            runs.iter()
                .flatten()
                .map(|p| Circle::new(*p, 3, BLACK.filled())),
        )
        .map_err(err)?;
    legend(&mut chart, SeriesLabelPosition::UpperLeft)
}

/// The daily failure rate (%) as runs of consecutive days with flows: a day without flows has
/// no rate, and a line drawn across it would show a trend nobody measured.
fn rate_runs(daily: &[(NaiveDate, [u64; 4])]) -> Vec<Vec<(f64, f64)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current = Vec::new();
    for (i, (_, c)) in daily.iter().enumerate() {
        let flows: u64 = c.iter().sum();
        if flows == 0 {
            if !current.is_empty() {
                runs.push(std::mem::take(&mut current));
            }
            continue;
        }
        current.push((i as f64, (c[1] + c[2]) as f64 * 100.0 / flows as f64));
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

fn reasons_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ChartData,
    w: &Words,
) -> DrawResult {
    if data.reasons.is_empty() {
        return no_data(area, w);
    }
    let n = data.reasons.len();
    let max = data.reasons.iter().map(|r| r.1).max().unwrap_or(1).max(1);
    let labels: Vec<String> = data.reasons.iter().map(|r| r.0.clone()).collect();
    let mut chart = ChartBuilder::on(area)
        .margin_left(10)
        .margin_right(30)
        .margin_bottom(6)
        .x_label_area_size(44)
        .y_label_area_size(420)
        .build_cartesian_2d(0f64..(max as f64 * 1.15).ceil(), -0.6f64..(n as f64 - 0.4))
        .map_err(err)?;
    house_style(
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&|y| {
                let i = y.round();
                if (y - i).abs() > 1e-6 || i < 0.0 {
                    return String::new();
                }
                // The most frequent reason on top.
                labels
                    .get(n.saturating_sub(1).saturating_sub(i as usize))
                    .filter(|_| (i as usize) < n)
                    .cloned()
                    .unwrap_or_default()
            })
            .x_label_formatter(&|x| whole(*x))
            .x_desc(w.count),
    )
    .draw()
    .map_err(err)?;
    chart
        .draw_series(
            data.reasons
                .iter()
                .enumerate()
                .map(|(i, (_, count, onprem))| {
                    let y = (n - 1 - i) as f64;
                    let colour = if *onprem {
                        colour::OUTAGE
                    } else {
                        colour::FAILED
                    };
                    Rectangle::new(
                        [(0.0, y - 0.35), (*count as f64, y + 0.35)],
                        colour.filled(),
                    )
                }),
        )
        .map_err(err)?;
    chart
        .draw_series(data.reasons.iter().enumerate().map(|(i, (_, count, _))| {
            let y = (n - 1 - i) as f64;
            Text::new(
                count.to_string(),
                (*count as f64 + max as f64 * 0.01, y + 0.15),
                ("sans-serif", 13),
            )
        }))
        .map_err(err)?;
    Ok(())
}

fn funnel_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ChartData,
    w: &Words,
) -> DrawResult {
    let start = data.funnel[0];
    if start == 0 {
        return no_data(area, w);
    }
    let mut chart = ChartBuilder::on(area)
        .margin_left(10)
        .margin_right(30)
        .margin_bottom(6)
        .x_label_area_size(44)
        .y_label_area_size(220)
        .build_cartesian_2d(0f64..(start as f64 * 1.2).ceil(), -0.6f64..3.4f64)
        .map_err(err)?;
    house_style(
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(4)
            .y_label_formatter(&|y| {
                let i = y.round();
                if (y - i).abs() > 1e-6 || !(0.0..=3.0).contains(&i) {
                    return String::new();
                }
                w.funnel_stages[3 - i as usize].to_string()
            })
            .x_label_formatter(&|x| whole(*x))
            .x_desc(w.flows),
    )
    .draw()
    .map_err(err)?;
    let colours = [
        colour::NEUTRAL,
        colour::NEUTRAL,
        colour::NEUTRAL,
        colour::SUCCEEDED,
    ];
    chart
        .draw_series(data.funnel.iter().enumerate().map(|(i, n)| {
            let y = (3 - i) as f64;
            Rectangle::new(
                [(0.0, y - 0.35), (*n as f64, y + 0.35)],
                colours[i].filled(),
            )
        }))
        .map_err(err)?;
    chart
        .draw_series(data.funnel.iter().enumerate().map(|(i, n)| {
            let y = (3 - i) as f64;
            let pct = *n as f64 * 100.0 / start as f64;
            Text::new(
                format!("{n} ({pct:.0}%)"),
                (*n as f64 + start as f64 * 0.01, y + 0.12),
                ("sans-serif", 13),
            )
        }))
        .map_err(err)?;
    Ok(())
}

fn heatmap_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ChartData,
    w: &Words,
) -> DrawResult {
    use plotters::coord::ranged1d::SegmentValue;
    let max = data.throttling.iter().flatten().copied().max().unwrap_or(0);
    // Segmented axes put each label at the centre of its hour column and weekday row.
    let mut chart = ChartBuilder::on(area)
        .margin_left(10)
        .margin_right(20)
        .margin_bottom(6)
        .x_label_area_size(44)
        .y_label_area_size(56)
        .build_cartesian_2d(
            (0i32..23i32).into_segmented(),
            (0i32..6i32).into_segmented(),
        )
        .map_err(err)?;
    let exact = |v: &SegmentValue<i32>| match v {
        SegmentValue::Exact(n) | SegmentValue::CenterOf(n) => Some(*n),
        SegmentValue::Last => None,
    };
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(24)
        .y_labels(7)
        .x_label_formatter(&|h| {
            exact(h)
                .filter(|h| *h < 24)
                .map(|h| h.to_string())
                .unwrap_or_default()
        })
        .y_label_formatter(&|d| {
            exact(d)
                .and_then(|d| usize::try_from(d).ok())
                .filter(|d| *d < 7)
                .and_then(|d| w.weekdays.get(6 - d))
                .map(|s| s.to_string())
                .unwrap_or_default()
        })
        .x_desc(w.hour)
        .label_style(("sans-serif", 13))
        .axis_desc_style(("sans-serif", 14))
        .draw()
        .map_err(err)?;
    let cell = |day: usize, hour: usize| data.throttling[day][hour];
    chart
        .draw_series((0..7usize).flat_map(|day| {
            (0..24usize).map(move |hour| {
                let n = cell(day, hour);
                let t = if max == 0 { 0.0 } else { n as f64 / max as f64 };
                let shade = if n == 0 {
                    RGBColor(245, 245, 245)
                } else {
                    let c = colour::BLOCKED;
                    let mix = |a: u8| (255.0 - (255.0 - f64::from(a)) * (0.3 + 0.7 * t)) as u8;
                    RGBColor(mix(c.0), mix(c.1), mix(c.2))
                };
                let (x, y) = (hour as i32, 6 - day as i32);
                Rectangle::new(
                    [
                        (SegmentValue::Exact(x), SegmentValue::Exact(y)),
                        (SegmentValue::Exact(x + 1), SegmentValue::Exact(y + 1)),
                    ],
                    shade.filled(),
                )
            })
        }))
        .map_err(err)?;
    chart
        .draw_series((0..7usize).flat_map(|day| {
            (0..24usize)
                .filter(move |&hour| cell(day, hour) > 0)
                .map(move |hour| {
                    let (x, y) = (hour as i32, 6 - day as i32);
                    Text::new(
                        cell(day, hour).to_string(),
                        (SegmentValue::CenterOf(x), SegmentValue::CenterOf(y)),
                        ("sans-serif", 14).into_font().color(&WHITE),
                    )
                })
        }))
        .map_err(err)?;
    if max == 0 {
        return no_data(area, w);
    }
    Ok(())
}

fn registrations_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ChartData,
    w: &Words,
) -> DrawResult {
    let n = data.registrations.len();
    let max = data
        .registrations
        .iter()
        .map(|(_, c)| c.iter().sum::<u64>())
        .max()
        .unwrap_or(0);
    if n == 0 || max == 0 {
        return no_data(area, w);
    }
    let days: Vec<NaiveDate> = data.registrations.iter().map(|(d, _)| *d).collect();
    let mut chart = ChartBuilder::on(area)
        .margin_left(10)
        .margin_right(20)
        .margin_bottom(6)
        .x_label_area_size(48)
        .y_label_area_size(64)
        .build_cartesian_2d(-0.6f64..(n as f64 - 0.4), 0f64..(max as f64 * 1.6).ceil())
        .map_err(err)?;
    day_axes(&mut chart, &days, w.date, w.events)?;
    for (slot, method) in data.methods.iter().enumerate() {
        let colour = colour::METHODS[slot % colour::METHODS.len()];
        chart
            .draw_series(data.registrations.iter().enumerate().map(|(i, (_, c))| {
                let below: u64 = c.iter().take(slot).sum();
                let here = c.get(slot).copied().unwrap_or(0);
                let x = i as f64;
                Rectangle::new(
                    [(x - 0.38, below as f64), (x + 0.38, (below + here) as f64)],
                    colour.filled(),
                )
            }))
            .map_err(err)?
            .label(shorten(method, 34))
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], colour.filled()));
    }
    legend(&mut chart, SeriesLabelPosition::UpperRight)
}

fn health_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ChartData,
    w: &Words,
) -> DrawResult {
    let Some(health) = &data.health else {
        return no_data(area, w);
    };
    let n = health.len();
    let max = health.iter().map(|h| h.1).max().unwrap_or(0);
    let outages = health.iter().any(|h| h.3 > 0);
    if n == 0 || (max == 0 && !outages) {
        return no_data(area, w);
    }
    let days: Vec<NaiveDate> = health.iter().map(|h| h.0).collect();
    let y_max = (max.max(1) as f64 * 1.35).ceil();
    let mut chart = ChartBuilder::on(area)
        .margin_left(10)
        .margin_right(20)
        .margin_bottom(6)
        .x_label_area_size(48)
        .y_label_area_size(64)
        .build_cartesian_2d(-0.6f64..(n as f64 - 0.4), 0f64..y_max)
        .map_err(err)?;
    day_axes(&mut chart, &days, w.date, w.operations)?;
    // A day with an outage is shaded whole and labelled with its minutes: an hour-long outage
    // drawn to scale would be a hairline.
    let shade = colour::OUTAGE.mix(0.22);
    chart
        .draw_series(
            health
                .iter()
                .enumerate()
                .filter(|(_, h)| h.3 > 0)
                .map(|(i, _)| {
                    let x = i as f64;
                    Rectangle::new([(x - 0.5, 0.0), (x + 0.5, y_max)], shade.filled())
                }),
        )
        .map_err(err)?
        .label(w.outage)
        .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], shade.filled()));
    chart
        .draw_series(
            health
                .iter()
                .enumerate()
                .filter(|(_, h)| h.3 > 0)
                .map(|(i, h)| {
                    Text::new(
                        format!("{}m", h.3),
                        (i as f64 - 0.45, y_max * 0.97),
                        ("sans-serif", 11).into_font().color(&colour::OUTAGE),
                    )
                }),
        )
        .map_err(err)?;
    chart
        .draw_series(health.iter().enumerate().map(|(i, h)| {
            let x = i as f64;
            Rectangle::new(
                [(x - 0.38, 0.0), (x + 0.38, h.1 as f64)],
                colour::NEUTRAL.filled(),
            )
        }))
        .map_err(err)?
        .label(w.requests)
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], colour::NEUTRAL.filled()));
    chart
        .draw_series(health.iter().enumerate().map(|(i, h)| {
            let x = i as f64;
            Rectangle::new(
                [(x - 0.38, 0.0), (x + 0.38, h.2 as f64)],
                colour::FAILED.filled(),
            )
        }))
        .map_err(err)?
        .label(w.failed_ops)
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], colour::FAILED.filled()));
    legend(&mut chart, SeriesLabelPosition::UpperLeft)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lowest row of `text` (letters with a flat foot) drawn alone at `size`.
    fn bottom_row(family: &str, size: u32, text: &str) -> Option<usize> {
        let (w, h) = (120u32, 80u32);
        let mut rgb = vec![255u8; (w * h * 3) as usize];
        {
            let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
            root.fill(&WHITE).ok()?;
            root.draw(&Text::new(text.to_string(), (10, 20), (family, size)))
                .ok()?;
            root.present().ok()?;
        }
        // A row's ink; the glyph's bottom is the last row with a good share of the most ink
        // (a stroke straddling two rows is grey in both).
        let ink: Vec<u32> = (0..h as usize)
            .map(|y| {
                (0..w as usize)
                    .map(|x| 255 - u32::from(rgb[(y * w as usize + x) * 3]))
                    .sum()
            })
            .collect();
        let most = ink.iter().copied().max().filter(|&m| m > 0)?;
        ink.iter().rposition(|&i| i * 5 >= most * 2)
    }

    /// Letters that sit on the baseline share their bottom row whatever their height: an
    /// x-height letter once sat a pixel lower than a tall one when its top fell below the
    /// mid-line (every size with the CJK fonts' small Latin glyphs, some with DejaVu Sans).
    #[test]
    fn latin_letters_share_one_baseline() {
        let mut fonts: Vec<(&str, &'static [u8])> = vec![("sspr-test-dejavu", DEJAVU_SANS)];
        if let Some(cjk) = CJK_FONT_PATHS.iter().find(|p| Path::new(p).is_file()) {
            let bytes = std::fs::read(cjk).expect("font readable");
            fonts.push(("sspr-test-cjk", Box::leak(bytes.into_boxed_slice())));
        }
        for (family, bytes) in fonts {
            register_font(family, FontStyle::Normal, bytes)
                .map_err(|_| ())
                .expect("font");
            for size in 10..=30 {
                let z = bottom_row(family, size, "z");
                let l = bottom_row(family, size, "L");
                assert!(z.is_some(), "{family} {size}: z drawn");
                assert_eq!(z, l, "{family} at {size}: z and L on one baseline");
            }
        }
    }

    #[test]
    fn the_rate_line_stops_at_a_day_without_flows() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 10, d).expect("date");
        let daily = vec![
            (day(1), [1, 1, 0, 0]),
            (day(2), [0, 0, 0, 0]),
            (day(3), [3, 0, 1, 0]),
            (day(4), [1, 0, 0, 0]),
        ];
        assert_eq!(
            rate_runs(&daily),
            vec![vec![(0.0, 50.0)], vec![(2.0, 25.0), (3.0, 0.0)]]
        );
    }
}
