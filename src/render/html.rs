//! `index.html`: the one page an administrator hands on. Self-contained — inline CSS and SVG, no
//! script, no external asset — so it opens from a mail attachment or a file share, offline.
//! Coverage warnings come first: numbers over a period the inputs do not cover mislead.
//! Everything shown is taken from the same (possibly pseudonymized) tables as the CSV files.

use crate::catalog::{EventRole, EventSource, Lang};
use crate::metrics::story::Attempts;
use crate::render::attempts;
use crate::render::charts::ChartFile;
use crate::render::csv::CsvTable;
use crate::render::labels;
use serde_json::Value;

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    // Controls and direction overrides first: a page must show what a text says, not be
    // turned by it (U+202E), and stay well-formed (a NUL).
    let s = crate::render::sanitize::display_lines(s);
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
    no_period: &'static str,
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
    writeback_events: &'static str,
    health: &'static str,
    by_error: &'static str,
    health_cards: [&'static str; 9],
    no_detail: &'static str,
    files: &'static str,
    rejected: &'static str,
    none: &'static str,
    not_given: &'static str,
    more_rows: &'static str,
    latest_attempt: &'static str,
    footer: [&'static str; 5],
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::En => Words {
            title: "Self-service password reset report",
            period: "Period",
            no_period: "unknown: no audit log was read",
            coverage: "Warnings",
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
            writeback_events: "Error events on the Connect servers",
            health: "Writeback health",
            by_error: "Failed operations by error",
            health_cards: [
                "Operations succeeded",
                "Operations failed",
                "Operations with no outcome",
                "Connectivity errors",
                "Service Bus warnings",
                "Configuration errors",
                "Service stops",
                "Outages",
                "Outage minutes",
            ],
            no_detail: "No detailed error event",
            files: "Report files",
            rejected: "Rejected input records",
            none: "None.",
            not_given: "not in the inputs",
            more_rows: "more rows in",
            latest_attempt: "Latest attempt",
            footer: [
                "input records",
                "used",
                "out of scope",
                "duplicate",
                "rejected",
            ],
        },
        Lang::Ja => Words {
            title: "セルフサービス パスワード リセット レポート",
            period: "期間",
            no_period: "不明 (監査ログを読み込めませんでした)",
            coverage: "警告",
            covered: "入力データは期間全体をカバーしています。",
            headline: "主な数値",
            flows: "SSPR フロー",
            success_rate: "成功率",
            failure_rate: "失敗率 (失敗 + ブロック)",
            abandon_rate: "中断率",
            throttled: "ブロックされた|ユーザー",
            inferred: "ブロックの|疑いがある|ユーザー",
            registrations: "登録イベント / ユーザー",
            license_gaps: "ライセンスが|不足している|ユーザー",
            writeback: "ライトバック|操作",
            writeback_failed: "ライトバック|失敗",
            outage_minutes: "ライトバック|停止 (分)",
            matched: "オンプレミスで|確認できた|フロー",
            cloud_only: "オンプレミスに|記録がない|フロー",
            charts: "グラフ",
            reasons: "主な失敗理由と対処",
            throttled_users: "ブロックされたユーザー",
            gaps: "ライセンスの不足",
            writeback_errors: "オンプレミスのライトバック エラー",
            writeback_events: "Connect サーバーのエラー イベント",
            health: "ライトバックの健全性",
            by_error: "エラー別の失敗した操作",
            health_cards: [
                "成功した|操作",
                "失敗した|操作",
                "結果のない|操作",
                "接続|エラー",
                "Service Bus 警告",
                "構成|エラー",
                "サービスの|停止",
                "停止|期間",
                "停止 (分)",
            ],
            no_detail: "詳細なエラー イベントなし",
            files: "レポート ファイル",
            rejected: "読み込めなかった入力レコード",
            none: "なし。",
            not_given: "入力なし",
            more_rows: "行の続きは",
            latest_attempt: "最新の|試行",
            footer: ["入力レコード", "使用", "対象外", "重複", "不正"],
        },
    }
}

