//! The report people look at: charts, index.html, report.xlsx, Japanese labels, pseudonyms, and
//! the committed example report of the bundled sample.

use crate::support::{Report, bin, fixture, repo, run_report};
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use std::path::{Path, PathBuf};

const CHARTS: [&str; 6] = [
    "daily_outcomes",
    "failure_reasons",
    "funnel",
    "throttling_heatmap",
    "registrations",
    "writeback_health",
];

const EXAMPLE_ARGS: [&str; 5] = ["--month", "2026-10", "--tz", "Asia/Tokyo", "--xlsx"];

fn sample(extra: &[&str]) -> Report {
    let mut args = vec!["--month", "2026-10", "--tz", "Asia/Tokyo", "--quiet"];
    args.extend_from_slice(extra);
    let r = run_report(&[fixture("sample")], &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG file");
    let be = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    (be(16), be(20))
}

/// Every file under a folder, relative names, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).expect("inside");
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn sheets(path: &Path) -> Xlsx<std::io::Cursor<Vec<u8>>> {
    let bytes = std::fs::read(path).expect("report.xlsx");
    open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("a workbook")
}

#[test]
fn charts_are_svg_and_png_with_titles_and_the_period() {
    let r = sample(&[]);
    for stem in CHARTS {
        let svg = r.file(&format!("charts/{stem}.svg"));
        assert!(svg.starts_with("<svg"), "{stem}");
        assert!(
            svg.contains("2026-10-01 – 2026-10-31 (Asia/Tokyo)"),
            "{stem}: subtitle with period and zone"
        );
        let png = std::fs::read(r.out.join(format!("charts/{stem}.png"))).expect("png");
        let (w, h) = png_size(&png);
        assert_eq!(w, 960, "{stem}");
        assert!(h >= 300, "{stem}: {h}");
    }
    let daily = r.file("charts/daily_outcomes.svg");
    for label in [
        "SSPR flows per day and failure rate",
        "Failure rate (%)",
        "Succeeded",
        "Abandoned",
        "Date",
    ] {
        assert!(daily.contains(label), "daily chart lacks {label}");
    }
    // The same outcome has the same colour in every chart (succeeded = #2E7D32).
    assert!(daily.contains("#2E7D32") && r.file("charts/funnel.svg").contains("#2E7D32"));
}

#[test]
fn index_html_is_one_self_contained_page() {
    let r = sample(&[]);
    let html = r.file("index.html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    for forbidden in [
        "<script",
        "<link",
        "src=\"http",
        "href=\"http",
        "@import",
        "url(",
    ] {
        assert!(
            !html.contains(forbidden),
            "external or active content: {forbidden}"
        );
    }
    assert_eq!(
        html.matches("<svg").count(),
        CHARTS.len(),
        "charts are inline"
    );
    let warning = html
        .find("The on-prem event log starts")
        .expect("coverage warning");
    assert!(
        warning < html.find("Headline numbers").expect("numbers"),
        "warnings first"
    );
    for table in [
        "Top failure reasons and their fixes",
        "Throttled users",
        "Licence gaps",
        "On-premises writeback errors",
    ] {
        assert!(html.contains(table), "{table}");
    }
    assert!(
        html.contains("choose a longer passphrase"),
        "remedies shown"
    );
    // Every link points at a file of the report, or at a place on the page.
    for part in html.split("href=\"").skip(1) {
        let target = part.split('"').next().unwrap_or("");
        match target.strip_prefix('#') {
            Some(id) => assert!(
                html.contains(&format!(" id=\"{id}\"")),
                "dangling link {target}"
            ),
            None => assert!(r.out.join(target).is_file(), "dangling link {target}"),
        }
    }
    let none = sample(&["--no-charts"]);
    assert!(!none.out.join("charts").exists());
    assert!(!none.file("index.html").contains("<svg"));
}

#[test]
fn xlsx_has_summary_first_and_every_table_with_real_cells() {
    let r = sample(&["--xlsx"]);
    let mut book = sheets(&r.out.join("report.xlsx"));
    let names = book.sheet_names();
    assert_eq!(names.first().map(String::as_str), Some("Summary"));
    for sheet in [
        "Flows",
        "Daily",
        "Failure reasons",
        "Throttling",
        "Registrations",
        "License gaps",
        "Writeback events",
    ] {
        assert!(names.iter().any(|n| n == sheet), "{sheet} in {names:?}");
    }
    let flows = book.worksheet_range("Flows").expect("Flows");
    assert_eq!(
        flows.height(),
        r.rows("flows.csv").len(),
        "every flow is a row"
    );
    let header: Vec<String> = flows
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header[..4], ["correlation_id", "user", "kind", "outcome"]);
    let started = header
        .iter()
        .position(|h| h == "started_at")
        .expect("started_at");
    let cell = flows
        .rows()
        .nth(1)
        .and_then(|row| row.get(started).cloned());
    assert!(
        matches!(cell, Some(Data::DateTime(_))),
        "started_at is a date-time cell: {cell:?}"
    );
    let ja = sample(&["--xlsx", "--lang", "ja"]);
    let book = sheets(&ja.out.join("report.xlsx"));
    assert_eq!(book.sheet_names().first().map(String::as_str), Some("概要"));
}

