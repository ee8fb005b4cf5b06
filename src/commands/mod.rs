//! One file per subcommand (xsv style): each turns validated options into work and output.
//!
//! Layer: the top; commands wire the pipeline (ingest → model → correlate → metrics → render)
//! and nothing below imports them.

pub mod completions;
pub mod explain;
pub mod fuzz_run;
pub mod history;
pub mod inspect;
pub mod man;
pub mod run;
pub mod synth;
pub mod trace;
pub mod trend;

/// How a command ended, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Done (exit 0).
    Done,
    /// Done, but `--strict` found rejected records, or `explain` found nothing (exit 1).
    Failed,
}
