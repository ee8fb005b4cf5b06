//! A bad-input corpus generated from the fixtures, for every input format: empty files, random
//! bytes, truncation at every kind of boundary, BOM trouble, mixed line endings, content that is
//! another format than the name says; and single monsters (a 50 MB field, deep JSON nesting,
//! huge numbers, an entity bomb, archives). Whatever the input: exit 0, no panic, every file
//! accounted for in inputs.csv, every reject naming its file, place and reason, the accounting
//! identity, and bounded memory.

use crate::support::fixture;
use std::path::{Path, PathBuf};

/// What a run on a folder of hostile files did.
struct Outcome {
    code: i32,
    stderr: String,
    /// Peak resident memory of the run, in MiB.
    peak_mib: u64,
    out: PathBuf,
    _dir: tempfile::TempDir,
}

impl Outcome {
    fn table(&self, name: &str) -> Vec<Vec<String>> {
        let text = std::fs::read_to_string(self.out.join(name)).expect("report file");
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        rdr.records()
            .map(|r| r.expect("row").iter().map(str::to_string).collect())
            .collect()
    }

    /// inputs.csv rows by file name (the part after the folder).
    fn inputs(&self) -> std::collections::BTreeMap<String, Vec<String>> {
        self.table("inputs.csv")
            .into_iter()
            .map(|row| {
                let name = row[0].rsplit('/').next().unwrap_or_default().to_string();
                (name, row)
            })
            .collect()
    }
}

/// Runs the report on `files` (name, bytes) and measures the run's peak memory.
fn run_on(files: &[(String, Vec<u8>)]) -> Outcome {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("hostile");
    std::fs::create_dir(&input).expect("mkdir");
    for (name, bytes) in files {
        std::fs::write(input.join(name), bytes).expect("write");
    }
    let out = dir.path().join("report");
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("sspr-report"));
    cmd.arg("run")
        .arg(&input)
        .args(["--quiet", "--no-charts", "--out"])
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let (code, stderr, peak_mib) = run_measured(cmd);
    assert!(!stderr.contains("panicked"), "the tool panicked: {stderr}");
    let outcome = Outcome {
        code,
        stderr,
        peak_mib,
        out,
        _dir: dir,
    };
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    check(&outcome, files);
    outcome
}

/// Runs `cmd` to its end; (exit code, stderr, peak RSS in MiB of that process alone).
// The child is reaped by wait4 (which gives its own rusage), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
fn run_measured(mut cmd: std::process::Command) -> (i32, String, u64) {
    use std::io::Read;
    let mut child = cmd.spawn().expect("spawn");
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        e.read_to_string(&mut stderr).expect("stderr");
    }
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it for this child only.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our unwaited child; the pointers are to live locals.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid, "wait4");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -libc::WTERMSIG(status)
    };
    // ru_maxrss is in KiB on Linux.
    (code, stderr, usage.ru_maxrss as u64 / 1024)
}

/// What holds for every run, whatever the inputs.
fn check(o: &Outcome, files: &[(String, Vec<u8>)]) {
    let summary: serde_json::Value = serde_json::from_str(
        std::fs::read_to_string(o.out.join("summary.json"))
            .expect("summary")
            .trim_start_matches('\u{feff}'),
    )
    .expect("summary parses");
    let i = &summary["inputs"];
    let n = |k: &str| i[k].as_u64().unwrap_or_else(|| panic!("inputs.{k}"));
    assert_eq!(
        n("records_read"),
        n("used") + n("out_of_scope") + n("duplicate") + n("rejected"),
        "accounting identity: {i}"
    );
    let inputs = o.inputs();
    for (name, _) in files {
        assert!(
            inputs.contains_key(name),
            "{name} is missing from inputs.csv"
        );
    }
    let rejects = o.table("rejects.csv");
    assert_eq!(
        rejects.len() as u64,
        n("rejected"),
        "every reject is listed"
    );
    for r in &rejects {
        let name = r[0].rsplit('/').next().unwrap_or_default();
        assert!(inputs.contains_key(name), "reject names an input: {r:?}");
        assert!(!r[1].trim().is_empty() && !r[2].trim().is_empty(), "{r:?}");
    }
}

