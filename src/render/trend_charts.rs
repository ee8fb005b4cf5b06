//! Charts of the trend, in the house style of the monthly charts (same fonts, colours, title
//! and subtitle, legend box): one slot per month; a month without data is an empty slot and
//! breaks every line, so no line crosses a month nobody measured.

use crate::catalog::Lang;
use crate::render::charts::{
    ChartFile, FontPlan, colour, encode_png, err, house_style, legend, register,
};
use crate::render::sanitize::{display, xml};
use crate::render::trend::{Cell, TrendMonth};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

type Series = (String, RGBColor, Vec<Option<f64>>);

struct Chart {
    stem: &'static str,
    title: &'static str,
    y_desc: &'static str,
    /// Stacked bars (flows by outcome), drawn under the lines.
    bars: Vec<Series>,
    lines: Vec<Series>,
    /// Whether the lines are rates (0–100 %, on a right-hand axis).
    rate_lines: bool,
}

const PALETTE: [RGBColor; 6] = [
    RGBColor(21, 101, 192),
    RGBColor(239, 108, 0),
    RGBColor(106, 27, 154),
    RGBColor(0, 131, 143),
    RGBColor(173, 20, 87),
    RGBColor(85, 139, 47),
];

fn values(months: &[TrendMonth], key: &str) -> Vec<Option<f64>> {
    months.iter().map(|m| m.get(key).number()).collect()
}

/// The most frequent failure reasons over the range (at most 5), with their count per month.
fn top_reasons(months: &[TrendMonth]) -> Vec<Series> {
    let mut totals: std::collections::BTreeMap<String, f64> = Default::default();
    for m in months {
        for r in &m.reasons {
            if let (Some(Cell::Text(reason)), Some(n)) = (r.get(1), r.get(3).and_then(Cell::number))
            {
                *totals.entry(reason.clone()).or_default() += n;
            }
        }
    }
    let mut ranked: Vec<(String, f64)> = totals.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked
        .into_iter()
        .take(5)
        .enumerate()
        .map(|(i, (reason, _))| {
            let per_month = months
                .iter()
                .map(|m| {
                    m.summary.as_ref()?;
                    Some(
                        m.reasons
                            .iter()
                            .filter(|r| r.get(1) == Some(&Cell::Text(reason.clone())))
                            .filter_map(|r| r.get(3).and_then(Cell::number))
                            .sum(),
                    )
                })
                .collect();
            // A reason is text from the tenant's logs: a control character in an SVG label makes
            // the file ill-formed (a NUL) and reaches the page that embeds it (an ESC).
            let label: String = display(&reason).chars().take(48).collect();
            (label, PALETTE[i % PALETTE.len()], per_month)
        })
        .collect()
}

fn charts(months: &[TrendMonth], ja: bool) -> Vec<Chart> {
    let t = |en: &'static str, j: &'static str| if ja { j } else { en };
    let outcome = [
        ("sspr_succeeded", t("succeeded", "成功"), colour::SUCCEEDED),
        ("sspr_failed", t("failed", "失敗"), colour::FAILED),
        ("sspr_blocked", t("blocked", "ブロック"), colour::BLOCKED),
        ("sspr_abandoned", t("abandoned", "中断"), colour::ABANDONED),
    ];
    let series = |key: &str, label: &str, c: RGBColor| (label.to_string(), c, values(months, key));
    vec![
        Chart {
            stem: "trend_flows",
            title: t(
                "Flows by outcome and failure rate",
                "結果別のフロー数と失敗率",
            ),
            y_desc: t("flows", "フロー数"),
            bars: outcome.iter().map(|(k, l, c)| series(k, l, *c)).collect(),
            lines: vec![series(
                "sspr_failure_rate",
                t("failure rate (%)", "失敗率 (%)"),
                BLACK,
            )],
            rate_lines: true,
        },
        Chart {
            stem: "trend_reasons",
            title: t("Top failure reasons", "主な失敗理由"),
            y_desc: t("failures", "件数"),
            bars: Vec::new(),
            lines: top_reasons(months),
            rate_lines: false,
        },
        Chart {
            stem: "trend_throttling",
            title: t("Throttled users", "スロットリングされたユーザー"),
            y_desc: t("users", "ユーザー数"),
            bars: Vec::new(),
            lines: vec![
                series(
                    "throttling_throttled_users",
                    t("throttled", "ブロック記録あり"),
                    colour::BLOCKED,
                ),
                series(
                    "throttling_inferred_throttled_users",
                    t("inferred", "推定"),
                    PALETTE[1],
                ),
            ],
            rate_lines: false,
        },
        Chart {
            stem: "trend_writeback",
            title: t("Password writeback", "パスワード ライトバック"),
            y_desc: t("operations / minutes", "操作数 / 分"),
            bars: Vec::new(),
            lines: vec![
                series("writeback_requests", t("requests", "要求"), PALETTE[0]),
                series("writeback_failed", t("failed", "失敗"), colour::FAILED),
                series(
                    "writeback_outage_minutes",
                    t("outage minutes", "停止時間 (分)"),
                    PALETTE[2],
                ),
            ],
            rate_lines: false,
        },
        Chart {
            stem: "trend_license_gaps",
            title: t("Users with a licence gap", "ライセンス不足のユーザー"),
            y_desc: t("users", "ユーザー数"),
            bars: Vec::new(),
            lines: vec![series(
                "license_gaps_users",
                t("users", "ユーザー数"),
                PALETTE[3],
            )],
            rate_lines: false,
        },
    ]
}

