//! Hostile surroundings of the inputs (issue 15 items 1–3): folders that never end (links back
//! to a folder above, paths too long for the OS), files that are not files (FIFOs, devices,
//! sockets), and files whose lines never end (NUL bytes, one endless line, an endless field).
//! Every run here has a time limit (the child is killed when it is over, so the suite never
//! hangs) and an address-space limit (so a run that grows without end fails fast instead of
//! taking the machine's memory), and its peak memory is measured.

use crate::support::fixture;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Address space a run may take: far above what a bounded run needs (about 1 GiB of it is
/// thread stacks and allocator arenas reserved, not used), far below an unbounded one.
const ADDRESS_SPACE: u64 = 4 << 30;

/// Peak resident memory allowed for any of these runs (the bound).
const PEAK_MIB: u64 = 300;

/// What a run did.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    peak_mib: u64,
    out: PathBuf,
}

impl Run {
    /// inputs.csv rows (header first).
    fn inputs(&self) -> Vec<Vec<String>> {
        let text = std::fs::read_to_string(self.out.join("inputs.csv")).expect("inputs.csv");
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        rdr.records()
            .map(|r| r.expect("row").iter().map(str::to_string).collect())
            .collect()
    }

    /// The inputs.csv row of the file whose name ends with `name`, as column → value.
    fn input(&self, name: &str) -> std::collections::BTreeMap<String, String> {
        let rows = self.inputs();
        let header = rows[0].clone();
        let row = rows
            .iter()
            .find(|r| r[0].ends_with(name))
            .unwrap_or_else(|| panic!("{name} is not in inputs.csv: {rows:?}"));
        header.into_iter().zip(row.iter().cloned()).collect()
    }

    fn summary(&self) -> serde_json::Value {
        let text = std::fs::read_to_string(self.out.join("summary.json")).expect("summary");
        serde_json::from_str(text.trim_start_matches('\u{feff}')).expect("summary parses")
    }

    fn rejects(&self) -> Vec<Vec<String>> {
        let text = std::fs::read_to_string(self.out.join("rejects.csv")).expect("rejects.csv");
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        rdr.records()
            .map(|r| r.expect("row").iter().map(str::to_string).collect())
            .collect()
    }

    /// Exit 0, the accounting identity, and memory under the bound.
    fn assert_fine(&self) {
        assert_eq!(self.code, 0, "exit code; stderr: {}", self.stderr);
        let s = self.summary();
        let i = &s["inputs"];
        let n = |k: &str| i[k].as_u64().unwrap_or_else(|| panic!("inputs.{k}"));
        assert_eq!(
            n("records_read"),
            n("used") + n("out_of_scope") + n("duplicate") + n("rejected"),
            "accounting identity: {i}"
        );
        assert!(
            self.peak_mib < PEAK_MIB,
            "peak memory {} MiB (bound {PEAK_MIB})",
            self.peak_mib
        );
    }
}

/// Runs `sspr-report run INPUTS --out <dir>/report --no-charts` with a time limit.
fn run(dir: &Path, inputs: &[PathBuf], limit: Duration) -> Run {
    run_with(dir, inputs, limit, |_| {})
}

/// [`run`], with the command adjusted by `adjust` (an environment variable, …).
fn run_with(
    dir: &Path,
    inputs: &[PathBuf],
    limit: Duration,
    adjust: impl FnOnce(&mut std::process::Command),
) -> Run {
    let out = dir.join("report");
    let stdout = dir.join("stdout.txt");
    let stderr = dir.join("stderr.txt");
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("sspr-report"));
    cmd.arg("run")
        .args(inputs)
        .args(["--no-charts", "--out"])
        .arg(&out)
        .current_dir(dir)
        // Files, not pipes: a child that writes much never blocks on a full pipe.
        .stdout(std::fs::File::create(&stdout).expect("stdout file"))
        .stderr(std::fs::File::create(&stderr).expect("stderr file"));
    adjust(&mut cmd);
    // SAFETY: setrlimit is async-signal-safe and touches only the child's own limits.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: ADDRESS_SPACE,
                rlim_max: ADDRESS_SPACE,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let (code, peak_mib) = wait_with_limit(cmd, limit);
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    let stderr = read(&stderr);
    assert!(!stderr.contains("panicked"), "the tool panicked: {stderr}");
    Run {
        code,
        stdout: read(&stdout),
        stderr,
        peak_mib,
        out,
    }
}