/// How a corpus file must come out.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// Read: records used or out of scope, nothing rejected.
    Read,
    /// Complained about: a reject or a warning for this file.
    Complaint,
}

fn assert_expectation(o: &Outcome, name: &str, expect: Expect) {
    let inputs = o.inputs();
    let row = &inputs[name];
    // file,kind,format,encoding,records_read,used,out_of_scope,duplicate,rejected,first,last,warnings
    let num = |i: usize| row[i].parse::<u64>().unwrap_or_else(|_| panic!("{row:?}"));
    match expect {
        Expect::Read => assert!(
            num(5) + num(6) + num(7) > 0 && num(8) == 0,
            "{name} should be read cleanly: {row:?}"
        ),
        Expect::Complaint => assert!(
            num(8) > 0 || !row[11].trim().is_empty(),
            "{name} should be complained about: {row:?}"
        ),
    }
}

/// A fixed pseudo-random byte string (xorshift), so failures reproduce.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// Position just after the first match of any of `needles` at or after `from`.
fn after(bytes: &[u8], from: usize, needles: &[&[u8]]) -> Option<usize> {
    needles
        .iter()
        .filter_map(|n| {
            bytes[from..]
                .windows(n.len())
                .position(|w| w == *n)
                .map(|p| from + p + n.len())
        })
        .min()
}

/// The corpus of one text fixture: (file name, bytes, expectation).
fn text_variants(stem: &str, ext: &str, bytes: &[u8]) -> Vec<(String, Vec<u8>, Expect)> {
    let mut out = Vec::new();
    let mut add = |variant: &str, ext: &str, b: Vec<u8>, e: Expect| {
        out.push((format!("{stem}__{variant}.{ext}"), b, e));
    };
    add("empty", ext, Vec::new(), Expect::Complaint);
    add(
        "random",
        ext,
        noise(bytes.len() as u64, 4096),
        Expect::Complaint,
    );
    let third = bytes.len() / 3;
    // Cut inside a quoted field or a JSON string: right after an opening quote.
    if let Some(at) = after(bytes, third, &[b",\"", b"\": \"", b"\":\""]) {
        add(
            "cut_mid_quote",
            ext,
            bytes[..at].to_vec(),
            Expect::Complaint,
        );
    }
    // Cut inside a multi-byte UTF-8 sequence.
    if let Some(p) = bytes[third..].iter().position(|b| *b >= 0xC2 && *b < 0xF5) {
        add(
            "cut_mid_utf8",
            ext,
            bytes[..third + p + 1].to_vec(),
            Expect::Complaint,
        );
    }
    let bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF]);
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    let body = if bom { &bytes[3..] } else { bytes };
    if utf16 {
        // Without its BOM, UTF-16LE is still recognised by its zero bytes.
        add("bom_removed", ext, bytes[2..].to_vec(), Expect::Read);
        // A UTF-8 BOM in front of UTF-16 text.
        add(
            "wrong_bom",
            ext,
            [&[0xEF, 0xBB, 0xBF][..], bytes].concat(),
            Expect::Complaint,
        );
    } else {
        if bom {
            add("bom_removed", ext, body.to_vec(), Expect::Read);
        } else {
            add(
                "bom_added",
                ext,
                [&[0xEF, 0xBB, 0xBF][..], body].concat(),
                Expect::Read,
            );
        }
        // A UTF-16 byte-order mark in front of UTF-8 text.
        add(
            "wrong_bom",
            ext,
            [&[0xFF, 0xFE][..], body].concat(),
            Expect::Complaint,
        );
    }
    // Every other line end changed (CRLF <-> LF).
    let mut mixed = Vec::with_capacity(bytes.len());
    let mut line = 0;
    let mut k = 0;
    while k < bytes.len() {
        if bytes[k] == b'\n' {
            line += 1;
            let crlf = mixed.last() == Some(&b'\r');
            if line % 2 == 0 {
                if crlf {
                    mixed.pop();
                } else {
                    mixed.push(b'\r');
                }
            }
        }
        mixed.push(bytes[k]);
        k += 1;
    }
    // (Byte-wise, which only makes sense for UTF-8 text.)
    if !utf16 {
        add("mixed_line_ends", ext, mixed, Expect::Read);
    }
    // The content decides, not the name.
    add("named_as_xlsx", "xlsx", bytes.to_vec(), Expect::Read);
    out
}

