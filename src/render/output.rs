//! The report folder is written into a temporary sibling and swapped into place at the end, so
//! a crash or a kill never leaves half a report, and the previous report stays until then. On
//! Linux the swap is one atomic `renameat2(RENAME_EXCHANGE)`: at every instant the report path
//! holds either the whole previous report or the whole new one. Elsewhere the previous report
//! is moved aside first, and for that moment the path is empty (never half-written).
//!
//! Replacing a folder deletes what was in it, so only a folder this tool wrote is ever replaced
//! ([`check_replaceable`]): each one carries a [`MARKER`] file naming the tool, the kind of
//! folder and every file written into it.

use crate::error::RunError;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The marker file inside every folder this tool writes (hidden, so it stays out of the way
/// and out of inputs: hidden files are never read as exports).
pub const MARKER: &str = ".sspr-report";

/// What a folder written by this tool holds; one kind never replaces the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    /// A report of `run`.
    Report,
    /// A synthetic tenant of `synth` (exports/ and truth.json).
    Tenant,
    /// The trend across months of `trend`.
    Trend,
}

impl OutputKind {
    fn tag(self) -> &'static str {
        match self {
            OutputKind::Report => "report",
            OutputKind::Tenant => "tenant",
            OutputKind::Trend => "trend",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            OutputKind::Report => "a report of sspr-report run",
            OutputKind::Tenant => "a synthetic tenant of sspr-report synth",
            OutputKind::Trend => "a trend of sspr-report trend",
        }
    }
}

/// A report being written.
pub struct ReportDir {
    target: PathBuf,
    temp: PathBuf,
    old: PathBuf,
    kind: OutputKind,
    written: Vec<String>,
}

impl ReportDir {
    /// Creates the temporary folder next to `target`, for a report.
    pub fn create(target: &Path) -> Result<Self, RunError> {
        Self::create_for(target, OutputKind::Report)
    }

    /// Creates the temporary folder next to `target`, for a folder of `kind`.
    pub fn create_for(target: &Path, kind: OutputKind) -> Result<Self, RunError> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if parent.exists() && !parent.is_dir() {
            return Err(RunError::io(
                "creating the report folder in",
                &parent,
                std::io::Error::new(
                    std::io::ErrorKind::NotADirectory,
                    "it is a file, not a folder",
                ),
            ));
        }
        std::fs::create_dir_all(&parent)
            .map_err(|e| RunError::io("creating folder", &parent, e))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "report".into());
        if std::fs::symlink_metadata(target).is_ok_and(|m| !m.is_dir()) {
            return Err(RunError::io(
                "replacing the report folder",
                target,
                std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "a file, not a folder, has that name: choose another --out",
                ),
            ));
        }
        remove_stale(&parent, &name, target);
        let temp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        if temp.exists() {
            std::fs::remove_dir_all(&temp).map_err(|e| RunError::io("removing", &temp, e))?;
        }
        std::fs::create_dir_all(&temp).map_err(|e| RunError::io("creating folder", &temp, e))?;
        Ok(ReportDir {
            target: target.to_path_buf(),
            temp,
            old,
            kind,
            written: Vec::new(),
        })
    }

    /// The temporary folder, for writers that create their files themselves (then
    /// [`ReportDir::record`] each one).
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// Records a file written directly under [`ReportDir::path`]; `name` is relative to it.
    pub fn record(&mut self, name: &str) {
        self.written.push(name.to_string());
    }

    /// Writes one file of the report.
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<(), RunError> {
        self.write_with(name, |out| out.write_all(bytes))
    }

    /// Writes one file of the report through `fill`, buffered.
    pub fn write_with(
        &mut self,
        name: &str,
        fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), RunError> {
        let path = self.temp.join(name);
        // The temporary folder itself is never recreated here: if something removed it, the
        // run fails rather than commit a report missing the files written before.
        if !self.temp.is_dir() {
            return Err(RunError::io(
                "writing",
                &path,
                std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "the report's temporary folder was removed while the run wrote it",
                ),
            ));
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| RunError::io("creating folder", dir, e))?;
        }
        let written = std::fs::File::create(&path).and_then(|file| {
            let mut out = std::io::BufWriter::with_capacity(256 * 1024, file);
            fill(&mut out)?;
            std::io::Write::flush(&mut out)
        });
        written.map_err(|e| RunError::io("writing", &path, e))?;
        self.written.push(name.to_string());
        Ok(())
    }

    /// Names of the files written so far.
    pub fn files(&self) -> &[String] {
        &self.written
    }

    /// Moves the finished report into place, replacing the previous one.
    pub fn commit(self) -> Result<PathBuf, RunError> {
        // The marker goes in first, so the folder swapped in is marked whatever happens next.
        let marker = self.temp.join(MARKER);
        std::fs::write(&marker, marker_text(self.kind, &self.written))
            .map_err(|e| RunError::io("writing", &marker, e))?;
        // Checked again here: something may have been put into the folder during the run.
        check_replaceable(&self.target, self.kind).map_err(|reason| {
            RunError::io(
                "replacing",
                &self.target,
                std::io::Error::new(std::io::ErrorKind::AlreadyExists, reason),
            )
        })?;
        // Test seam: `SSPR_TEST_COMMIT_PAUSE_MS` pauses just before and just after the swap, so
        // that tests/cli/faults.rs can kill a run inside the commit itself.
        let pause = std::env::var("SSPR_TEST_COMMIT_PAUSE_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map(std::time::Duration::from_millis);
        let wait = || pause.map(std::thread::sleep);
        wait();
        if self.target.exists() && exchange(&self.temp, &self.target).is_ok() {
            wait();
            // The temporary name now holds the previous report. The new one is in place: a
            // failure to remove the old one leaves a hidden folder the next run clears, not a
            // failed run.
            let _ = std::fs::remove_dir_all(&self.temp);
            return Ok(self.target.clone());
        }
        let old = self.old.clone();
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(|e| RunError::io("removing", &old, e))?;
        }
        if self.target.exists() {
            std::fs::rename(&self.target, &old)
                .map_err(|e| RunError::io("moving aside", &self.target, e))?;
        }
        if let Err(e) = std::fs::rename(&self.temp, &self.target) {
            // Put the previous report back rather than leave nothing.
            let _ = std::fs::rename(&old, &self.target);
            return Err(RunError::io("moving into place", &self.target, e));
        }
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(|e| RunError::io("removing", &old, e))?;
        }
        Ok(self.target.clone())
    }
}