/// Runs `cmd` and waits at most `limit` for it; past that it is killed and the test fails.
/// Returns the exit code (minus the signal for a killed child) and the peak RSS in MiB.
// The child is reaped by wait4 (which gives its rusage), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
fn wait_with_limit(mut cmd: std::process::Command, limit: Duration) -> (i32, u64) {
    let child = cmd.spawn().expect("spawn");
    let pid = child.id() as libc::pid_t;
    let start = Instant::now();
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it for this child only.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: pid is our unwaited child; the pointers are to live locals.
        let rc = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if rc == pid {
            break;
        }
        assert_eq!(rc, 0, "wait4");
        if start.elapsed() > limit {
            // SAFETY: kill and a blocking wait4 on our own unwaited child.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                libc::wait4(pid, &mut status, 0, &mut usage);
            }
            panic!(
                "the run did not end within {limit:?} (killed; peak {} MiB)",
                usage.ru_maxrss / 1024
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -libc::WTERMSIG(status)
    };
    // ru_maxrss is in KiB on Linux.
    (code, usage.ru_maxrss as u64 / 1024)
}

/// A folder `inputs` in a new temporary folder, holding one small audit export.
fn folder_with_export() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = dir.path().join("inputs");
    std::fs::create_dir(&inputs).expect("mkdir");
    std::fs::copy(
        fixture("formats/portal_current_utf8bom.csv"),
        inputs.join("audit.csv"),
    )
    .expect("copy");
    (dir, inputs)
}

fn symlink(target: &str, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

/// Records the export alone gives, to compare with.
fn records_of_export() -> u64 {
    let (dir, inputs) = folder_with_export();
    let r = run(dir.path(), &[inputs], Duration::from_secs(60));
    r.assert_fine();
    r.summary()["inputs"]["records_read"]
        .as_u64()
        .expect("records")
}

/// Item 1: two links to `.` made the walk go on for ever (memory past 1.2 GB); one link to
/// `.`, a link to itself, or a link to a folder above ended the run with exit 1. Each folder
/// is walked once; what is not walked is listed as skipped with the reason.
#[test]
fn links_back_to_a_folder_end_and_are_listed_as_skipped() {
    let (dir, inputs) = folder_with_export();
    symlink(".", &inputs.join("a"));
    symlink(".", &inputs.join("b"));
    symlink("self", &inputs.join("self"));
    symlink("/home/taro.yamada/exports", &inputs.join("gone"));
    std::fs::create_dir(inputs.join("sub")).expect("mkdir");
    symlink("..", &inputs.join("sub").join("up"));
    let r = run(dir.path(), &[inputs], Duration::from_secs(60));
    r.assert_fine();
    for (name, why) in [
        ("inputs/a", "read already"),
        ("inputs/b", "read already"),
        ("inputs/sub/up", "read already"),
        ("inputs/self", "link loop"),
        ("inputs/gone", "link to nothing"),
    ] {
        let row = r.input(name);
        assert_eq!(row["kind"], "skipped", "{name}: {row:?}");
        assert_eq!(row["records_read"], "0", "{name}");
        assert!(row["warnings"].contains(why), "{name}: {row:?}");
        assert!(
            r.stdout.contains(&format!("warning: {name}: skipped")),
            "{name} is named in the run's warnings: {}",
            r.stdout
        );
    }
    assert!(
        !r.input("inputs/gone")["warnings"].contains("taro"),
        "a link's target outside the system folders is not named"
    );
    // The export is read once, not once per way to it.
    assert_eq!(r.inputs().len(), 1 + 6);
    assert_eq!(
        r.summary()["inputs"]["records_read"].as_u64(),
        Some(records_of_export())
    );
}

/// Item 1: a folder whose path is longer than the OS takes (`File name too long`) ended the
/// run with exit 1; it is a warning naming the path, and the run goes on.
#[test]
fn a_path_too_long_for_the_os_is_skipped_with_a_warning() {
    let (dir, inputs) = folder_with_export();
    // Twenty levels of 250-byte names: over PATH_MAX (4096), made relative to each level.
    let name = std::ffi::CString::new("d".repeat(250)).expect("name");
    let root = std::ffi::CString::new(inputs.as_os_str().as_encoded_bytes()).expect("path");
    // SAFETY: plain fd-relative calls on C strings that outlive them; every fd is closed.
    unsafe {
        let mut fd = libc::open(root.as_ptr(), libc::O_RDONLY | libc::O_DIRECTORY);
        assert!(fd >= 0, "open");
        for _ in 0..20 {
            assert_eq!(libc::mkdirat(fd, name.as_ptr(), 0o755), 0, "mkdirat");
            let next = libc::openat(fd, name.as_ptr(), libc::O_RDONLY | libc::O_DIRECTORY);
            libc::close(fd);
            assert!(next >= 0, "openat");
            fd = next;
        }
        libc::close(fd);
    }
    let r = run(dir.path(), &[inputs], Duration::from_secs(60));
    r.assert_fine();
    let rows = r.inputs();
    let long: Vec<_> = rows.iter().filter(|row| row[0].contains("ddddd")).collect();
    assert_eq!(long.len(), 1, "{rows:?}");
    let header = &rows[0];
    let col = |c: &str| header.iter().position(|h| h == c).expect("column");
    assert_eq!(long[0][col("kind")], "skipped");
    assert!(
        long[0][col("warnings")].contains("path too long"),
        "{long:?}"
    );
    assert!(r.stdout.contains("path too long"), "{}", r.stdout);
}

/// Item 2: a FIFO hung the run for ever (no CPU, no end). Only regular files are read: the
/// FIFO is skipped with a warning, in a folder and named on the command line.
#[test]
fn a_fifo_is_skipped_not_waited_for() {
    let (dir, inputs) = folder_with_export();
    let fifo = inputs.join("pipe.csv");
    let path = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).expect("path");
    // SAFETY: a C string that outlives the call.
    assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o644) }, 0, "mkfifo");
    let r = run(
        dir.path(),
        std::slice::from_ref(&inputs),
        Duration::from_secs(30),
    );
    r.assert_fine();
    let row = r.input("inputs/pipe.csv");
    assert_eq!(row["kind"], "skipped");
    assert_eq!(row["format"], "FIFO (named pipe)");
    assert!(row["warnings"].contains("not a regular file"), "{row:?}");
    // The FIFO given on its own, beside the export.
    let (dir2, _) = folder_with_export();
    let r = run(
        dir2.path(),
        &[fifo, dir2.path().join("inputs/audit.csv")],
        Duration::from_secs(30),
    );
    r.assert_fine();
    assert_eq!(r.input("pipe.csv")["kind"], "skipped");
    assert!(
        r.stdout.contains("warning: pipe.csv: skipped: a FIFO"),
        "{}",
        r.stdout
    );
}