const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI','Hiragino Sans','Noto Sans CJK JP',Meiryo,sans-serif;margin:0;color:#212121;background:#fafafa}\
main{max-width:1000px;margin:0 auto;padding:24px}\
h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.2em;margin:32px 0 8px;border-bottom:2px solid #e0e0e0;padding-bottom:4px}h3{font-size:1.05em;margin:20px 0 8px}\
:lang(ja){line-break:strict}.l{word-break:keep-all}\
.sub{color:#616161;margin:0 0 16px}\
.warn{background:#fff8e1;border-left:4px solid #f9a825;padding:8px 12px;margin:8px 0}\
.ok{background:#e8f5e9;border-left:4px solid #2e7d32;padding:8px 12px;margin:8px 0}\
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:10px}\
.card{background:#fff;border:1px solid #e0e0e0;border-radius:6px;padding:10px}\
.card .v{font-size:1.5em;font-weight:600}.card .k{color:#616161;font-size:.85em}\
.succeeded{color:#2e7d32}.failed{color:#c62828}.blocked{color:#7b1fa2}.abandoned{color:#757575}\
figure{background:#fff;border:1px solid #e0e0e0;border-radius:6px;margin:12px 0;padding:8px}\
figure svg{max-width:100%;height:auto;display:block}\
.tw{overflow-x:auto}\
table{border-collapse:collapse;width:100%;background:#fff;font-size:.9em}\
th,td{border:1px solid #e0e0e0;padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:break-word}\
th{background:#f5f5f5}td.n{text-align:right;white-space:nowrap}td.t{white-space:nowrap}\
td.w{min-width:16em}td.c{min-width:9em}td.k{min-width:7em}td.w,td.c,td.k{overflow-wrap:anywhere}\
.nw{white-space:nowrap}\
details{background:#fff;border:1px solid #e0e0e0;border-radius:4px;margin:4px 0;padding:4px 8px;font-size:.9em}\
details ul{margin:2px 0;padding-left:1.4em}details p{margin:2px 0}summary{cursor:pointer}dd{margin:0 0 8px 1.4em;font-size:.9em}\
ul.files{columns:14em 3;padding-left:1.2em}ul.files li{overflow-wrap:anywhere}footer{color:#9e9e9e;font-size:.8em;margin-top:32px}";

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

/// Escapes a label and turns its break marks into `<wbr>`; a label breaks only there (and at
/// spaces), never inside a word.
pub(crate) fn label_html(label: &str) -> String {
    format!(
        "<span class=\"l\">{}</span>",
        escape(label).replace('|', "<wbr>")
    )
}

fn card(out: &mut String, value: &str, label: &str, class: &str) {
    out.push_str(&format!(
        "<div class=\"card\"><div class=\"v {class}\">{}</div><div class=\"k\">{}</div></div>",
        escape(value),
        label_html(label)
    ));
}

/// A time column: an ISO time must not wrap at its hyphens.
fn is_time(column: &str) -> bool {
    column == "time" || column.ends_with("_at") || column == "blocked_until"
}

/// An identifier (`FuzzyPolicyViolationInvalidPassword`, `SSPR_0030`) with break chances at its
/// word joints, so a narrow column wraps it there instead of pushing the table wider.
fn breakable(id: &str) -> String {
    let mut out = String::with_capacity(id.len() + 16);
    let mut prev: Option<char> = None;
    for c in id.chars() {
        if prev.is_some_and(|p| (p.is_lowercase() && c.is_uppercase()) || p == '_') {
            out.push_str("<wbr>");
        }
        out.push_str(&escape(c.encode_utf8(&mut [0; 4])));
        prev = Some(c);
    }
    out
}

/// One cell of a page table: class and HTML content.
fn cell_html(column: &str, cell: &str, lang: Lang) -> (&'static str, String) {
    if column == "share" {
        return match cell.parse::<f64>() {
            Ok(r) => (" class=\"n\"", format!("{:.1}%", r * 100.0)),
            Err(_) => ("", String::new()),
        };
    }
    if let Some(label) = labels::value(column, cell, lang) {
        return ("", label_html(label));
    }
    if is_time(column) {
        return (" class=\"t\"", escape(cell));
    }
    if !cell.is_empty() && cell.parse::<f64>().is_ok() {
        return (" class=\"n\"", escape(cell));
    }
    match column {
        "code" | "error" | "name" => (" class=\"c\"", breakable(cell)),
        "category" => (" class=\"k\"", unbroken_times(&escape(cell))),
        "remedy" | "meaning" | "evidence" => (" class=\"w\"", unbroken_times(&escape(cell))),
        _ => ("", unbroken_times(&escape(cell))),
    }
}

