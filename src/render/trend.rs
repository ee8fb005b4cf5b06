//! The trend across months (`sspr-report trend`): trend.csv, trend_reasons.csv and trend.html
//! from the history's monthly summary rows. A month without a partition is a gap — a row of
//! empty cells — never a row of zeros.

use crate::catalog::Lang;
use crate::render::charts::ChartFile;
use crate::render::csv::CsvTable;
use crate::render::html::{escape, label_html};
use crate::render::labels;
use std::collections::BTreeMap;

/// One value of a history table, as the trend uses it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Missing: unknown, or a column this month does not have.
    Null,
    /// A count.
    Int(i64),
    /// A rate or share.
    Float(f64),
    /// A flag (`complete`).
    Bool(bool),
    /// Text (dates and times as ISO 8601).
    Text(String),
}

impl Cell {
    /// The value as a number, if it is one.
    pub fn number(&self) -> Option<f64> {
        match self {
            Cell::Int(i) => Some(*i as f64),
            Cell::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// The exact text a CSV cell gets (shortest round-trip for doubles; null is empty).
    pub fn csv(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Int(i) => i.to_string(),
            Cell::Float(f) => f.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Text(t) => t.clone(),
        }
    }
}

/// One month of the range: its summary row and failure reasons, `None` for a gap.
#[derive(Debug, Clone, Default)]
pub struct TrendMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// The summary row by column name; `None` when the history has no (readable) month.
    pub summary: Option<BTreeMap<String, Cell>>,
    /// Failure reasons: source, reason, category, count, share.
    pub reasons: Vec<Vec<Cell>>,
}

impl TrendMonth {
    /// A value of the summary row (null for a gap or a column the month lacks).
    pub fn get(&self, key: &str) -> Cell {
        self.summary
            .as_ref()
            .and_then(|s| s.get(key).cloned())
            .unwrap_or(Cell::Null)
    }
}

/// trend.csv's columns after `month` and the summary column each comes from.
pub const COLUMNS: [(&str, &str); 22] = [
    ("flows", "sspr_flows"),
    ("succeeded", "sspr_succeeded"),
    ("failed", "sspr_failed"),
    ("blocked", "sspr_blocked"),
    ("abandoned", "sspr_abandoned"),
    ("success_rate", "sspr_success_rate"),
    ("failure_rate", "sspr_failure_rate"),
    ("abandon_rate", "sspr_abandon_rate"),
    ("throttled_users", "throttling_throttled_users"),
    (
        "inferred_throttled_users",
        "throttling_inferred_throttled_users",
    ),
    ("registration_events", "registrations_events"),
    ("registration_users", "registrations_users"),
    ("license_gap_users", "license_gaps_users"),
    ("writeback_requests", "writeback_requests"),
    ("writeback_failed", "writeback_failed"),
    ("outage_minutes", "writeback_outage_minutes"),
    ("matched", "correlation_matched"),
    ("cloud_only", "correlation_cloud_only"),
    ("onprem_only", "correlation_onprem_only"),
    ("not_checked", "correlation_not_checked"),
    ("complete", "complete"),
    ("timezone", "period_timezone"),
];

/// trend.csv: one row per month of the range.
pub fn trend_table(months: &[TrendMonth], bom: bool) -> CsvTable {
    let mut header = vec!["month"];
    header.extend(COLUMNS.iter().map(|(c, _)| *c));
    let mut t = CsvTable::new(&header, bom);
    for m in months {
        let mut row = vec![m.month.clone()];
        row.extend(COLUMNS.iter().map(|(_, key)| m.get(key).csv()));
        t.row(row);
    }
    t
}

/// trend_reasons.csv: month, source, reason, category, count, share.
pub fn reasons_table(months: &[TrendMonth], bom: bool) -> CsvTable {
    let mut t = CsvTable::new(
        &["month", "source", "reason", "category", "count", "share"],
        bom,
    );
    for m in months {
        for r in &m.reasons {
            let mut row = vec![m.month.clone()];
            row.extend(r.iter().map(Cell::csv));
            t.row(row);
        }
    }
    t
}