/// Item 2: a link to `/dev/zero` took 8.2 GB in 17 s. Devices (and sockets) are skipped.
#[test]
fn devices_and_sockets_are_skipped_not_read() {
    let (dir, inputs) = folder_with_export();
    symlink("/dev/zero", &inputs.join("zero.csv"));
    symlink("/dev/urandom", &inputs.join("random.json"));
    let _socket =
        std::os::unix::net::UnixListener::bind(inputs.join("socket.csv")).expect("socket");
    let r = run(dir.path(), &[inputs], Duration::from_secs(60));
    r.assert_fine();
    for (name, what) in [
        ("zero.csv", "character device"),
        ("random.json", "character device"),
        ("socket.csv", "socket"),
    ] {
        let row = r.input(name);
        assert_eq!(row["kind"], "skipped", "{name}: {row:?}");
        assert_eq!(row["format"], what, "{name}");
        assert!(
            row["warnings"].contains("only regular files are read"),
            "{name}: {row:?}"
        );
    }
    assert!(r.input("zero.csv")["warnings"].contains("/dev/zero"));
    // Other targets are not named: a path may name a person, and warnings reach the report.
    assert!(!r.input("socket.csv")["warnings"].contains("link to"));
    assert_eq!(
        r.summary()["inputs"]["records_read"].as_u64(),
        Some(records_of_export())
    );
}

/// The kernel's file systems hold no exports: `/proc/self` (endless, and ending the run with
/// exit 1 as it looped through `fd/3/self/task/…`), and `/proc/self/environ`, which as an
/// unknown file used to put the run's environment into rejects.csv. Nothing there is read.
#[test]
fn kernel_files_are_skipped_not_quoted_into_the_report() {
    let (dir, inputs) = folder_with_export();
    symlink("/proc/self/environ", &inputs.join("env.csv"));
    symlink("/proc/self", &inputs.join("self"));
    symlink("/sys/kernel", &inputs.join("sys"));
    let secret = "s3cret-token-that-must-not-leak";
    let r = run_with(dir.path(), &[inputs], Duration::from_secs(60), |cmd| {
        cmd.env("SSPR_TEST_SECRET", secret);
    });
    r.assert_fine();
    for name in ["env.csv", "self", "sys"] {
        let row = r.input(name);
        assert_eq!(row["kind"], "skipped", "{name}: {row:?}");
        assert!(row["warnings"].contains("kernel's"), "{name}: {row:?}");
    }
    for entry in std::fs::read_dir(&r.out).expect("report") {
        let path = entry.expect("entry").path();
        if let Ok(text) = std::fs::read(&path) {
            let leaked = memchr_find(&text, secret.as_bytes());
            assert!(!leaked, "{} holds the environment", path.display());
        }
    }
}

