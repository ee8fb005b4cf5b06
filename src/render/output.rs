//! The report folder is written into a temporary sibling and renamed into place at the end, so
//! a crash or a kill never leaves half a report, and the previous report stays until then.

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
        std::fs::create_dir_all(&parent)
            .map_err(|e| RunError::io("creating folder", &parent, e))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "report".into());
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

impl Drop for ReportDir {
    fn drop(&mut self) {
        // Reached with the temporary folder still present only when the run failed.
        if self.temp.exists() {
            let _ = std::fs::remove_dir_all(&self.temp);
        }
    }
}