/// Swaps two paths atomically.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        std::ffi::CString::new(p.as_os_str().as_bytes())
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidInput))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both paths are NUL-terminated C strings that outlive the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// No atomic swap: the caller moves the previous report aside instead.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// Removes what killed runs left behind: `.<name>.tmp-<pid>` and `.<name>.old-<pid>` folders
/// of processes that no longer run. (Where processes cannot be checked, only this process's
/// own leftovers are removed.)
fn remove_stale(parent: &Path, name: &str, target: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let pid = [".tmp-", ".old-"].iter().find_map(|tag| {
            file_name
                .strip_prefix(&format!(".{name}{tag}"))
                .and_then(|pid| pid.parse::<u32>().ok())
        });
        if let Some(pid) = pid
            && !process_runs(pid)
        {
            // A run killed between moving the previous report aside and moving the new one in
            // (where there is no atomic swap) left the only copy of the previous report there.
            if file_name.contains(".old-") && !target.exists() {
                let _ = std::fs::rename(entry.path(), target);
            } else {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}

fn process_runs(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// The marker's text: tool, version and kind on the first line, then every file written
/// (sorted, `/`-separated), so a later run can tell them from anything added by hand. Nothing
/// in it changes between runs of one binary, so reports stay byte-identical.
fn marker_text(kind: OutputKind, written: &[String]) -> String {
    let files: BTreeSet<&str> = written.iter().map(String::as_str).collect();
    let mut text = format!(
        "sspr-report {} {}\n\
         # Written by sspr-report. A later run may replace this folder whole, but only while it\n\
         # holds nothing except this file and the files listed below.\n",
        env!("CARGO_PKG_VERSION"),
        kind.tag()
    );
    for f in files {
        text.push_str(f);
        text.push('\n');
    }
    text
}

/// The kind tag and the listed files of `dir`'s marker; `None` when there is no readable one.
fn read_marker(dir: &Path) -> Option<(String, BTreeSet<String>)> {
    let path = dir.join(MARKER);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    // A marker lists a few hundred names at most; anything huge is not one of ours.
    if !meta.is_file() || meta.len() > 16 << 20 {
        return None;
    }
    let text = std::fs::read_to_string(&path).ok()?;
    let mut lines = text.lines();
    let (_version, tag) = lines
        .next()?
        .strip_prefix("sspr-report ")?
        .rsplit_once(' ')?;
    let listed = lines
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    Some((tag.to_string(), listed))
}

/// Names of every file a report wrote before reports carried the marker, outside `charts/`
/// and `parquet/`.
const LEGACY_REPORT_FILES: [&str; 14] = [
    "summary.json",
    "summary.csv",
    "flows.csv",
    "daily.csv",
    "failure_reasons.csv",
    "rejects.csv",
    "inputs.csv",
    "throttling.csv",
    "registrations.csv",
    "license_gaps.csv",
    "writeback_events.csv",
    "writeback_health.csv",
    "index.html",
    "report.xlsx",
];

/// Whether `rel` is a file an unmarked report of an earlier version wrote.
fn legacy_report_file(rel: &str) -> bool {
    if LEGACY_REPORT_FILES.contains(&rel) {
        return true;
    }
    if let Some(chart) = rel.strip_prefix("charts/") {
        return !chart.contains('/') && (chart.ends_with(".svg") || chart.ends_with(".png"));
    }
    rel.strip_prefix("parquet/month=")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(month, file)| !month.contains('/') && file == "flows.parquet")
}

/// Whether `rel` is a folder an unmarked report of an earlier version wrote.
fn legacy_report_folder(rel: &str) -> bool {
    rel == "charts"
        || rel == "parquet"
        || rel
            .strip_prefix("parquet/month=")
            .is_some_and(|month| !month.contains('/'))
}

/// An unmarked folder is taken for a report of an earlier version only when its
/// `summary.json` is one (an object with the `inputs` and `sspr` sections).
fn is_legacy_report(dir: &Path) -> bool {
    let path = dir.join("summary.json");
    let small = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file() && m.len() < 1 << 20);
    small
        && std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
            .is_some_and(|v| v.get("inputs").is_some() && v.get("sspr").is_some())
}

/// Entries under `dir` (relative to the folder being checked, `prefix` on the way down) that
/// are neither files `ours_file` accepts nor folders `ours_folder` accepts. Only accepted
/// folders are walked, so a user's big tree is never read, and symbolic links are never
/// followed (the tool writes none).
fn foreign_entries(
    dir: &Path,
    prefix: &str,
    ours_file: &dyn Fn(&str) -> bool,
    ours_folder: &dyn Fn(&str) -> bool,
) -> std::io::Result<Vec<String>> {
    let mut foreign = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let rel = format!("{prefix}{}", entry.file_name().to_string_lossy());
        let kind = entry.file_type()?;
        if kind.is_dir() && ours_folder(&rel) {
            let inner = foreign_entries(&entry.path(), &format!("{rel}/"), ours_file, ours_folder)?;
            foreign.extend(inner);
        } else if kind.is_dir() {
            foreign.push(format!("{rel}/"));
        } else if !(kind.is_file() && ours_file(&rel)) {
            foreign.push(rel);
        }
    }
    Ok(foreign)
}