#[test]
fn japanese_labels_but_english_columns() {
    let r = sample(&["--lang", "ja"]);
    let html = r.file("index.html");
    assert!(
        html.contains("lang=\"ja\"")
            && html.contains("セルフサービス パスワード リセット レポート")
    );
    assert!(
        r.file("charts/daily_outcomes.svg")
            .contains("日別の SSPR フローと失敗率")
    );
    assert!(
        r.file("flows.csv")
            .starts_with("correlation_id,user,kind,outcome")
    );
    let has_cjk_font = sspr_report::render::charts::CJK_FONT_PATHS
        .iter()
        .any(|p| Path::new(p).is_file());
    let png = r.out.join("charts/daily_outcomes.png");
    if has_cjk_font {
        assert!(
            png.is_file(),
            "a CJK font is installed: PNGs are drawn with it"
        );
    } else {
        assert!(!png.exists(), "no CJK font: SVG only");
        let loud = run_report(
            &[fixture("sample")],
            &["--month", "2026-10", "--lang", "ja"],
        );
        assert!(
            loud.stdout.contains("no Japanese font found"),
            "{}",
            loud.stdout
        );
    }
    // --font with a Latin font draws PNGs whatever the language (and a wrong path is a usage error).
    let dejavu = repo().join("assets/DejaVuSans.ttf");
    let with_font = sample(&[
        "--lang",
        "ja",
        "--font",
        dejavu.to_str().expect("utf-8 path"),
    ]);
    assert!(with_font.out.join("charts/funnel.png").is_file());
    let bad = run_report(&[fixture("sample")], &["--font", "/no/such/font.ttf"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("--font"), "{}", bad.stderr);
}

/// Text of every output file (worksheet cells included).
fn all_text(r: &Report) -> String {
    let mut text = String::new();
    for name in files_under(&r.out) {
        let path = r.out.join(&name);
        if name.ends_with(".xlsx") {
            let mut book = sheets(&path);
            for sheet in book.sheet_names() {
                if let Ok(range) = book.worksheet_range(&sheet) {
                    for row in range.rows() {
                        for cell in row {
                            text.push_str(&cell.to_string());
                            text.push('\n');
                        }
                    }
                }
            }
        } else if !name.ends_with(".png") {
            text.push_str(&std::fs::read_to_string(&path).expect("text file"));
        }
    }
    text
}

#[test]
fn pseudonyms_replace_users_names_and_addresses_everywhere() {
    let key = ["--pseudonymize", "monthly-pack-key-2026"];
    let r = sample(&[key[0], key[1], "--xlsx"]);
    let text = all_text(&r);
    for secret in [
        "taro.yamada@contoso.co.jp",
        "@contoso.co.jp",
        "山田 太郎",
        "Sync_CONNECT01",
        "198.51.100.",
        // Event messages: distinguished names, domain\\user, per-user anchors.
        "CN=",
        "Okada Eri",
        "CONTOSO\\",
        "cloudAnchor",
        "SourceAnchorValue",
        "Nu8w7euaKXB",
    ] {
        assert!(!text.contains(secret), "{secret} leaked into the report");
    }
    assert!(text.contains("user-"), "pseudonyms are there");
    let users = |r: &Report| -> Vec<String> {
        r.rows("flows.csv")
            .into_iter()
            .skip(1)
            .map(|row| row[1].clone())
            .collect()
    };
    let again = sample(&[key[0], key[1]]);
    assert_eq!(users(&r), users(&again), "same key, same pseudonyms");
    let other = sample(&["--pseudonymize", "another-key-entirely"]);
    assert_ne!(users(&r), users(&other), "another key, other pseudonyms");
    let short = run_report(&[fixture("sample")], &["--pseudonymize", "abc"]);
    assert_eq!(short.code, 2, "{}", short.stderr);
}

/// Free text that pattern matching misses, and a file named after a user that holds a secret.
#[test]
fn pseudonymized_reports_keep_free_text_only_when_it_is_a_catalog_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let leaky = "client_ip_203.0.113.77 host10.20.30.40 198.51.100.23a １９８．５１．１００．２３ \
                 taro.yamada%40contoso.co.jp \"taro yamada\"@contoso.co.jp 山田太郎 Taro YAMADA";
    let header = "\"Date (UTC)\",\"CorrelationId\",\"Service\",\"Category\",\"Activity\",\"Result\",\"ResultReason\",\"ActorUserPrincipalName\",\"Target1Type\",\"Target1UserPrincipalName\"\r\n";
    let row = |t: &str, corr: &str, act: &str, res: &str, reason: &str| {
        format!(
            "\"{t}\",\"{corr}\",\"Self-service Password Management\",\"UserManagement\",\"{act}\",\"{res}\",\"{}\",\"hanako@contoso.co.jp\",\"User\",\"hanako@contoso.co.jp\"\r\n",
            reason.replace('"', "\"\"")
        )
    };
    let audit = format!(
        "{header}{}{}{}",
        row(
            "2026-10-06T04:00:00Z",
            "c1",
            "Self-service password reset flow activity progress",
            "success",
            "User submitted their user ID"
        ),
        row(
            "2026-10-06T04:01:00Z",
            "c1",
            "Reset password (self-service)",
            "failure",
            leaky
        ),
        row(
            "2026-10-06T05:00:00Z",
            "c2",
            "Reset password (self-service)",
            "failure",
            "PasswordDoesnotComplyFuzzyPolicy"
        ),
    );
    std::fs::write(dir.path().join("audit.csv"), audit).expect("write");
    std::fs::write(
        dir.path()
            .join("taro.yamada@contoso.co.jp_198.51.100.9.csv"),
        "API_KEY=sk-live-0123456789\nroot:x:0:0:root:/root:/bin/bash\n",
    )
    .expect("write");
    // An empty file is named in a warning: on the page, in summary.json and on the terminal.
    std::fs::write(dir.path().join("jiro.suzuki@contoso.co.jp.json"), "").expect("write");
    let r = run_report(
        &[dir.path().to_path_buf()],
        &["--pseudonymize", "monthly-pack-key-2026", "--xlsx"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("file-"), "{}", r.stdout);
    let text = all_text(&r) + &r.stdout + &r.stderr;
    assert!(!text.contains("jiro.suzuki"), "a file name leaked");
    for secret in [
        "203.0.113.77",
        "10.20.30.40",
        "198.51.100.23",
        "１９８",
        "taro.yamada",
        "taro yamada",
        "山田太郎",
        "YAMADA",
        "hanako",
        "API_KEY",
        "sk-live",
        "root:x",
    ] {
        assert!(!text.contains(secret), "{secret} leaked into the report");
    }
    // A catalog wording stays readable; the unknown one is a keyed hash that still groups.
    let reasons = r.rows("failure_reasons.csv");
    assert!(
        reasons
            .iter()
            .any(|row| row[2] == "PasswordDoesnotComplyFuzzyPolicy"),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|row| row[2].starts_with("text-")),
        "{reasons:?}"
    );
    let inputs = r.rows("inputs.csv");
    assert!(
        inputs.iter().skip(1).all(|row| row[0].starts_with("file-")),
        "{inputs:?}"
    );
}

