//! `index.html`: the one page an administrator hands on. Self-contained — inline CSS and SVG, no
//! script, no external asset — so it opens from a mail attachment or a file share, offline.
//! Coverage warnings come first: numbers over a period the inputs do not cover mislead.
//! Everything shown is taken from the same (possibly pseudonymized) tables as the CSV files.

use crate::catalog::Lang;
use crate::render::charts::ChartFile;
use crate::render::csv::CsvTable;
use serde_json::Value;

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

struct Words {
    title: &'static str,
    period: &'static str,
    coverage: &'static str,
    covered: &'static str,
    headline: &'static str,
    flows: &'static str,
    success_rate: &'static str,
    failure_rate: &'static str,
    abandon_rate: &'static str,
    throttled: &'static str,
    inferred: &'static str,
    registrations: &'static str,
    license_gaps: &'static str,
    writeback: &'static str,
    writeback_failed: &'static str,
    outage_minutes: &'static str,
    matched: &'static str,
    cloud_only: &'static str,
    charts: &'static str,
    reasons: &'static str,
    throttled_users: &'static str,
    gaps: &'static str,
    writeback_errors: &'static str,
    files: &'static str,
    inputs: &'static str,
    none: &'static str,
    not_given: &'static str,
    more_rows: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::En => Words {
            title: "Self-service password reset report",
            period: "Period",
            coverage: "Coverage warnings",
            covered: "The inputs cover the whole period.",
            headline: "Headline numbers",
            flows: "SSPR flows",
            success_rate: "Success rate",
            failure_rate: "Failure rate (failed + blocked)",
            abandon_rate: "Abandon rate",
            throttled: "Throttled users",
            inferred: "Inferred throttled users",
            registrations: "Registration events / users",
            license_gaps: "Users with a licence gap",
            writeback: "Writeback operations",
            writeback_failed: "Writeback failures",
            outage_minutes: "Writeback outage minutes",
            matched: "Flows matched on-premises",
            cloud_only: "Flows with no on-prem trace",
            charts: "Charts",
            reasons: "Top failure reasons and their fixes",
            throttled_users: "Throttled users",
            gaps: "Licence gaps",
            writeback_errors: "On-premises writeback errors",
            files: "Report files",
            inputs: "Input records",
            none: "None.",
            not_given: "not in the inputs",
            more_rows: "more rows in",
        },
        Lang::Ja => Words {
            title: "セルフサービス パスワード リセット レポート",
            period: "期間",
            coverage: "カバレッジの警告",
            covered: "入力は期間全体をカバーしています。",
            headline: "主な数値",
            flows: "SSPR フロー",
            success_rate: "成功率",
            failure_rate: "失敗率 (失敗 + ブロック)",
            abandon_rate: "中断率",
            throttled: "スロットリングされたユーザー",
            inferred: "スロットリング推定ユーザー",
            registrations: "登録イベント / ユーザー",
            license_gaps: "ライセンス不足のユーザー",
            writeback: "ライトバック操作",
            writeback_failed: "ライトバック失敗",
            outage_minutes: "ライトバック停止 (分)",
            matched: "オンプレミスと一致したフロー",
            cloud_only: "オンプレミスに記録のないフロー",
            charts: "グラフ",
            reasons: "主な失敗理由と対処",
            throttled_users: "スロットリングされたユーザー",
            gaps: "ライセンス不足",
            writeback_errors: "オンプレミスのライトバック エラー",
            files: "レポート ファイル",
            inputs: "入力レコード",
            none: "なし。",
            not_given: "入力なし",
            more_rows: "行の続きは",
        },
    }
}

