//! The report folder is written into a temporary sibling and swapped into place at the end, so
//! a crash or a kill never leaves half a report, and the previous report stays until then. On
//! Linux the swap is one atomic `renameat2(RENAME_EXCHANGE)`: at every instant the report path
//! holds either the whole previous report or the whole new one. Elsewhere the previous report
//! is moved aside first, and for that moment the path is empty (never half-written).

use crate::error::RunError;
use std::path::{Path, PathBuf};

/// A report being written.
pub struct ReportDir {
    target: PathBuf,
    temp: PathBuf,
    old: PathBuf,
    written: Vec<String>,
}

impl ReportDir {
    /// Creates the temporary folder next to `target`.
    pub fn create(target: &Path) -> Result<Self, RunError> {
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
            written: Vec::new(),
        })
    }

    /// Writes one file of the report.
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<(), RunError> {
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
        std::fs::write(&path, bytes).map_err(|e| RunError::io("writing", &path, e))?;
        self.written.push(name.to_string());
        Ok(())
    }

    /// Names of the files written so far.
    pub fn files(&self) -> &[String] {
        &self.written
    }

    /// Moves the finished report into place, replacing the previous one.
    pub fn commit(self) -> Result<PathBuf, RunError> {
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

impl Drop for ReportDir {
    fn drop(&mut self) {
        // Reached with the temporary folder still present only when the run failed.
        if self.temp.exists() {
            let _ = std::fs::remove_dir_all(&self.temp);
        }
    }
}
