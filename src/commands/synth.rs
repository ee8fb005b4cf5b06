//! `sspr-report synth`: a synthetic tenant in every input format, with `truth.json`.

use crate::commands::Status;
use crate::commands::check_output_folder;
use crate::render::output::{OutputKind, ReportDir};
use crate::synth::tenant::{TenantSpec, write_tenant};
use std::io::Write;
use std::path::Path;

/// Writes the tenant into `out` — a new or empty folder, or a tenant this command wrote
/// before, which is replaced whole — and says what it wrote.
pub fn synth(spec: &TenantSpec, out: &Path, sink: &mut dyn Write) -> anyhow::Result<Status> {
    check_output_folder(out, OutputKind::Tenant)?;
    let mut dir = ReportDir::create_for(out, OutputKind::Tenant)?;
    let files = write_tenant(spec, dir.path())?;
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let root = dir.path().to_path_buf();
    for f in &files {
        let rel = f.strip_prefix(&root).unwrap_or(f);
        let name: Vec<_> = rel.iter().map(|c| c.to_string_lossy()).collect();
        dir.record(&name.join("/"));
    }
    let path = dir.commit()?;
    writeln!(
        sink,
        "{} files, {:.1} MB in {} (truth.json holds the numbers the report must give)",
        files.len(),
        bytes as f64 / 1e6,
        path.display()
    )?;
    Ok(Status::Done)
}