/// Length of the ISO date or time at the start of `s` (`2026-10-05`, `2026-10-05T09:16:34+09:00`,
/// `2026-10-05 09:16`), 0 when there is none.
fn iso_time_len(s: &[u8]) -> usize {
    let digits = |from: usize, n: usize| {
        s.get(from..from + n)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let at = |i: usize, c: u8| s.get(i) == Some(&c);
    if !(digits(0, 4) && at(4, b'-') && digits(5, 2) && at(7, b'-') && digits(8, 2)) {
        return 0;
    }
    let mut end = 10;
    if (at(10, b'T') || at(10, b' ')) && digits(11, 2) && at(13, b':') && digits(14, 2) {
        end = 16;
        if at(16, b':') && digits(17, 2) {
            end = 19;
            if at(19, b'.') {
                end += 1 + s[20..].iter().take_while(|c| c.is_ascii_digit()).count();
            }
        }
        if at(end, b'Z') {
            end += 1;
        } else if (at(end, b'+') || at(end, b'-')) && digits(end + 1, 2) && at(end + 3, b':') {
            end += if digits(end + 4, 2) { 6 } else { 0 };
        }
    }
    end
}

/// Escaped text with every ISO date and time kept on one line: inside free text a browser
/// would break `2026-10-05T09:16:34+09:00` at its hyphens.
fn unbroken_times(html: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let n = if starts_word {
            iso_time_len(&bytes[i..])
        } else {
            0
        };
        if n == 0 {
            i += 1;
            continue;
        }
        // The match is ASCII, so both ends are char boundaries.
        out.push_str(&html[copied..i]);
        out.push_str(&format!("<span class=\"nw\">{}</span>", &html[i..i + n]));
        i += n;
        copied = i;
    }
    out.push_str(&html[copied..]);
    out
}

/// A table of chosen columns of `rows` (cells in `header` order), at most `limit` rows, with a
/// link to the CSV for the rest. Headings and values are shown by their labels.
struct PageTable<'a> {
    header: &'a [String],
    rows: Vec<&'a Vec<String>>,
    columns: &'a [&'a str],
    limit: usize,
    file: &'a str,
    /// A last column of links into the page, one per row.
    links: Option<Links>,
}

/// A column of links to places on the page: its heading, and per row the id and the text.
struct Links {
    header: &'static str,
    cells: Vec<Option<(String, String)>>,
}

fn table(out: &mut String, t: &PageTable<'_>, w: &Words, lang: Lang) {
    let idx: Vec<(usize, &str)> = t
        .columns
        .iter()
        .filter_map(|c| t.header.iter().position(|h| h == c).map(|i| (i, *c)))
        .collect();
    if t.rows.is_empty() {
        out.push_str(&format!("<p>{}</p>", escape(w.none)));
        return;
    }
    out.push_str("<div class=\"tw\"><table><thead><tr>");
    for &(_, c) in &idx {
        out.push_str(&format!("<th>{}</th>", label_html(labels::column(c, lang))));
    }
    if let Some(links) = &t.links {
        out.push_str(&format!("<th>{}</th>", label_html(links.header)));
    }
    out.push_str("</tr></thead><tbody>");
    for (n, row) in t.rows.iter().take(t.limit).enumerate() {
        out.push_str("<tr>");
        for &(i, c) in &idx {
            let (class, html) = cell_html(c, row.get(i).map(String::as_str).unwrap_or(""), lang);
            out.push_str(&format!("<td{class}>{html}</td>"));
        }
        if let Some(links) = &t.links {
            match links.cells.get(n).and_then(Option::as_ref) {
                // The date keeps to one line, the time may go under it: a narrow column.
                Some((id, text)) => {
                    let (day, minute) = text.split_once(' ').unwrap_or((text, ""));
                    out.push_str(&format!(
                        "<td><a href=\"#{}\"><span class=\"nw\">{}</span> {}</a></td>",
                        escape(id),
                        escape(day),
                        escape(minute)
                    ));
                }
                None => out.push_str("<td></td>"),
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    if t.rows.len() > t.limit {
        out.push_str(&format!(
            "<p>{} {} <a href=\"{file}\">{file}</a></p>",
            t.rows.len() - t.limit,
            escape(w.more_rows),
            file = t.file
        ));
    }
}

/// Every row of a CSV table, or those whose `column` is `value`.
fn rows_where<'a>(t: &'a CsvTable, column: &str, value: &str) -> Vec<&'a Vec<String>> {
    let i = t.header().iter().position(|h| h == column);
    t.rows()
        .iter()
        .filter(|r| i.is_none_or(|i| r.get(i).is_some_and(|c| c == value)))
        .collect()
}

/// The cloud rows of failure_reasons.csv for the page. In Japanese the logged wording (English
/// prose) gives way to the category, except for a reason the catalog does not know: there the
/// wording is all there is, quoted after the category.
fn cloud_reasons(reasons: &CsvTable, lang: Lang) -> CsvTable {
    let columns: &[&str] = match lang {
        Lang::En => &[
            "code",
            "category",
            "logged_reason",
            "count",
            "share",
            "remedy",
        ],
        Lang::Ja => &["code", "category", "count", "share", "remedy"],
    };
    let mut t = CsvTable::new(columns, false);
    let col = |name: &str| reasons.header().iter().position(|h| h == name);
    for row in rows_where(reasons, "source", "cloud") {
        let cell = |name: &str| {
            col(name)
                .and_then(|i| row.get(i))
                .cloned()
                .unwrap_or_default()
        };
        let category = cell("category");
        let shown = match (lang, labels::value("category", &category, lang)) {
            (Lang::Ja, Some(label)) if category == "other" => {
                format!("{label}「{}」", cell("reason"))
            }
            (_, Some(label)) => label.to_string(),
            (_, None) => category,
        };
        let mut cells = vec![cell("code"), shown];
        if lang == Lang::En {
            cells.push(cell("reason"));
        }
        cells.extend([cell("count"), cell("share"), cell("remedy")]);
        t.row(cells);
    }
    t
}

/// For each cloud row of failure_reasons.csv (in [`cloud_reasons`]' order), a link to the first
/// attempt with that reason in the "Failed and blocked attempts" section, when it is shown there.
fn reason_links(reasons: &CsvTable, attempts: &Attempts, w: &Words) -> Links {
    let first = attempts::first_by_reason(attempts);
    links_by(reasons, ("cloud", "reason"), |reason| first.get(reason), w)
}

/// A link per `source` row of failure_reasons.csv to the attempt `find` names for the row's
/// `column`, with its start time to the minute.
fn links_by<'a>(
    reasons: &CsvTable,
    (source, column): (&str, &str),
    find: impl Fn(&str) -> Option<&'a (String, &'a str)>,
    w: &Words,
) -> Links {
    let i = reasons.header().iter().position(|h| h == column);
    let cells = rows_where(reasons, "source", source)
        .into_iter()
        .map(|row| {
            let key = i.and_then(|i| row.get(i)).map_or("", String::as_str);
            find(key).map(|(id, at)| {
                (
                    id.clone(),
                    at.replacen('T', " ", 1).chars().take(16).collect(),
                )
            })
        })
        .collect();
    Links {
        header: w.latest_attempt,
        cells,
    }
}