/// The corpus made from one fixture.
fn corpus_of(fixture_rel: &str) -> Vec<(String, Vec<u8>, Expect)> {
    let path = fixture(fixture_rel);
    let bytes = std::fs::read(&path).expect("fixture");
    let text = |s: Option<&std::ffi::OsStr>| s.expect("name").to_string_lossy().into_owned();
    text_variants(&text(path.file_stem()), &text(path.extension()), &bytes)
}

fn corpus_run(fixture_rel: &str) {
    let corpus = corpus_of(fixture_rel);
    let files: Vec<(String, Vec<u8>)> = corpus
        .iter()
        .map(|(n, b, _)| (n.clone(), b.clone()))
        .collect();
    let o = run_on(&files);
    for (name, _, expect) in &corpus {
        assert_expectation(&o, name, *expect);
    }
}

#[test]
fn portal_csv_corpus() {
    corpus_run("formats/portal_current_utf8bom.csv");
}

#[test]
fn log_analytics_csv_corpus() {
    corpus_run("formats/log_analytics_portal_export.csv");
}

#[test]
fn portal_json_corpus() {
    corpus_run("formats/portal_download_value_wrapper.json");
}

#[test]
fn graph_ndjson_corpus() {
    corpus_run("formats/graph_directory_audits.ndjson");
}

#[test]
fn event_viewer_csv_corpus() {
    corpus_run("onprem/viewer_csv_ja/CONNECT02.csv");
}

#[test]
fn event_xml_corpus() {
    corpus_run("onprem/xml_wevtutil/CONNECT02.xml");
}

#[test]
fn powershell_json_corpus() {
    corpus_run("onprem/powershell_json/CONNECT02.json");
}

#[test]
fn registration_corpus() {
    corpus_run("directory/registrations/portal.csv");
    corpus_run("directory/registrations/userRegistrationDetails.json");
}

#[test]
fn licence_corpus() {
    corpus_run("directory/licenses/ActiveUsers.csv");
    corpus_run("directory/licenses/users.json");
}

#[test]
fn utf16_tables_cut_mid_code_unit() {
    for rel in [
        "formats/portal_current_utf16le.csv",
        "onprem/viewer_txt_ja/CONNECT02.txt",
    ] {
        let bytes = std::fs::read(fixture(rel)).expect("fixture");
        let odd = (bytes.len() / 2) | 1;
        let files = vec![
            ("cut_odd.csv".to_string(), bytes[..odd].to_vec()),
            ("bom_removed.csv".to_string(), bytes[2..].to_vec()),
        ];
        let o = run_on(&files);
        assert_expectation(&o, "cut_odd.csv", Expect::Complaint);
    }
}