/// Text of the page in the report language.
struct Words {
    title: &'static str,
    changes: &'static str,
    no_change: &'static str,
    gap: &'static str,
    incomplete: &'static str,
    charts: &'static str,
    table: &'static str,
    reasons: &'static str,
    metrics: [&'static str; 8],
    files: &'static str,
    yes: &'static str,
    no: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::En => Words {
            title: "SSPR trend",
            changes: "Change from the previous month",
            no_change: "Fewer than two months with data in the range: nothing to compare.",
            gap: "no data",
            incomplete: "incomplete month (partly outside a report's period, or the inputs do not cover it)",
            charts: "Charts",
            table: "Month by month",
            reasons: "Failure reasons by month",
            metrics: [
                "flows",
                "success rate",
                "failure rate",
                "abandon rate",
                "throttled users",
                "licence-gap users",
                "failed writebacks",
                "outage minutes",
            ],
            files: "Files",
            yes: "yes",
            no: "no",
        },
        Lang::Ja => Words {
            title: "SSPR の推移",
            changes: "前月からの変化",
            no_change: "範囲内にデータのある月が 2 か月未満のため、比較できません。",
            gap: "データなし",
            incomplete: "不完全な月 (レポート期間から一部外れている、または入力が月全体を含まない)",
            charts: "グラフ",
            table: "月別",
            reasons: "月別の失敗理由",
            metrics: [
                "フロー数",
                "成功率",
                "失敗率",
                "中断率",
                "スロットリングされたユーザー",
                "ライセンス不足のユーザー",
                "ライトバック失敗",
                "停止時間 (分)",
            ],
            files: "ファイル",
            yes: "はい",
            no: "いいえ",
        },
    }
}

/// The keys of the headline changes, in the order of `Words::metrics`; `true` for a rate.
const HEADLINE: [(&str, bool); 8] = [
    ("sspr_flows", false),
    ("sspr_success_rate", true),
    ("sspr_failure_rate", true),
    ("sspr_abandon_rate", true),
    ("throttling_throttled_users", false),
    ("license_gaps_users", false),
    ("writeback_failed", false),
    ("writeback_outage_minutes", false),
];

/// "failure rate 11.2 % → 12.7 %, +1.5 pt" / "flows 120 → 131, +11": `None` when either
/// side is unknown.
pub fn change(label: &str, before: &Cell, after: &Cell, rate: bool) -> Option<String> {
    let (a, b) = (before.number()?, after.number()?);
    Some(if rate {
        let d = (b - a) * 100.0;
        format!(
            "{label} {:.1} % → {:.1} %, {}{:.1} pt",
            a * 100.0,
            b * 100.0,
            if d >= 0.0 { "+" } else { "−" },
            d.abs()
        )
    } else {
        let d = b - a;
        format!(
            "{label} {a} → {b}, {}{}",
            if d >= 0.0 { "+" } else { "−" },
            d.abs()
        )
    })
}

/// The last two consecutive months of the range, when both have data.
fn last_pair(months: &[TrendMonth]) -> Option<(&TrendMonth, &TrendMonth)> {
    let n = months.len();
    (n >= 2).then(|| (&months[n - 2], &months[n - 1]))
}