const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI','Hiragino Sans','Noto Sans CJK JP',Meiryo,sans-serif;margin:0;color:#212121;background:#fafafa}\
main{max-width:1000px;margin:0 auto;padding:24px}\
h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.2em;margin:32px 0 8px;border-bottom:2px solid #e0e0e0;padding-bottom:4px}\
.sub{color:#616161;margin:0 0 16px}\
.warn{background:#fff8e1;border-left:4px solid #f9a825;padding:8px 12px;margin:8px 0}\
.ok{background:#e8f5e9;border-left:4px solid #2e7d32;padding:8px 12px;margin:8px 0}\
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:10px}\
.card{background:#fff;border:1px solid #e0e0e0;border-radius:6px;padding:10px}\
.card .v{font-size:1.5em;font-weight:600}.card .k{color:#616161;font-size:.85em}\
.succeeded{color:#2e7d32}.failed{color:#c62828}.blocked{color:#7b1fa2}.abandoned{color:#757575}\
figure{background:#fff;border:1px solid #e0e0e0;border-radius:6px;margin:12px 0;padding:8px}\
figure svg{max-width:100%;height:auto;display:block}\
table{border-collapse:collapse;width:100%;background:#fff;font-size:.9em}\
th,td{border:1px solid #e0e0e0;padding:4px 6px;text-align:left;vertical-align:top}\
th{background:#f5f5f5}td.n{text-align:right}\
ul.files{columns:3}footer{color:#9e9e9e;font-size:.8em;margin-top:32px}";

fn num(v: &Value) -> Option<f64> {
    v.as_f64()
}

fn count(v: &Value, w: &Words) -> String {
    match v {
        Value::Null => w.not_given.to_string(),
        other => num(other)
            .map(|n| format!("{n}"))
            .unwrap_or_else(|| other.to_string()),
    }
}

fn percent(v: &Value, w: &Words) -> String {
    match num(v) {
        Some(r) => format!("{:.1}%", r * 100.0),
        None => w.not_given.to_string(),
    }
}

fn card(out: &mut String, value: &str, label: &str, class: &str) {
    out.push_str(&format!(
        "<div class=\"card\"><div class=\"v {class}\">{}</div><div class=\"k\">{}</div></div>",
        escape(value),
        escape(label)
    ));
}