/// For each on-prem row of failure_reasons.csv (in [`onprem_reasons`]' order), a link to the
/// newest attempt whose operation failed with that error, when it is shown.
fn onprem_links(reasons: &CsvTable, attempts: &Attempts, w: &Words) -> Links {
    let first = attempts::first_by_onprem_error(attempts);
    let find = |code: &str| first.get(code).filter(|_| !code.is_empty());
    links_by(reasons, ("onprem", "code"), find, w)
}

/// The on-prem failure reasons: failed operations by their detailed error (the 33xxx event,
/// else the `hr=` code, else none), with the catalog's meaning beside the fix.
fn onprem_reasons(reasons: &CsvTable, w: &Words, lang: Lang) -> CsvTable {
    let mut t = CsvTable::new(&["error", "meaning", "count", "share", "remedy"], false);
    let col = |name: &str| reasons.header().iter().position(|h| h == name);
    let (Some(code), Some(reason), Some(n), Some(share), Some(remedy)) = (
        col("code"),
        col("reason"),
        col("count"),
        col("share"),
        col("remedy"),
    ) else {
        return t;
    };
    for row in rows_where(reasons, "source", "onprem") {
        let cell = |i: usize| row.get(i).map(String::as_str).unwrap_or("");
        let meaning = crate::catalog::hr_code(cell(code))
            .map(|h| h.meaning.get(lang))
            .or_else(|| {
                let id = cell(code).parse::<u32>().ok()?;
                crate::catalog::event(crate::catalog::EventSource::PasswordResetService, id)
                    .map(|e| e.meaning.get(lang))
            })
            .unwrap_or("");
        let error = if cell(code).is_empty() {
            w.no_detail.to_string()
        } else {
            format!("{} {}", cell(code), cell(reason))
        };
        t.row([error.as_str(), meaning, cell(n), cell(share), cell(remedy)]);
    }
    t
}

/// The on-prem events a reader of the writeback section must see: a 33xxx detail event, an
/// event with an `hr=` code, and every event the health totals count — lost connections, Service
/// Bus retries, configuration errors, service stops (SSPR_0030 in the cloud is one of these).
/// The rows of writeback_events.csv the page shows: error details, health events, 33xxx.
pub(crate) fn error_events(events: &CsvTable) -> Vec<&Vec<String>> {
    let col = |name: &str| events.header().iter().position(|h| h == name);
    let (Some(code), Some(id), Some(source)) = (col("error_code"), col("event_id"), col("source"))
    else {
        return Vec::new();
    };
    events
        .rows()
        .iter()
        .filter(|r| {
            is_error_event(
                r.get(source).and_then(|s| EventSource::parse(s)),
                r.get(id).and_then(|i| i.parse::<u32>().ok()),
                r.get(code).is_some_and(|c| !c.is_empty()),
            )
        })
        .collect()
}