#[test]
fn evtx_corpus() {
    let bytes = std::fs::read(fixture("onprem/evtx/CONNECT01.evtx")).expect("fixture");
    assert!(bytes.len() > 4096 + 3 * 65536);
    let mut damaged = bytes.clone();
    // Scribble over the middle of the second chunk's records.
    for b in &mut damaged[4096 + 65536 + 20_000..4096 + 65536 + 24_000] {
        *b ^= 0x5A;
    }
    let mut bad_header = bytes.clone();
    bad_header[4096..4096 + 8].copy_from_slice(b"NotChnk\0");
    let files = vec![
        (
            "cut_mid_chunk.evtx".into(),
            bytes[..4096 + 65536 + 30_000].to_vec(),
        ),
        ("cut_in_header.evtx".into(), bytes[..2000].to_vec()),
        ("damaged_chunk.evtx".into(), damaged),
        ("bad_chunk_magic.evtx".into(), bad_header),
        ("header_only.evtx".into(), bytes[..4096].to_vec()),
        (
            "magic_then_noise.evtx".into(),
            [&b"ElfFile\0"[..], &noise(7, 9000)].concat(),
        ),
        ("log_named_as.csv".into(), bytes.clone()),
    ];
    let o = run_on(&files);
    for name in [
        "cut_mid_chunk.evtx",
        "cut_in_header.evtx",
        "damaged_chunk.evtx",
        "bad_chunk_magic.evtx",
        "header_only.evtx",
        "magic_then_noise.evtx",
    ] {
        assert_expectation(&o, name, Expect::Complaint);
    }
    assert_expectation(&o, "log_named_as.csv", Expect::Read);
    // The undamaged chunks of a damaged file are still read.
    let inputs = o.inputs();
    let read_well = |name: &str| {
        let n = |i: usize| inputs[name][i].parse::<u64>().expect("count");
        n(4) - n(8)
    };
    assert!(
        read_well("cut_mid_chunk.evtx") > 100,
        "{:?}",
        inputs["cut_mid_chunk.evtx"]
    );
    assert!(
        read_well("damaged_chunk.evtx") > 100,
        "{:?}",
        inputs["damaged_chunk.evtx"]
    );
}

#[test]
fn workbook_corpus() {
    let bytes = std::fs::read(fixture("directory/registrations/portal.xlsx")).expect("fixture");
    let files = vec![
        ("cut_half.xlsx".into(), bytes[..bytes.len() / 2].to_vec()),
        (
            "zip_magic_then_noise.xlsx".into(),
            [&b"PK\x03\x04"[..], &noise(3, 5000)].concat(),
        ),
        ("workbook_named_as.json".into(), bytes.clone()),
    ];
    let o = run_on(&files);
    assert_expectation(&o, "cut_half.xlsx", Expect::Complaint);
    assert_expectation(&o, "zip_magic_then_noise.xlsx", Expect::Complaint);
    assert_expectation(&o, "workbook_named_as.json", Expect::Read);
}

const PORTAL_HEADER: &str = "\"Date (UTC)\",\"CorrelationId\",\"Service\",\"Category\",\"Activity\",\"Result\",\"ResultReason\",\"ActorUserPrincipalName\",\"Target1Type\",\"Target1UserPrincipalName\"\r\n";

fn portal_row(time: &str, corr: &str, reason: &str) -> String {
    format!(
        "\"{time}\",\"{corr}\",\"Self-service Password Management\",\"UserManagement\",\"Reset password (self-service)\",\"failure\",\"{reason}\",\"taro@contoso.co.jp\",\"User\",\"taro@contoso.co.jp\"\r\n"
    )
}

#[test]
fn a_50_mb_field_is_read_in_bounded_memory() {
    let field = "x".repeat(50 << 20);
    let csv = format!(
        "{PORTAL_HEADER}{}{}",
        portal_row("2026-10-01T00:00:00Z", "c1", &field),
        portal_row("2026-10-01T00:05:00Z", "c2", "User's account is locked")
    );
    let json = format!(
        "{{\"value\":[{{\"activityDateTime\":\"2026-10-01T00:00:00Z\",\"loggedByService\":\"Self-service Password Management\",\
         \"activityDisplayName\":\"Reset password (self-service)\",\"correlationId\":\"j1\",\"result\":\"failure\",\
         \"resultReason\":\"{field}\",\"category\":\"UserManagement\"}}]}}"
    );
    drop(field);
    let files = vec![
        ("huge_field.csv".to_string(), csv.into_bytes()),
        ("huge_string.json".to_string(), json.into_bytes()),
    ];
    let o = run_on(&files);
    // Both files are read; the field's 50 MB must not be copied over and over.
    for name in ["huge_field.csv", "huge_string.json"] {
        let row = &o.inputs()[name];
        assert!(row[4] != "0", "{name}: {row:?}");
        assert!(
            row[11].contains("were cut to that length"),
            "{name}: {row:?}"
        );
    }
    // What reaches the report is the cut text, not 50 MB.
    let flows = std::fs::read(o.out.join("flows.csv")).expect("flows");
    assert!(flows.len() < 1 << 20, "flows.csv is {} bytes", flows.len());
    assert!(
        o.peak_mib < 450,
        "peak memory {} MiB for 100 MB of input with two 50 MB fields",
        o.peak_mib
    );
}

