//! `completions SHELL`: a completion script generated from the same clap definition as `--help`,
//! so it always offers the options this binary has.

use crate::cli::Cli;
use crate::commands::Status;
use clap::CommandFactory;
use std::io::Write;

/// Writes the completion script for `shell` to `out`.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> anyhow::Result<Status> {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "sspr-report", out);
    out.flush()?;
    Ok(Status::Done)
}