/// Whether the page lists an event of writeback_events.csv: one with an error code, a 33xxx
/// detail, or an event of an error or health role (a stop, a connectivity or configuration
/// error, a Service Bus warning).
pub(crate) fn is_error_event(
    source: Option<EventSource>,
    event_id: Option<u32>,
    has_error_code: bool,
) -> bool {
    let role = source
        .zip(event_id)
        .and_then(|(s, i)| crate::catalog::event(s, i))
        .map(|e| e.role);
    has_error_code
        || event_id.is_some_and(|i| (33_000..=33_999).contains(&i))
        || matches!(
            role,
            Some(
                EventRole::ErrorDetail
                    | EventRole::Connectivity
                    | EventRole::ServiceBusWarning
                    | EventRole::Config
                    | EventRole::ServiceStopped
            )
        )
}

/// The writeback health totals of summary.json as cards: the numbers behind an SSPR_0030 in
/// the cloud (connectivity, Service Bus, stops) sit beside the failed operations.
fn health_cards(out: &mut String, wb: &Value, w: &Words) {
    out.push_str(&format!(
        "<h3>{}</h3>\n<div class=\"cards\">",
        escape(w.health)
    ));
    let keys = [
        ("succeeded", "succeeded"),
        ("failed", "failed"),
        ("pending", ""),
        ("connectivity_errors", "failed"),
        ("servicebus_warnings", ""),
        ("config_errors", "failed"),
        ("service_stops", ""),
        ("outages", "failed"),
        ("outage_minutes", ""),
    ];
    for ((key, class), label) in keys.iter().zip(w.health_cards) {
        card(out, &count(&wb[*key], w), label, class);
    }
    out.push_str("</div>\n");
}

fn head(out: &mut String, summary: &Value, w: &Words, lang: Lang) {
    let period = &summary["period"];
    let period_text = match (period["from"].as_str(), period["to"].as_str()) {
        (Some(from), Some(to)) => format!(
            "{from} – {to} ({})",
            period["timezone"].as_str().unwrap_or("UTC")
        ),
        _ => w.no_period.to_string(),
    };
    let lang_tag = match lang {
        Lang::En => "en",
        Lang::Ja => "ja",
    };
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
}

fn warnings_section(out: &mut String, summary: &Value, warnings: &[String], w: &Words) {
    out.push_str(&format!("<h2>{}</h2>\n", escape(w.coverage)));
    if warnings.is_empty() {
        out.push_str(&format!("<p class=\"ok\">{}</p>\n", escape(w.covered)));
    }
    for warning in warnings {
        out.push_str(&format!("<p class=\"warn\">{}</p>\n", escape(warning)));
    }
    let inputs = &summary["inputs"];
    if inputs["rejected"].as_u64().unwrap_or(0) > 0 {
        out.push_str(&format!(
            "<p class=\"warn\">{}: {} / {} — <a href=\"rejects.csv\">rejects.csv</a></p>\n",
            escape(w.rejected),
            count(&inputs["rejected"], w),
            count(&inputs["records_read"], w)
        ));
    }
}

/// Inputs the report lacks: what each costs, and the collect guide's section.
fn missing_section(out: &mut String, missing: &[(String, String)], lang: Lang) {
    if missing.is_empty() {
        return;
    }
    let (title, guide) = match lang {
        Lang::En => ("Inputs missing", "how to collect it:"),
        Lang::Ja => ("不足している入力", "入手方法:"),
    };
    out.push_str(&format!(
        "<h3>{}</h3>\n<ul class=\"missing\">",
        escape(title)
    ));
    // The guide ships with the tool, not with the report: its path is named, not linked (a
    // relative link would break wherever the report folder is moved).
    for (consequence, how) in missing {
        out.push_str(&format!(
            "<li>{} — {} <code>{}</code></li>",
            escape(consequence),
            escape(guide),
            escape(how)
        ));
    }
    out.push_str("</ul>\n");
}