#[test]
fn deep_nesting_and_huge_numbers_are_rejected_not_crashing() {
    let deep_array = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    let deep_object = format!(
        "{{\"value\":[{}1{}]}}",
        "{\"a\":".repeat(100_000),
        "}".repeat(100_000)
    );
    let huge_numbers = format!(
        "[{{\"activityDateTime\":1e999999,\"loggedByService\":\"Self-service Password Management\",\
         \"activityDisplayName\":\"Reset password (self-service)\",\"correlationId\":{},\"result\":\"success\"}},\
         {{\"activityDateTime\":\"2026-10-01T00:00:00Z\",\"loggedByService\":\"Self-service Password Management\",\
         \"activityDisplayName\":\"Reset password (self-service)\",\"correlationId\":\"n2\",\"result\":-{}}}]",
        "9".repeat(10_000),
        "1".repeat(5_000)
    );
    let files = vec![
        ("deep_array.json".to_string(), deep_array.into_bytes()),
        ("deep_object.json".to_string(), deep_object.into_bytes()),
        ("huge_numbers.json".to_string(), huge_numbers.into_bytes()),
        (
            "deep_lines.ndjson".to_string(),
            "[".repeat(100_000).into_bytes(),
        ),
    ];
    let o = run_on(&files);
    for name in [
        "deep_array.json",
        "deep_object.json",
        "huge_numbers.json",
        "deep_lines.ndjson",
    ] {
        assert_expectation(&o, name, Expect::Complaint);
    }
}

#[test]
fn archives_and_entity_bombs_are_named_not_expanded() {
    let laughs = {
        let mut x =
            String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE Events [\n<!ENTITY l0 \"ha\">\n");
        for i in 1..=30 {
            x += &format!(
                "<!ENTITY l{i} \"{}\">\n",
                format!("&l{};", i - 1).repeat(10)
            );
        }
        x + "]>\n<Events><Event><System><Provider Name='PasswordResetService'/><EventID>31001</EventID>\
             <TimeCreated SystemTime='2026-10-06T04:00:00Z'/></System><EventData><Data>&l30;</Data></EventData></Event></Events>\n"
    };
    let gzip = [&[0x1F, 0x8B, 0x08, 0x00][..], &noise(11, 2000)].concat();
    let files = vec![
        ("laughs.xml".to_string(), laughs.into_bytes()),
        ("AuditLogs.csv.gz".to_string(), gzip),
        ("zip_bomb.xlsx".to_string(), zip_bomb()),
    ];
    let o = run_on(&files);
    for name in ["laughs.xml", "AuditLogs.csv.gz", "zip_bomb.xlsx"] {
        assert_expectation(&o, name, Expect::Complaint);
    }
    let rejects = o.table("rejects.csv");
    let reason = |file: &str| {
        rejects
            .iter()
            .find(|r| r[0].ends_with(file))
            .map(|r| r[2].clone())
            .unwrap_or_default()
    };
    assert!(
        reason("AuditLogs.csv.gz").contains("decompress"),
        "{rejects:?}"
    );
    assert!(
        reason("zip_bomb.xlsx").contains("uncompressed"),
        "{rejects:?}"
    );
    assert!(o.peak_mib < 400, "{} MiB", o.peak_mib);
}