fn example_dir() -> PathBuf {
    repo().join("reports/example")
}

#[test]
fn committed_example_report_is_what_the_sample_gives() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("example");
    let status = bin(dir.path())
        .arg("run")
        .arg(fixture("sample"))
        .args(EXAMPLE_ARGS)
        .arg("--quiet")
        .arg("--out")
        .arg(&out)
        .output()
        .expect("runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let example = example_dir();
    if std::env::var_os("SSPR_UPDATE_EXAMPLE").is_some() {
        let _ = std::fs::remove_dir_all(&example);
        std::fs::create_dir_all(example.join("charts")).expect("mkdir");
        for name in files_under(&out) {
            std::fs::copy(out.join(&name), example.join(&name)).expect("copy");
        }
    }
    let fresh = files_under(&out);
    assert_eq!(
        files_under(&example),
        fresh,
        "reports/example lists other files; regenerate with SSPR_UPDATE_EXAMPLE=1 cargo test --test cli committed_example"
    );
    for name in fresh {
        let a = std::fs::read(out.join(&name)).expect("fresh");
        let b = std::fs::read(example.join(&name)).expect("committed");
        assert!(
            a == b,
            "reports/example/{name} differs from a fresh run; regenerate with SSPR_UPDATE_EXAMPLE=1 cargo test --test cli committed_example"
        );
    }
}