fn cards(out: &mut String, summary: &Value, w: &Words, previous: Option<(&PreviousMonth, Lang)>) {
    out.push_str(&format!(
        "<h2>{}</h2>\n<div class=\"cards\">",
        escape(w.headline)
    ));
    let sspr = &summary["sspr"];
    let th = &summary["throttling"];
    let reg = &summary["registrations"];
    let wb = &summary["writeback"];
    let corr = &summary["correlation"];
    let registrations = format!("{} / {}", count(&reg["events"], w), count(&reg["users"], w));
    let cards: [(String, &str, &str); 13] = [
        (count(&sspr["flows"], w), w.flows, ""),
        (
            percent(&sspr["success_rate"], w),
            w.success_rate,
            "succeeded",
        ),
        (percent(&sspr["failure_rate"], w), w.failure_rate, "failed"),
        (
            percent(&sspr["abandon_rate"], w),
            w.abandon_rate,
            "abandoned",
        ),
        (count(&th["throttled_users"], w), w.throttled, "blocked"),
        (
            count(&th["inferred_throttled_users"], w),
            w.inferred,
            "blocked",
        ),
        (registrations, w.registrations, ""),
        (
            count(&summary["license_gaps"]["users"], w),
            w.license_gaps,
            "failed",
        ),
        (count(&wb["requests"], w), w.writeback, ""),
        (count(&wb["failed"], w), w.writeback_failed, "failed"),
        (count(&wb["outage_minutes"], w), w.outage_minutes, ""),
        (count(&corr["matched"], w), w.matched, "succeeded"),
        (count(&corr["cloud_only"], w), w.cloud_only, "failed"),
    ];
    // The summary key of each card, for its change against the previous month (the
    // registrations card shows two numbers and gets none).
    let keys: [Option<(&str, &str, bool)>; 13] = [
        Some(("sspr", "flows", false)),
        Some(("sspr", "success_rate", true)),
        Some(("sspr", "failure_rate", true)),
        Some(("sspr", "abandon_rate", true)),
        Some(("throttling", "throttled_users", false)),
        Some(("throttling", "inferred_throttled_users", false)),
        None,
        Some(("license_gaps", "users", false)),
        Some(("writeback", "requests", false)),
        Some(("writeback", "failed", false)),
        Some(("writeback", "outage_minutes", false)),
        Some(("correlation", "matched", false)),
        Some(("correlation", "cloud_only", false)),
    ];
    for ((value, label, class), key) in cards.iter().zip(keys) {
        let change = match (previous, key) {
            (Some((p, lang)), Some((section, metric, rate))) => {
                let key = format!("{section}_{metric}");
                delta(&summary[section][metric], &key, rate, p, lang)
            }
            _ => None,
        };
        card(out, value, label, class);
        if let Some(change) = change {
            // Inside the card just written: before its closing tag.
            out.truncate(out.len() - "</div>".len());
            // Styled inline: a page without a history stays byte-identical to before.
            out.push_str(&format!(
                "<div class=\"d\" style=\"color:#616161;font-size:.8em\">{}</div></div>",
                escape(&change)
            ));
        }
    }
    out.push_str("</div>\n");
}

/// Which flows were left out of the cloud ⇄ on-prem join, and which input showed it: the
/// reader of "no on-prem trace" must know it counts only flows that could have had one.
fn correlation_note(out: &mut String, corr: &Value, lang: Lang) {
    let Some(total) = corr["not_applicable"].as_u64() else {
        return;
    };
    let by = &corr["not_applicable_by"];
    let n = |key: &str| by[key].as_u64().unwrap_or(0);
    let parts: Vec<String> = [
        ("no_writeback_stage", "stopped before a new password was submitted (audit log)", "新しいパスワードの送信まで進まなかった (監査ログ)"),
        ("unlock", "account unlocks (no writeback operation exists for them)", "アカウントのロック解除 (ライトバック操作がない)"),
        ("cloud_only_by_audit", "admin resets the audit log marks cloud-only (OnPremisesAgent None)", "監査ログがクラウドのみと記録した管理者リセット (OnPremisesAgent None)"),
        ("cloud_only_user", "by users the licence list shows as cloud-only (DirSyncEnabled False / onPremisesSyncEnabled not true)", "ライセンス一覧でクラウドのみのユーザー (DirSyncEnabled False / onPremisesSyncEnabled が true でない)"),
        ("refused_in_cloud", "refused by the banned-password check before writeback (audit log)", "ライトバック前に禁止パスワードの検査で拒否 (監査ログ)"),
    ]
    .iter()
    .filter(|(key, _, _)| n(key) > 0)
    .map(|(key, en, ja)| match lang {
        Lang::En => format!("{} {en}", n(key)),
        Lang::Ja => format!("{ja} {} 件", n(key)),
    })
    .collect();
    let text = match lang {
        Lang::En => format!(
            "Not matched against the Connect servers' logs: {total} flows that never reached \
             writeback{}{}.",
            if parts.is_empty() { "" } else { " — " },
            parts.join("; ")
        ),
        Lang::Ja => format!(
            "Connect サーバーのログと照合しなかったフロー: ライトバックに至らなかった {total} 件{}{}。",
            if parts.is_empty() { "" } else { " — " },
            parts.join("、")
        ),
    };
    out.push_str(&format!("<p class=\"note\">{}</p>\n", escape(&text)));
}