const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI','Hiragino Sans','Noto Sans CJK JP',Meiryo,sans-serif;margin:0;color:#212121;background:#fafafa}\
main{max-width:1100px;margin:0 auto;padding:24px}h1{font-size:1.6em;margin:0 0 4px}\
h2{font-size:1.2em;margin:32px 0 8px;border-bottom:2px solid #e0e0e0;padding-bottom:4px}\
.sub{color:#616161;margin:0 0 16px}.warn{background:#fff8e1;border-left:4px solid #f9a825;padding:8px 12px;margin:8px 0}\
ul.chg li{margin:4px 0}figure{background:#fff;border:1px solid #e0e0e0;border-radius:6px;margin:12px 0;padding:8px}\
figure svg{max-width:100%;height:auto;display:block}.tw{overflow-x:auto}\
table{border-collapse:collapse;width:100%;background:#fff;font-size:.85em}\
th,td{border:1px solid #e0e0e0;padding:3px 5px;text-align:right;white-space:nowrap}th{background:#f5f5f5}\
td.gap{color:#9e9e9e;text-align:center}footer{color:#9e9e9e;font-size:.8em;margin-top:32px}\
th{vertical-align:bottom}th.m{text-align:left;white-space:normal;min-width:11em}\
td.w{text-align:left;white-space:normal;min-width:18em}.k,th.w{text-align:left}";

/// What the page shows besides the months.
pub struct PageInput<'a> {
    /// Tenant name.
    pub tenant: &'a str,
    /// Warnings (damaged files), already safe to show.
    pub warnings: &'a [String],
    /// Charts drawn.
    pub charts: &'a [ChartFile],
    /// Files of the folder, for the links.
    pub files: &'a [String],
}

/// trend.html: one self-contained page, the month-over-month changes first.
pub fn page(months: &[TrendMonth], input: &PageInput<'_>, lang: Lang) -> String {
    let w = words(lang);
    let mut out = String::with_capacity(64 * 1024);
    let range = match (months.first(), months.last()) {
        (Some(a), Some(b)) => format!("{} – {}", a.month, b.month),
        _ => String::new(),
    };
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{} {}</title><style>{CSS}</style></head><body><main>\n<h1>{}</h1>\n<p class=\"sub\">{} · tenant {}</p>\n",
        if lang == Lang::Ja { "ja" } else { "en" },
        escape(w.title),
        escape(&range),
        escape(w.title),
        escape(&range),
        escape(input.tenant)
    ));
    for warning in input.warnings {
        out.push_str(&format!("<p class=\"warn\">{}</p>\n", escape(warning)));
    }
    changes_section(&mut out, months, &w);
    if !input.charts.is_empty() {
        out.push_str(&format!("<h2>{}</h2>\n", escape(w.charts)));
        for c in input.charts {
            out.push_str(&format!(
                "<figure aria-label=\"{}\">{}</figure>\n",
                escape(&c.title),
                c.svg.trim()
            ));
        }
    }
    out.push_str(&format!("<h2>{}</h2>\n", escape(w.table)));
    month_by_month(&mut out, &trend_table(months, false), &w, lang);
    out.push_str(&format!("<h2>{}</h2>\n", escape(w.reasons)));
    reasons_html(&mut out, &reasons_table(months, false), &w, lang);
    out.push_str(&format!("<footer><p>{}:", escape(w.files)));
    for f in input.files.iter().filter(|f| !f.starts_with("charts/")) {
        out.push_str(&format!(" <a href=\"{0}\">{0}</a>", escape(f)));
    }
    out.push_str("</p></footer>\n</main></body></html>\n");
    out
}

fn changes_section(out: &mut String, months: &[TrendMonth], w: &Words) {
    out.push_str(&format!("<h2>{}</h2>\n", escape(w.changes)));
    let Some((before, after)) = last_pair(months) else {
        out.push_str(&format!("<p>{}</p>\n", escape(w.no_change)));
        // Nothing to compare, but a month that is not whole is still said.
        for m in months
            .iter()
            .filter(|m| m.get("complete") == Cell::Bool(false))
        {
            out.push_str(&format!(
                "<p class=\"warn\">{}: {}</p>\n",
                escape(&m.month),
                escape(w.incomplete)
            ));
        }
        return;
    };
    out.push_str(&format!(
        "<p class=\"sub\">{} → {}</p>\n<ul class=\"chg\">\n",
        escape(&before.month),
        escape(&after.month)
    ));
    for (m, gap) in [
        (before, before.summary.is_none()),
        (after, after.summary.is_none()),
    ] {
        if gap {
            out.push_str(&format!(
                "<li>{}: {}</li>\n",
                escape(&m.month),
                escape(w.gap)
            ));
        } else if m.get("complete") == Cell::Bool(false) {
            out.push_str(&format!(
                "<li>{}: {}</li>\n",
                escape(&m.month),
                escape(w.incomplete)
            ));
        }
    }
    for ((key, rate), label) in HEADLINE.iter().zip(w.metrics) {
        if let Some(text) = change(label, &before.get(key), &after.get(key), *rate) {
            out.push_str(&format!("<li>{}</li>\n", escape(&text)));
        }
    }
    out.push_str("</ul>\n");
}