/// A table of chosen columns of a report table, at most `limit` rows, with a link to the CSV.
fn table(out: &mut String, t: &CsvTable, columns: &[&str], limit: usize, file: &str, w: &Words) {
    let idx: Vec<usize> = columns
        .iter()
        .filter_map(|c| t.header().iter().position(|h| h == c))
        .collect();
    if t.rows().is_empty() {
        out.push_str(&format!("<p>{}</p>", escape(w.none)));
        return;
    }
    out.push_str("<table><thead><tr>");
    for &i in &idx {
        out.push_str(&format!("<th>{}</th>", escape(&t.header()[i])));
    }
    out.push_str("</tr></thead><tbody>");
    for row in t.rows().iter().take(limit) {
        out.push_str("<tr>");
        for &i in &idx {
            let cell = row.get(i).map(String::as_str).unwrap_or("");
            let numeric = !cell.is_empty() && cell.parse::<f64>().is_ok();
            let class = if numeric { " class=\"n\"" } else { "" };
            out.push_str(&format!("<td{class}>{}</td>", escape(cell)));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    if t.rows().len() > limit {
        out.push_str(&format!(
            "<p>{} {} <a href=\"{file}\">{file}</a></p>",
            t.rows().len() - limit,
            escape(w.more_rows)
        ));
    }
}

/// The page. `summary` is summary.json as a value; `tables` the report tables by file name;
/// `files` every file of the report folder (for the links).
pub fn page(
    summary: &Value,
    tables: &[(&str, &CsvTable)],
    charts: &[ChartFile],
    files: &[String],
    lang: Lang,
) -> String {
    let w = words(lang);
    let get = |name: &str| tables.iter().find(|(n, _)| *n == name).map(|(_, t)| *t);
    let period = &summary["period"];
    let period_text = format!(
        "{} – {} ({})",
        period["from"].as_str().unwrap_or("?"),
        period["to"].as_str().unwrap_or("?"),
        period["timezone"].as_str().unwrap_or("UTC")
    );
    let lang_tag = match lang {
        Lang::En => "en",
        Lang::Ja => "ja",
    };
    let mut out = String::with_capacity(256 * 1024);
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{lang_tag}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        escape(w.title),
        escape(&period_text)
    ));
    out.push_str(&format!(
        "<h1>{}</h1>\n<p class=\"sub\">{}: {}</p>\n",
        escape(w.title),
        escape(w.period),
        escape(&period_text)
    ));

    // Coverage first: a number over an uncovered stretch of time is not a number.
    out.push_str(&format!("<h2>{}</h2>\n", escape(w.coverage)));
    let warnings: Vec<&str> = summary["coverage"]["warnings"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if warnings.is_empty() {
        out.push_str(&format!("<p class=\"ok\">{}</p>\n", escape(w.covered)));
    }
    for warning in warnings {
        out.push_str(&format!("<p class=\"warn\">{}</p>\n", escape(warning)));
    }
    let inputs = &summary["inputs"];
    if inputs["rejected"].as_u64().unwrap_or(0) > 0 {
        out.push_str(&format!(
            "<p class=\"warn\">{}: {} / {} rejected — <a href=\"rejects.csv\">rejects.csv</a></p>\n",
            escape(w.inputs),
            count(&inputs["rejected"], &w),
            count(&inputs["records_read"], &w)
        ));
    }

    out.push_str(&format!(
        "<h2>{}</h2>\n<div class=\"cards\">",
        escape(w.headline)
    ));
    let sspr = &summary["sspr"];
    card(&mut out, &count(&sspr["flows"], &w), w.flows, "");
    card(
        &mut out,
        &percent(&sspr["success_rate"], &w),
        w.success_rate,
        "succeeded",
    );
    card(
        &mut out,
        &percent(&sspr["failure_rate"], &w),
        w.failure_rate,
        "failed",
    );
    card(
        &mut out,
        &percent(&sspr["abandon_rate"], &w),
        w.abandon_rate,
        "abandoned",
    );
    let th = &summary["throttling"];
    card(
        &mut out,
        &count(&th["throttled_users"], &w),
        w.throttled,
        "blocked",
    );
    card(
        &mut out,
        &count(&th["inferred_throttled_users"], &w),
        w.inferred,
        "blocked",
    );
    let reg = &summary["registrations"];
    card(
        &mut out,
        &format!(
            "{} / {}",
            count(&reg["events"], &w),
            count(&reg["users"], &w)
        ),
        w.registrations,
        "",
    );
    card(
        &mut out,
        &count(&summary["license_gaps"]["users"], &w),
        w.license_gaps,
        "failed",
    );
    let wb = &summary["writeback"];
    card(&mut out, &count(&wb["requests"], &w), w.writeback, "");
    card(
        &mut out,
        &count(&wb["failed"], &w),
        w.writeback_failed,
        "failed",
    );
    card(
        &mut out,
        &count(&wb["outage_minutes"], &w),
        w.outage_minutes,
        "",
    );
    let corr = &summary["correlation"];
    card(
        &mut out,
        &count(&corr["matched"], &w),
        w.matched,
        "succeeded",
    );
    card(
        &mut out,
        &count(&corr["cloud_only"], &w),
        w.cloud_only,
        "failed",
    );
    out.push_str("</div>\n");

    if !charts.is_empty() {
        out.push_str(&format!("<h2>{}</h2>\n", escape(w.charts)));
        for c in charts {
            out.push_str(&format!(
                "<figure aria-label=\"{}\">{}</figure>\n",
                escape(&c.title),
                c.svg.trim()
            ));
        }
    }

    if let Some(t) = get("failure_reasons.csv") {
        out.push_str(&format!("<h2>{}</h2>\n", escape(w.reasons)));
        table(
            &mut out,
            t,
            &["source", "code", "reason", "count", "share", "remedy"],
            10,
            "failure_reasons.csv",
            &w,
        );
    }
    if let Some(t) = get("throttling.csv") {
        out.push_str(&format!("<h2>{}</h2>\n", escape(w.throttled_users)));
        table(
            &mut out,
            t,
            &[
                "user",
                "status",
                "block_events",
                "last_blocked_at",
                "blocked_until",
                "max_flows_in_window",
            ],
            20,
            "throttling.csv",
            &w,
        );
    }
    if let Some(t) = get("license_gaps.csv") {
        out.push_str(&format!("<h2>{}</h2>\n", escape(w.gaps)));
        table(
            &mut out,
            t,
            &["user", "reason", "evidence", "licenses"],
            20,
            "license_gaps.csv",
            &w,
        );
    }
    if let Some(t) = get("writeback_events.csv") {
        // The on-prem failures: events with an error code.
        let mut errors = CsvTable::new(
            &["time", "computer", "event_id", "name", "user", "error_code"],
            false,
        );
        let col = |name: &str| t.header().iter().position(|h| h == name);
        if let (Some(code), Some(time), Some(computer), Some(id), Some(name), Some(user)) = (
            col("error_code"),
            col("time"),
            col("computer"),
            col("event_id"),
            col("name"),
            col("user"),
        ) {
            for row in t
                .rows()
                .iter()
                .filter(|r| r.get(code).is_some_and(|c| !c.is_empty()))
            {
                let cell = |i: usize| row.get(i).cloned().unwrap_or_default();
                errors.row([
                    cell(time),
                    cell(computer),
                    cell(id),
                    cell(name),
                    cell(user),
                    cell(code),
                ]);
            }
        }
        out.push_str(&format!("<h2>{}</h2>\n", escape(w.writeback_errors)));
        table(
            &mut out,
            &errors,
            &["time", "computer", "event_id", "name", "user", "error_code"],
            20,
            "writeback_events.csv",
            &w,
        );
    }

    out.push_str(&format!(
        "<h2>{}</h2>\n<ul class=\"files\">",
        escape(w.files)
    ));
    for f in files
        .iter()
        .filter(|f| f.ends_with(".csv") || f.ends_with(".json") || f.ends_with(".xlsx"))
    {
        out.push_str(&format!(
            "<li><a href=\"{}\">{}</a></li>",
            escape(f),
            escape(f)
        ));
    }
    out.push_str("</ul>\n");
    out.push_str(&format!(
        "<footer>sspr-report {} · {}: {} · used {} · out of scope {} · duplicate {} · rejected {}</footer>\n",
        env!("CARGO_PKG_VERSION"),
        escape(w.inputs),
        count(&inputs["records_read"], &w),
        count(&inputs["used"], &w),
        count(&inputs["out_of_scope"], &w),
        count(&inputs["duplicate"], &w),
        count(&inputs["rejected"], &w),
    ));
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_shows_warnings_first() {
        let summary: Value = serde_json::json!({
            "period": {"from": "2026-10-01", "to": "2026-10-31", "timezone": "Asia/Tokyo"},
            "inputs": {"records_read": 10, "used": 5, "out_of_scope": 3, "duplicate": 1, "rejected": 1},
            "sspr": {"flows": 4, "success_rate": 0.5, "failure_rate": 0.25, "abandon_rate": 0.25},
            "throttling": null, "registrations": null, "license_gaps": null,
            "writeback": {"requests": null}, "correlation": {"matched": null},
            "coverage": {"warnings": ["audit log ends <early>"]}
        });
        let mut reasons = CsvTable::new(
            &["source", "code", "reason", "count", "share", "remedy"],
            false,
        );
        reasons.row(["cloud", "", "<script>alert(1)</script>", "2", "0.5", "fix"]);
        let html = page(
            &summary,
            &[("failure_reasons.csv", &reasons)],
            &[],
            &["flows.csv".to_string(), "charts/a.png".to_string()],
            Lang::En,
        );
        assert!(!html.contains("<script>"), "user text is escaped");
        assert!(html.contains("&lt;script&gt;"));
        let warn = html
            .find("audit log ends &lt;early&gt;")
            .expect("warning shown");
        let numbers = html.find("Headline numbers").expect("numbers");
        assert!(warn < numbers, "coverage warnings come before the numbers");
        assert!(html.contains(">50.0%<") && html.contains("rejects.csv"));
        assert!(html.contains("not in the inputs"), "null is not zero");
        assert!(html.contains("href=\"flows.csv\"") && !html.contains("href=\"charts/a.png\""));
        assert!(
            !html.contains("<script") && !html.contains("http://") && !html.contains("https://")
        );
    }
}