fn section(out: &mut String, title: &str, t: &PageTable<'_>, w: &Words, lang: Lang) {
    out.push_str(&format!("<h2>{}</h2>\n", escape(title)));
    table(out, t, w, lang);
}

/// The tables of the page. `onprem_log`: an on-prem event log was read (without one the
/// writeback section would say "none" where the truth is "not known").
fn tables_sections(
    out: &mut String,
    tables: &[(&str, &CsvTable)],
    writeback: &Value,
    onprem_log: bool,
    attempts: Option<&Attempts>,
    w: &Words,
    lang: Lang,
) {
    let get = |name: &str| tables.iter().find(|(n, _)| *n == name).map(|(_, t)| *t);
    let reasons = get("failure_reasons.csv");
    if let Some(t) = reasons {
        let cloud = cloud_reasons(t, lang);
        let columns: Vec<&str> = cloud.header().iter().map(String::as_str).collect();
        let page = PageTable {
            header: cloud.header(),
            rows: cloud.rows().iter().collect(),
            columns: &columns,
            limit: 10,
            file: "failure_reasons.csv",
            links: attempts.map(|a| reason_links(t, a, w)),
        };
        section(out, w.reasons, &page, w, lang);
    }
    if let Some(t) = get("throttling.csv") {
        let columns = [
            "user",
            "status",
            "block_events",
            "last_blocked_at",
            "blocked_until",
            "max_flows_in_window",
            "flows_in_period",
        ];
        let page = PageTable {
            header: t.header(),
            rows: t.rows().iter().collect(),
            columns: &columns,
            limit: 20,
            file: "throttling.csv",
            links: None,
        };
        section(out, w.throttled_users, &page, w, lang);
    }
    if let Some(t) = get("license_gaps.csv") {
        let columns = ["user", "reason", "evidence", "licenses"];
        let page = PageTable {
            header: t.header(),
            rows: t.rows().iter().collect(),
            columns: &columns,
            limit: 20,
            file: "license_gaps.csv",
            links: None,
        };
        section(out, w.gaps, &page, w, lang);
    }
    if let (true, Some(events), Some(reasons)) = (onprem_log, get("writeback_events.csv"), reasons)
    {
        let by_error = onprem_reasons(reasons, w, lang);
        let columns = ["error", "meaning", "count", "share", "remedy"];
        let page = PageTable {
            header: by_error.header(),
            rows: by_error.rows().iter().collect(),
            columns: &columns,
            limit: 20,
            file: "failure_reasons.csv",
            links: attempts.map(|a| onprem_links(reasons, a, w)),
        };
        out.push_str(&format!("<h2>{}</h2>\n", escape(w.writeback_errors)));
        health_cards(out, writeback, w);
        out.push_str(&format!("<h3>{}</h3>\n", escape(w.by_error)));
        table(out, &page, w, lang);
        out.push_str(&format!("<h3>{}</h3>\n", escape(w.writeback_events)));
        let columns = ["time", "computer", "event_id", "name", "user", "error_code"];
        let page = PageTable {
            header: events.header(),
            rows: error_events(events),
            columns: &columns,
            limit: 20,
            file: "writeback_events.csv",
            links: None,
        };
        table(out, &page, w, lang);
    }
}

fn foot(out: &mut String, summary: &Value, files: &[String], w: &Words) {
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
    let inputs = &summary["inputs"];
    let parts: Vec<String> = [
        "records_read",
        "used",
        "out_of_scope",
        "duplicate",
        "rejected",
    ]
    .iter()
    .zip(w.footer)
    .map(|(key, label)| format!("{} {}", escape(label), count(&inputs[*key], w)))
    .collect();
    out.push_str(&format!(
        "<footer>sspr-report {} · {}</footer>\n",
        env!("CARGO_PKG_VERSION"),
        parts.join(" · ")
    ));
    out.push_str("</main>\n</body>\n</html>\n");
}

/// The page. `summary` is summary.json as a value; `warnings` every warning of the run in the
/// page's language; `tables` the report tables by file name; `files` every file of the report
/// folder (for the links).
pub fn page(
    summary: &Value,
    notes: &Notes<'_>,
    tables: &[(&str, &CsvTable)],
    charts: &[ChartFile],
    files: &[String],
    lang: Lang,
) -> String {
    page_with_previous(summary, notes, tables, charts, files, lang, None, None)
}