#[test]
fn a_reason_that_quotes_a_user_is_hidden_in_charts_and_page_too() {
    let header = "\"Date (UTC)\",\"CorrelationId\",\"Service\",\"Category\",\"Activity\",\"Result\",\"ResultReason\",\"ActorUserPrincipalName\",\"Target1Type\",\"Target1UserPrincipalName\"\r\n";
    let row = "\"2026-10-03T09:15:00Z\",\"c1\",\"Self-service Password Management\",\"UserManagement\",\"Reset password (self-service)\",\"failure\",\"Escalated to hanako.sato@contoso.co.jp from 198.51.100.7\",\"taro.yamada@contoso.co.jp\",\"User\",\"taro.yamada@contoso.co.jp\"\r\n";
    let (_d, path) = crate::support::temp_input("audit.csv", format!("{header}{row}").as_bytes());
    let r = run_report(
        &[path],
        &["--pseudonymize", "monthly-pack-key-2026", "--quiet"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = all_text(&r);
    for secret in [
        "hanako.sato",
        "contoso.co.jp",
        "198.51.100.7",
        "taro.yamada",
    ] {
        assert!(!text.contains(secret), "{secret} leaked");
    }
    // Not a catalog wording: the chart and the table show the same keyed hash, nothing more.
    let hashed = r.rows("failure_reasons.csv")[1][2].clone();
    assert!(hashed.starts_with("text-"), "{hashed}");
    assert!(r.file("charts/failure_reasons.svg").contains(&hashed));
}

#[test]
fn parquet_flows_by_month_load_with_types() {
    use polars::prelude::*;
    let a = sample(&["--parquet"]);
    let path = a.out.join("parquet/month=2026-10/flows.parquet");
    let file = std::fs::File::open(&path).expect("parquet written");
    let df = ParquetReader::new(file).finish().expect("a Parquet file");
    assert_eq!(
        df.height(),
        a.rows("flows.csv").len() - 1,
        "one row per flow"
    );
    let schema = df.schema();
    let started = schema.get("started_at_utc");
    // In UTC, not a plain timestamp: Spark, Trino and DuckDB then read the instant right.
    assert!(
        matches!(
            started,
            Some(DataType::Datetime(TimeUnit::Microseconds, Some(tz))) if tz.as_str() == "UTC"
        ),
        "{started:?}"
    );
    assert_eq!(schema.get("records"), Some(&DataType::UInt32));
    assert_eq!(schema.get("correlation_id"), Some(&DataType::String));
    let b = sample(&["--parquet"]);
    let again = std::fs::read(b.out.join("parquet/month=2026-10/flows.parquet")).expect("again");
    assert!(
        std::fs::read(&path).expect("first") == again,
        "same inputs, same bytes"
    );
}

#[test]
fn full_width_and_hidden_formula_starts_are_guarded_in_csv() {
    let header = "\"Date (UTC)\",\"CorrelationId\",\"Service\",\"Category\",\"Activity\",\"Result\",\"ResultReason\",\"ActorUserPrincipalName\",\"Target1Type\",\"Target1UserPrincipalName\"\r\n";
    let mut audit = header.to_string();
    for (i, reason) in [
        "＝HYPERLINK(\"\"http://x\"\")",
        "＋1+1",
        "\u{feff}=1+1",
        "\u{200b}@SUM(A1)",
    ]
    .iter()
    .enumerate()
    {
        audit += &format!(
            "\"2026-10-03T09:1{i}:00Z\",\"c{i}\",\"Self-service Password Management\",\"UserManagement\",\"Reset password (self-service)\",\"failure\",\"{reason}\",\"taro@contoso.co.jp\",\"User\",\"taro@contoso.co.jp\"\r\n"
        );
    }
    let (_d, path) = crate::support::temp_input("audit.csv", audit.as_bytes());
    let r = run_report(&[path], &["--quiet", "--no-bom"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let reasons = r.rows("failure_reasons.csv");
    let texts: Vec<&str> = reasons.iter().skip(1).map(|row| row[2].as_str()).collect();
    assert_eq!(texts.len(), 4, "{texts:?}");
    for text in texts {
        assert!(text.starts_with('\''), "not guarded: {text:?}");
    }
}

#[test]
fn text_that_lies_to_the_reader_is_defused_on_the_terminal_the_page_and_in_svg() {
    let dir = tempfile::tempdir().expect("tempdir");
    // An empty file is named in a warning; its name carries a newline, a title-setting escape
    // sequence and a fake line of the tool's own output.
    let evil = "x\n\u{1b}]0;pwned\u{7}report: C:\\fake\u{202e}vsc\u{2028}.json";
    std::fs::write(dir.path().join(evil), "").expect("write");
    let header = "\"Date (UTC)\",\"CorrelationId\",\"Service\",\"Category\",\"Activity\",\"Result\",\"ResultReason\",\"ActorUserPrincipalName\",\"Target1Type\",\"Target1UserPrincipalName\"\r\n";
    let row = "\"2026-10-03T09:15:00Z\",\"c1\",\"Self-service Password Management\",\"UserManagement\",\"Reset password (self-service)\",\"failure\",\"bad\u{0}reason\u{1b}[31m \u{202e}txet\",\"taro@contoso.co.jp\",\"User\",\"taro@contoso.co.jp\"\r\n";
    std::fs::write(dir.path().join("audit.csv"), format!("{header}{row}")).expect("write");
    let r = run_report(&[dir.path().to_path_buf()], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (what, text) in [
        ("terminal", r.stdout.clone() + &r.stderr),
        ("page", r.file("index.html")),
        ("svg", r.file("charts/failure_reasons.svg")),
        ("inputs.csv", r.file("inputs.csv")),
        ("rejects.csv", r.file("rejects.csv")),
    ] {
        let bad: Vec<char> = text
            .chars()
            .filter(|&c| {
                (c.is_control() && c != '\n' && c != '\t' && c != '\r')
                    || ('\u{202a}'..='\u{202e}').contains(&c)
                    || c == '\u{2028}'
            })
            .collect();
        assert!(bad.is_empty(), "{what}: {bad:?}");
    }
    assert!(
        !r.stdout.lines().any(|l| l.starts_with("report: C:")),
        "{}",
        r.stdout
    );
}

/// A pseudonymized run names nothing personal through the places around the tables: the
/// default report folder, a workbook's sheet names, a computer named after its file.
#[test]
fn pseudonymized_reports_leak_no_names_through_folders_sheets_or_computers() {
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = dir.path().join("in");
    std::fs::create_dir_all(&inputs).expect("mkdir");
    // A workbook whose sheet is named after a person.
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Yamada Taro").expect("name");
    let header = [
        "Date (UTC)",
        "CorrelationId",
        "Service",
        "Activity",
        "Result",
        "ResultReason",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("header");
    }
    let row = [
        "2026-10-05T08:00:00Z",
        "c1",
        "Self-service Password Management",
        "Reset password (self-service)",
        "failure",
        "PasswordDoesnotComplyFuzzyPolicy",
    ];
    for (c, v) in row.iter().enumerate() {
        sheet.write_string(1, c as u16, *v).expect("cell");
    }
    book.save(inputs.join("taro.yamada@contoso.co.jp_198.51.100.9.xlsx"))
        .expect("save");
    // An Event Viewer CSV: its computer is named after the file.
    std::fs::write(
        inputs.join("Application_TYAMADA-LAPTOP.csv"),
        "\u{feff}Level,Date and Time,Source,Event ID,Task Category\r\n\
         Information,10/5/2026 8:00:00 AM,PasswordResetService,31019,None,ServiceBusHeartBeat\r\n",
    )
    .expect("write");
    // No --out: the folder is named after the first input.
    let output = bin(dir.path())
        .arg("run")
        .arg(inputs.join("taro.yamada@contoso.co.jp_198.51.100.9.xlsx"))
        .arg(inputs.join("Application_TYAMADA-LAPTOP.csv"))
        .args(["--pseudonymize", "monthly-pack-key-2026", "--xlsx"])
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let reports: Vec<String> = std::fs::read_dir(dir.path().join("reports"))
        .expect("reports")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(reports.len(), 1, "{reports:?}");
    assert!(reports[0].starts_with("file-"), "{reports:?}");
    let r = Report {
        _dir: tempfile::tempdir().expect("tempdir"),
        out: dir.path().join("reports").join(&reports[0]),
        code: 0,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::new(),
    };
    let text = all_text(&r) + &r.stdout;
    for secret in ["taro", "Taro", "Yamada", "YAMADA", "198.51.100"] {
        assert!(!text.contains(secret), "{secret} leaked");
    }
}