/// A folder that must never be the output, whatever it holds: the current folder or one above
/// it (it cannot be swapped, and holds the user's work), the home folder, the root.
fn special_folder(dir: &Path) -> Option<&'static str> {
    let canonical = dir.canonicalize().ok()?;
    if canonical.parent().is_none() {
        return Some("it is the root folder; give --out a new or empty folder");
    }
    let home = std::env::var_os("HOME").and_then(|h| Path::new(&h).canonicalize().ok());
    if home.is_some_and(|h| h == canonical) {
        return Some("it is your home folder; give --out a new or empty folder");
    }
    let cwd = std::env::current_dir()
        .and_then(|d| d.canonicalize())
        .ok()?;
    cwd.starts_with(&canonical).then_some(
        "it is the current folder or holds it; give --out a new or empty folder, \
         such as reports/2026-10",
    )
}

/// Whether `dir` may be replaced by a folder of `kind`: it does not exist, is empty, or holds
/// nothing but what this tool wrote there — the files its marker lists, or, for a report of an
/// earlier version without a marker, report files by name. `Err` says why not and what to do.
/// Every command that writes a folder calls this before reading anything.
pub fn check_replaceable(dir: &Path, kind: OutputKind) -> Result<(), String> {
    // Not there or not reachable: nothing to lose; the writer reports any real problem.
    let Ok(meta) = std::fs::symlink_metadata(dir) else {
        return Ok(());
    };
    if let Some(reason) = special_folder(dir) {
        return Err(reason.into());
    }
    if meta.file_type().is_symlink() {
        return Err("it is a symbolic link; give the folder's own path, or another --out".into());
    }
    if !meta.is_dir() {
        return Err("a file, not a folder, has that name: choose another --out".into());
    }
    let cannot_list = |e: std::io::Error| format!("its content cannot be listed ({e})");
    let foreign = match read_marker(dir) {
        Some((tag, _)) if tag != kind.tag() => {
            let found = [OutputKind::Report, OutputKind::Tenant, OutputKind::Trend]
                .into_iter()
                .find(|k| k.tag() == tag)
                .map_or("a folder of another kind", |k| k.describe());
            return Err(format!(
                "it is {found}, not {}; choose another folder, or remove it yourself",
                kind.describe()
            ));
        }
        Some((_, listed)) => {
            let ours_folder = |rel: &str| {
                let dir = format!("{rel}/");
                listed.iter().any(|f| f.starts_with(&dir))
            };
            foreign_entries(
                dir,
                "",
                &|rel| rel == MARKER || listed.contains(rel),
                &ours_folder,
            )
            .map_err(cannot_list)?
        }
        None if kind == OutputKind::Report && is_legacy_report(dir) => {
            foreign_entries(dir, "", &legacy_report_file, &legacy_report_folder)
                .map_err(cannot_list)?
        }
        None => foreign_entries(dir, "", &|_| false, &|_| false).map_err(cannot_list)?,
    };
    if foreign.is_empty() {
        return Ok(());
    }
    let mut names = foreign.clone();
    names.sort();
    let shown = names.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    let more = match names.len() {
        n if n > 3 => format!(" and {} more", n - 3),
        _ => String::new(),
    };
    Err(format!(
        "it holds files sspr-report did not write ({shown}{more}), which replacing it would delete; \
         choose a new or empty folder, or move those files away or remove the folder yourself"
    ))
}