/// What the page says before the numbers: every warning of the run, and the inputs it lacks
/// (what each costs, the collect guide's section).
#[derive(Debug, Clone, Copy)]
pub struct Notes<'a> {
    /// Warnings, in the page's language.
    pub warnings: &'a [String],
    /// Missing inputs: consequence and where the guide says how to get it.
    pub missing: &'a [(String, String)],
}

/// The previous month found in the history (`run --history`): its headline numbers by
/// flattened summary key (`sspr_flows`, `writeback_failed`; `None` for null).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PreviousMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Numbers by `section_metric`.
    pub values: std::collections::BTreeMap<String, Option<f64>>,
}

/// "+11 vs 2026-09", "−1.5 pt vs 2026-09": a card's change against the previous month; `None`
/// when either side is unknown.
fn delta(
    now: &Value,
    key: &str,
    rate: bool,
    previous: &PreviousMonth,
    lang: Lang,
) -> Option<String> {
    let (a, b) = ((*previous.values.get(key)?)?, num(now)?);
    let d = if rate { (b - a) * 100.0 } else { b - a };
    let sign = if d > 0.0 {
        "+"
    } else if d < 0.0 {
        "−"
    } else {
        "±"
    };
    let amount = if rate {
        format!("{:.1} pt", d.abs())
    } else {
        format!("{}", d.abs())
    };
    Some(match lang {
        Lang::En => format!("{sign}{amount} vs {}", previous.month),
        Lang::Ja => format!("{} 比 {sign}{amount}", previous.month),
    })
}

/// [`page`], with each headline number's change against the previous month, and the newest
/// failed and blocked attempts with their stories (linked from the failure-reason table).
#[allow(clippy::too_many_arguments)]
pub fn page_with_previous(
    summary: &Value,
    notes: &Notes<'_>,
    tables: &[(&str, &CsvTable)],
    charts: &[ChartFile],
    files: &[String],
    lang: Lang,
    previous: Option<&PreviousMonth>,
    attempts: Option<&Attempts>,
) -> String {
    let w = words(lang);
    let mut out = String::with_capacity(256 * 1024);
    head(&mut out, summary, &w, lang);
    // Warnings first: a number over an uncovered stretch of time is not a number.
    warnings_section(&mut out, summary, notes.warnings, &w);
    missing_section(&mut out, notes.missing, lang);
    cards(&mut out, summary, &w, previous.map(|p| (p, lang)));
    correlation_note(&mut out, &summary["correlation"], lang);
    if !charts.is_empty() {
        out.push_str(&format!("<h2>{}</h2>\n", escape(w.charts)));
        for c in charts {
            match c.missing {
                Some(why) => out.push_str(&format!(
                    "<p class=\"note\">{}: {}</p>\n",
                    escape(&c.title),
                    escape(why)
                )),
                None => out.push_str(&format!(
                    "<figure aria-label=\"{}\">{}</figure>\n",
                    escape(&c.title),
                    c.svg.trim()
                )),
            }
        }
    }
    let onprem_log = !summary["writeback"]["requests"].is_null();
    tables_sections(
        &mut out,
        tables,
        &summary["writeback"],
        onprem_log,
        attempts,
        &w,
        lang,
    );
    // Last before the files: 200 stories would push the tables far down the page.
    if let Some(a) = attempts {
        attempts::section(&mut out, a, lang);
    }
    foot(&mut out, summary, files, &w);
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
            "coverage": {"warnings": []}
        });
        let mut reasons = CsvTable::new(
            &["source", "code", "reason", "count", "share", "remedy"],
            false,
        );
        reasons.row(["cloud", "", "<script>alert(1)</script>", "2", "0.5", "fix"]);
        let html = page(
            &summary,
            &Notes {
                warnings: &["audit log ends <early>".to_string()],
                missing: &[],
            },
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

    #[test]
    fn iso_times_in_free_text_stay_on_one_line() {
        assert_eq!(
            unbroken_times("at 2026-10-05T09:16:34+09:00, then 2026-10-06."),
            "at <span class=\"nw\">2026-10-05T09:16:34+09:00</span>, then \
             <span class=\"nw\">2026-10-06</span>."
        );
        assert_eq!(
            unbroken_times("2026-10-05 09:16:34.123Z ok"),
            "<span class=\"nw\">2026-10-05 09:16:34.123Z</span> ok"
        );
        for plain in ["no time", "12026-10-05", "2026-1-05", "ユーザー 2026-10"] {
            assert_eq!(unbroken_times(plain), plain);
        }
    }
}