fn memchr_find(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The portal CSV header and one SSPR row.
const PORTAL_HEAD: &str = "\"Date (UTC)\",\"CorrelationId\",\"Service\",\"Category\",\"Activity\",\"Result\",\"ResultReason\"\r\n\
    \"2026-10-03T09:15:00Z\",\"c1\",\"Self-service Password Management\",\"x\",\"Reset password (self-service)\",\"success\",\"\"\r\n";

/// A file of `head` followed by NUL bytes up to `len` (sparse: made at once, takes no disk).
fn sparse(path: &Path, head: &[u8], len: u64) {
    std::fs::write(path, head).expect("write");
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .expect("open");
    file.set_len(len).expect("set_len");
}

/// Runs the report on one file named `name` made by `make` (the folder lives as long as the
/// first value).
fn run_one(name: &str, make: impl FnOnce(&Path)) -> (tempfile::TempDir, Run) {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = dir.path().join("inputs");
    std::fs::create_dir(&inputs).expect("mkdir");
    make(&inputs.join(name));
    let r = run(dir.path(), &[inputs], Duration::from_secs(120));
    (dir, r)
}

/// Item 3: a 3 GB sparse file of NUL bytes passed 5.3 GB (and was killed at 24 GB): NUL is
/// valid UTF-8, so it was read as one endless line. Recognition reads a bounded head, and a
/// head of NULs is one rejected record that says what the file is.
#[test]
fn a_file_of_nul_bytes_is_one_reject_from_its_head() {
    let (_dir, r) = run_one("zeros.csv", |p| sparse(p, b"", 3 << 30));
    r.assert_fine();
    let row = r.input("zeros.csv");
    assert_eq!(
        (row["kind"].as_str(), row["records_read"].as_str()),
        ("unknown", "1")
    );
    let rejects = r.rejects();
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    assert_eq!(rejects[0][1], "file");
    assert!(
        rejects[0][2].contains("nothing but NUL bytes"),
        "{rejects:?}"
    );
}

/// Item 3: an endless line, an endless quoted field and a tail of NULs after good rows: the
/// rows before are read, the monster is one reject, memory stays bounded.
#[test]
fn an_endless_line_or_field_after_good_rows_streams_in_bounded_memory() {
    // A line without end: NULs after the rows (a copy that never got its data).
    let (_dir, r) = run_one("tail.csv", |p| sparse(p, PORTAL_HEAD.as_bytes(), 512 << 20));
    r.assert_fine();
    assert_eq!(r.summary()["sspr"]["flows"], 1, "the row before is read");
    let rejects = r.rejects();
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    assert_eq!(rejects[0][1], "line 3");
    // A quoted field that never closes: past 64 MiB the row is skipped as one reject.
    let (_dir, r) = run_one("quoted.csv", |p| {
        let head = format!("{PORTAL_HEAD}\"2026-10-03T09:20:00Z\",\"");
        sparse(p, head.as_bytes(), 512 << 20)
    });
    r.assert_fine();
    assert_eq!(r.summary()["sspr"]["flows"], 1, "the row before is read");
    let rejects = r.rejects();
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    assert_eq!(rejects[0][1], "line 3");
    assert!(rejects[0][2].contains("larger than 64 MiB"), "{rejects:?}");
    // A first line longer than the head recognition reads is no export's header.
    let (_dir, r) = run_one("wide.csv", |p| {
        let text = format!("{}\r\n{PORTAL_HEAD}", "a,".repeat(1 << 20));
        std::fs::write(p, text).expect("write");
    });
    r.assert_fine();
    let rejects = r.rejects();
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    assert!(
        rejects[0][2].contains("first line is longer than 64 KiB"),
        "{rejects:?}"
    );
}

/// Item 3: a record is bounded by its count of values as well as its size: 20 MB of
/// `1,1,1,…` in one JSON record took some 700 MB as a parsed tree.
#[test]
fn a_json_record_of_millions_of_values_is_skipped_in_bounded_memory() {
    let (_dir, r) = run_one("values.json", |p| {
        let mut text = String::from("[{\"a\":[");
        text.push_str(&"1,".repeat(10_000_000));
        text.push_str("1]},\n{\"id\":\"b\",\"activityDateTime\":\"2026-10-03T09:20:00Z\",\"loggedByService\":\"Self-service Password Management\",\"activityDisplayName\":\"Change password (self-service)\",\"result\":\"success\",\"correlationId\":\"c2\"}]");
        std::fs::write(p, text).expect("write");
    });
    r.assert_fine();
    assert_eq!(r.summary()["sspr"]["flows"], 1, "the record after is read");
    let rejects = r.rejects();
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    assert!(rejects[0][2].contains("values: skipped"), "{rejects:?}");
}

/// Item 3: XML elements nested ten million deep kept every open element's name (over 500 MB);
/// past 64 levels the rest of the file is one reject.
#[test]
fn xml_nested_without_end_is_one_reject_in_bounded_memory() {
    let (_dir, r) = run_one("deep.xml", |p| {
        let text = format!("<Events>{}", "<a>".repeat(10_000_000));
        std::fs::write(p, text).expect("write");
    });
    r.assert_fine();
    let rejects = r.rejects();
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    assert!(rejects[0][2].contains("nested more than 64"), "{rejects:?}");
}