/// Draws every trend chart as SVG, and PNG when a font can draw the labels.
pub fn draw_all(
    months: &[TrendMonth],
    lang: Lang,
    plan: &FontPlan,
    tenant: &str,
) -> Result<Vec<ChartFile>, String> {
    register(plan)?;
    let with_png = !matches!(plan, FontPlan::SvgOnly(_));
    let subtitle = match (months.first(), months.last()) {
        (Some(a), Some(b)) => format!("{} – {} · {tenant}", a.month, b.month),
        _ => tenant.to_string(),
    };
    let size = (960u32, 440u32);
    let mut out = Vec::new();
    for chart in charts(months, lang == Lang::Ja) {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
            draw(&root, &chart, months, &subtitle)?;
        }
        let png = if with_png {
            let mut rgb = vec![0u8; (size.0 * size.1 * 3) as usize];
            {
                let root = BitMapBackend::with_buffer(&mut rgb, size).into_drawing_area();
                draw(&root, &chart, months, &subtitle)?;
            }
            Some(encode_png(&rgb, size)?)
        } else {
            None
        };
        out.push(ChartFile {
            stem: chart.stem,
            title: chart.title.to_string(),
            // Every label is sanitized where it is made; this keeps the file well-formed XML
            // whatever a future label holds.
            svg: xml(&svg).into_owned(),
            png,
            missing: None,
        });
    }
    Ok(out)
}

/// Runs of consecutive months with a value: a line never crosses a gap.
fn runs(values: &[Option<f64>], scale: f64) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current = Vec::new();
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) => current.push((i as f64, v * scale)),
            None if !current.is_empty() => out.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart,
    months: &[TrendMonth],
    subtitle: &str,
) -> Result<(), String> {
    root.fill(&WHITE).map_err(err)?;
    let (head, body) = root.split_vertically(62);
    head.draw(&Text::new(
        chart.title.to_string(),
        (16, 10),
        ("sans-serif", 22).into_font().style(FontStyle::Bold),
    ))
    .map_err(err)?;
    head.draw(&Text::new(
        subtitle.to_string(),
        (16, 38),
        ("sans-serif", 14).into_font().color(&RGBColor(90, 90, 90)),
    ))
    .map_err(err)?;
    let n = months.len().max(1);
    let stacked = |i: usize| -> f64 { chart.bars.iter().filter_map(|s| s.2[i]).sum() };
    let bar_max = (0..months.len()).map(stacked).fold(0.0, f64::max);
    let line_max = if chart.rate_lines {
        0.0
    } else {
        chart
            .lines
            .iter()
            .flat_map(|s| s.2.iter().flatten())
            .fold(0.0, |a: f64, b| a.max(*b))
    };
    let y_max = ((bar_max.max(line_max)) * 1.2).max(1.0).ceil();
    let labels: Vec<String> = months.iter().map(|m| m.month.clone()).collect();
    let mut c = ChartBuilder::on(&body)
        .margin_left(10)
        .margin_right(10)
        .margin_bottom(6)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .right_y_label_area_size(if chart.rate_lines { 64 } else { 10 })
        .build_cartesian_2d(-0.6f64..(n as f64 - 0.4), 0f64..y_max)
        .map_err(err)?
        .set_secondary_coord(-0.6f64..(n as f64 - 0.4), 0f64..100f64);
    house_style(
        c.configure_mesh()
            .disable_x_mesh()
            .x_labels(n.min(12))
            .x_label_formatter(&|x| {
                let i = x.round();
                if (x - i).abs() < 1e-6 && i >= 0.0 {
                    labels.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&|y| {
                if (y - y.round()).abs() < 1e-9 {
                    format!("{y:.0}")
                } else {
                    String::new()
                }
            })
            .y_desc(chart.y_desc),
    )
    .draw()
    .map_err(err)?;
    if chart.rate_lines {
        c.configure_secondary_axes()
            .y_desc("%")
            .label_style(("sans-serif", 13))
            .axis_desc_style(("sans-serif", 14))
            .draw()
            .map_err(err)?;
    }
    for (slot, (label, colour, vals)) in chart.bars.iter().enumerate() {
        let colour = *colour;
        c.draw_series(vals.iter().enumerate().filter_map(|(i, v)| {
            let below: f64 = chart.bars[..slot].iter().filter_map(|s| s.2[i]).sum();
            let x = i as f64;
            v.map(|v| Rectangle::new([(x - 0.38, below), (x + 0.38, below + v)], colour.filled()))
        }))
        .map_err(err)?
        .label(label.as_str())
        .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], colour.filled()));
    }
    for (label, colour, vals) in &chart.lines {
        let style = colour.stroke_width(2);
        let colour = *colour;
        let scale = if chart.rate_lines { 100.0 } else { 1.0 };
        for (i, run) in runs(vals, scale).into_iter().enumerate() {
            let points = run
                .clone()
                .into_iter()
                .map(move |p| Circle::new(p, 3, colour.filled()));
            let series = if chart.rate_lines {
                c.draw_secondary_series(points).map_err(err)?;
                c.draw_secondary_series(LineSeries::new(run, style))
                    .map_err(err)?
            } else {
                c.draw_series(points).map_err(err)?;
                c.draw_series(LineSeries::new(run, style)).map_err(err)?
            };
            if i == 0 {
                series
                    .label(label.as_str())
                    .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], style));
            }
        }
    }
    let any = chart
        .bars
        .iter()
        .chain(&chart.lines)
        .any(|s| s.2.iter().any(Option::is_some));
    if any {
        legend(&mut c, SeriesLabelPosition::UpperLeft)?;
    }
    root.present().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_break_at_gaps() {
        let r = runs(&[Some(1.0), None, Some(2.0), Some(3.0)], 1.0);
        assert_eq!(r, vec![vec![(0.0, 1.0)], vec![(2.0, 2.0), (3.0, 3.0)]]);
    }
}