/// A column's heading: its label in `lang`, else its name.
fn heading(column: &str, lang: Lang) -> String {
    match labels::column(column, lang) {
        "" => escape(column),
        label => label_html(label),
    }
}

/// A cell as a person reads it: rates and shares as percentages, the `complete` flag as
/// yes/no, labelled values (source, category) by their labels, an unknown value as a dash.
fn shown(column: &str, cell: &str, w: &Words, lang: Lang) -> String {
    if cell.is_empty() {
        return "–".into();
    }
    if (column.ends_with("_rate") || column == "share")
        && let Ok(r) = cell.parse::<f64>()
    {
        return format!("{:.1} %", r * 100.0);
    }
    match (column, cell) {
        ("complete", "true") => escape(w.yes),
        ("complete", "false") => escape(w.no),
        _ => match labels::value(column, cell, lang) {
            Some(label) => label_html(label),
            None => escape(cell),
        },
    }
}

/// The months side by side: a row per column of trend.csv, labelled, a column per month — the
/// two dozen columns of a row per month did not fit a page (trend.csv keeps a row per month
/// for spreadsheets). A month without data is a column of gaps under its name.
fn month_by_month(out: &mut String, t: &CsvTable, w: &Words, lang: Lang) {
    out.push_str("<div class=\"tw\"><table><thead><tr><th></th>");
    for row in t.rows() {
        let month = row.first().map(String::as_str).unwrap_or("");
        let gap = row.iter().skip(1).all(String::is_empty);
        let note = match gap {
            true => format!("<br><small>{}</small>", escape(w.gap)),
            false => String::new(),
        };
        out.push_str(&format!("<th>{}{note}</th>", escape(month)));
    }
    out.push_str("</tr></thead><tbody>\n");
    for (i, column) in t.header().iter().enumerate().skip(1) {
        out.push_str(&format!(
            "<tr><th class=\"m\">{}</th>",
            heading(column, lang)
        ));
        for row in t.rows() {
            let cell = row.get(i).map(String::as_str).unwrap_or("");
            let class = if cell.is_empty() {
                " class=\"gap\""
            } else {
                ""
            };
            out.push_str(&format!("<td{class}>{}</td>", shown(column, cell, w, lang)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
}

/// trend_reasons.csv as a table: labelled headings and values, the reasons' text wrapping.
fn reasons_html(out: &mut String, t: &CsvTable, w: &Words, lang: Lang) {
    // Text columns read from the left, headings and cells alike; numbers from the right.
    let class = |column: &str| match column {
        "reason" => " class=\"w\"",
        "source" | "category" => " class=\"k\"",
        _ => "",
    };
    out.push_str("<div class=\"tw\"><table><thead><tr>");
    for h in t.header() {
        out.push_str(&format!("<th{}>{}</th>", class(h), heading(h, lang)));
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in t.rows() {
        out.push_str("<tr>");
        for (column, cell) in t.header().iter().zip(row) {
            let class = class(column);
            out.push_str(&format!("<td{class}>{}</td>", shown(column, cell, w, lang)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(m: &str, flows: Option<i64>, rate: f64) -> TrendMonth {
        TrendMonth {
            month: m.into(),
            summary: flows.map(|f| {
                BTreeMap::from([
                    ("sspr_flows".to_string(), Cell::Int(f)),
                    ("sspr_failure_rate".to_string(), Cell::Float(rate)),
                    ("complete".to_string(), Cell::Bool(true)),
                ])
            }),
            reasons: Vec::new(),
        }
    }

    #[test]
    fn a_gap_is_a_row_of_empty_cells_not_zeros() {
        let t = trend_table(
            &[month("2026-10", Some(5), 0.2), month("2026-11", None, 0.0)],
            false,
        );
        let gap = &t.rows()[1];
        assert_eq!(gap[0], "2026-11");
        assert!(gap[1..].iter().all(String::is_empty), "{gap:?}");
        assert_eq!(t.rows()[0][1], "5");
    }

    #[test]
    fn changes_read_as_points_and_counts() {
        let text = change(
            "failure rate",
            &Cell::Float(0.112),
            &Cell::Float(0.127),
            true,
        );
        assert_eq!(
            text.as_deref(),
            Some("failure rate 11.2 % → 12.7 %, +1.5 pt")
        );
        let text = change("flows", &Cell::Int(131), &Cell::Int(120), false);
        assert_eq!(text.as_deref(), Some("flows 131 → 120, −11"));
        assert_eq!(change("flows", &Cell::Null, &Cell::Int(1), false), None);
    }

    #[test]
    fn page_puts_changes_before_the_tables() {
        let months = [
            month("2026-10", Some(5), 0.2),
            month("2026-11", Some(7), 0.1),
        ];
        let html = page(
            &months,
            &PageInput {
                tenant: "a<b",
                warnings: &[],
                charts: &[],
                files: &["trend.csv".into()],
            },
            Lang::En,
        );
        let chg = html
            .find("failure rate 20.0 % → 10.0 %, −10.0 pt")
            .expect("change");
        let table = html.find("Month by month").expect("table");
        assert!(chg < table);
        assert!(html.contains("a&lt;b") && !html.contains("a<b"));
    }

    fn page_of(months: &[TrendMonth], lang: Lang) -> String {
        page(
            months,
            &PageInput {
                tenant: "t",
                warnings: &[],
                charts: &[],
                files: &[],
            },
            lang,
        )
    }

    /// The month-by-month table: a row per measure, labelled in the page's language, a column
    /// per month; rates as percentages, the flag as yes/no, a month without data a column of
    /// gaps under its name.
    #[test]
    fn months_side_by_side_read_as_a_person_reads_them() {
        let months = [
            month("2026-10", Some(5), 0.2),
            month("2026-11", None, 0.0),
            month("2026-12", Some(7), 0.125),
        ];
        let html = page_of(&months, Lang::En);
        let table = &html[html.find("Month by month").expect("table")..];
        assert!(
            table.contains(
                "<th>2026-10</th><th>2026-11<br><small>no data</small></th><th>2026-12</th>"
            ),
            "{table}"
        );
        assert!(
            table.contains(
                "<th class=\"m\"><span class=\"l\">Failure rate</span></th>\
                 <td>20.0 %</td><td class=\"gap\">–</td><td>12.5 %</td>"
            ),
            "{table}"
        );
        assert!(table.contains("<span class=\"l\">Complete month</span></th><td>yes</td>"));
        assert!(!table.contains("0.125") && !table.contains(">failure_rate<"));
        let ja = page_of(&months, Lang::Ja);
        assert!(ja.contains("<span class=\"l\">失敗率</span>") && ja.contains("<td>はい</td>"));
    }

    /// One month is nothing to compare, but a month that is not whole is said all the same.
    #[test]
    fn a_lone_incomplete_month_is_said() {
        let mut october = month("2026-10", Some(5), 0.2);
        if let Some(summary) = october.summary.as_mut() {
            summary.insert("complete".into(), Cell::Bool(false));
        }
        let html = page_of(&[october], Lang::En);
        assert!(html.contains("nothing to compare"));
        assert!(
            html.contains("<p class=\"warn\">2026-10: incomplete month"),
            "{html}"
        );
    }
}