impl Drop for ReportDir {
    fn drop(&mut self) {
        // Reached with the temporary folder still present only when the run failed.
        if self.temp.exists() {
            let _ = std::fs::remove_dir_all(&self.temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marker_reads_back_what_was_written() {
        let dir = tempfile::tempdir().expect("tempdir");
        let written = ["flows.csv", "charts/a.svg", "flows.csv"].map(String::from);
        let text = marker_text(OutputKind::Tenant, &written);
        std::fs::write(dir.path().join(MARKER), &text).expect("write");
        let (tag, listed) = read_marker(dir.path()).expect("a marker");
        assert_eq!(tag, "tenant");
        assert_eq!(
            listed.into_iter().collect::<Vec<_>>(),
            ["charts/a.svg", "flows.csv"]
        );
        // Written twice, the same text: a report stays byte-identical.
        assert_eq!(text, marker_text(OutputKind::Tenant, &written));
    }

    #[test]
    fn legacy_report_names() {
        for ours in [
            "flows.csv",
            "report.xlsx",
            "charts/daily_outcomes.png",
            "parquet/month=2026-10/flows.parquet",
        ] {
            assert!(legacy_report_file(ours), "{ours}");
        }
        for theirs in [
            "keep.txt",
            "charts/notes.txt",
            "charts/sub/a.svg",
            "parquet/flows.parquet",
            "parquet/month=2026-10/x/flows.parquet",
        ] {
            assert!(!legacy_report_file(theirs), "{theirs}");
        }
        assert!(legacy_report_folder("parquet/month=2026-10"));
        assert!(!legacy_report_folder("parquet/month=2026-10/x") && !legacy_report_folder("sub"));
    }
}
