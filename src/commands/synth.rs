//! `sspr-report synth`: a synthetic tenant in every input format, with `truth.json`.

use crate::commands::Status;
use crate::error::ConfigError;
use crate::synth::tenant::{TenantSpec, write_tenant};
use std::io::Write;
use std::path::Path;

/// Writes the tenant into `out` (which must not hold files yet) and says what it wrote.
pub fn synth(spec: &TenantSpec, out: &Path, sink: &mut dyn Write) -> anyhow::Result<Status> {
    if out.exists() {
        let busy = std::fs::read_dir(out)
            .map(|mut entries| entries.next().is_some())
            .unwrap_or(true);
        if busy {
            return Err(ConfigError::Conflict(format!(
                "--out {}: the folder is not empty; synth writes only into a new or empty folder",
                out.display()
            ))
            .into());
        }
    }
    let files = write_tenant(spec, out)?;
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    writeln!(
        sink,
        "{} files, {:.1} MB in {} (truth.json holds the numbers the report must give)",
        files.len(),
        bytes as f64 / 1e6,
        out.display()
    )?;
    Ok(Status::Done)
}