/// A workbook-shaped zip whose sheet's directory entry says 9 KiB of deflated data inflate to
/// 3 GiB, as a bomb's would (built by hand: compressing 3 GiB in a debug test would take long).
fn zip_bomb() -> Vec<u8> {
    let parts: [(&str, &[u8], u16, u32); 3] = [
        (
            "[Content_Types].xml",
            b"<?xml version=\"1.0\"?><Types/>",
            0,
            0,
        ),
        (
            "xl/workbook.xml",
            b"<?xml version=\"1.0\"?><workbook/>",
            0,
            0,
        ),
        ("xl/worksheets/sheet1.xml", &[0u8; 9 * 1024], 8, 3 << 30),
    ];
    let mut out = Vec::new();
    let mut central = Vec::new();
    let le16 = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
    let le32 = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
    for (name, data, method, claimed) in parts {
        let offset = out.len() as u32;
        let size = if claimed == 0 {
            data.len() as u32
        } else {
            claimed
        };
        le32(&mut out, 0x0403_4b50);
        for x in [20, 0, method, 0, 0] {
            le16(&mut out, x);
        }
        for x in [0, data.len() as u32, size] {
            le32(&mut out, x);
        }
        le16(&mut out, name.len() as u16);
        le16(&mut out, 0);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        le32(&mut central, 0x0201_4b50);
        for x in [20, 20, 0, method, 0, 0] {
            le16(&mut central, x);
        }
        for x in [0, data.len() as u32, size] {
            le32(&mut central, x);
        }
        for x in [name.len() as u16, 0, 0, 0, 0] {
            le16(&mut central, x);
        }
        le32(&mut central, 0);
        le32(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let (cd_offset, cd_size) = (out.len() as u32, central.len() as u32);
    out.extend_from_slice(&central);
    le32(&mut out, 0x0605_4b50);
    for x in [0, 0, 3, 3] {
        le16(&mut out, x);
    }
    le32(&mut out, cd_size);
    le32(&mut out, cd_offset);
    le16(&mut out, 0);
    out
}

#[test]
fn a_folder_of_everything_at_once_adds_up() {
    // All corpora together, so copies and duplicates across files are counted too.
    let mut files = Vec::new();
    for rel in [
        "formats/portal_current_utf8bom.csv",
        "formats/graph_directory_audits.ndjson",
        "onprem/xml_wevtutil/CONNECT02.xml",
    ] {
        for (name, b, _) in corpus_of(rel) {
            files.push((name.clone(), b.clone()));
            files.push((format!("copy_of_{name}"), b));
        }
    }
    let o = run_on(&files);
    let _: &Path = &o.out;
}

#[test]
fn fuzz_findings_stay_fixed() {
    // Every input a fuzzer ever crashed on (fuzz/regressions/<target>/): read, complained
    // about, no panic message.
    let root = crate::support::repo().join("fuzz/regressions");
    let mut files = Vec::new();
    for target in std::fs::read_dir(&root).expect("fuzz/regressions") {
        for f in std::fs::read_dir(target.expect("entry").path()).expect("target folder") {
            let path = f.expect("entry").path();
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            files.push((name, std::fs::read(&path).expect("read")));
        }
    }
    assert!(!files.is_empty());
    let o = run_on(&files);
    for (name, _) in &files {
        assert_expectation(&o, name, Expect::Complaint);
    }
    assert!(o.stderr.is_empty(), "{}", o.stderr);
}

#[test]
fn a_sheet_with_cells_at_opposite_corners_is_read_in_bounded_memory() {
    // Two cells, A1 and XFD1048576, span 17 billion cells: a whole-sheet range would try to
    // allocate them all and abort the process.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in [
        "User principal name",
        "Name",
        "SSPR Registered",
        "SSPR Enabled",
        "Methods registered",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h).expect("cell");
    }
    sheet
        .write_string(1, 0, "taro@contoso.co.jp")
        .expect("cell");
    sheet.write_string(1, 2, "Registered").expect("cell");
    sheet
        .write_string(1_048_575, 16_383, "far away")
        .expect("cell");
    let bytes = book.save_to_buffer().expect("xlsx");
    let files = vec![("corners.xlsx".to_string(), bytes)];
    let o = run_on(&files);
    assert!(o.peak_mib < 400, "{} MiB", o.peak_mib);
    let row = &o.inputs()["corners.xlsx"];
    assert_eq!(row[1], "registrations", "{row:?}");
}
