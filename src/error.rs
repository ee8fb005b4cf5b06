//! Typed errors of the library. The binary wraps them in `anyhow` and maps them to exit codes.
//!
//! Layer: the bottom; imports nothing of this crate.

use std::path::PathBuf;

/// A problem with the command line that the user must fix (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// An option value that does not parse or is out of range.
    #[error("invalid value '{value}' for '{option}': {reason}")]
    InvalidValue {
        option: &'static str,
        value: String,
        reason: String,
    },
    /// Options that contradict each other.
    #[error("{0}")]
    Conflict(String),
    /// An input path that does not exist.
    #[error("input not found: {}", .0.display())]
    MissingInput(PathBuf),
    /// The output folder would overlap an input.
    #[error("output folder {} overlaps input {}: choose --out outside the inputs", .out.display(), .input.display())]
    OutputOverlapsInput { out: PathBuf, input: PathBuf },
    /// The output folder exists and is not one this tool may replace (it holds files the tool
    /// did not write, or it is the current, home or root folder); `reason` says what to do.
    #[error("refusing to write into {}: {reason}", .out.display())]
    OutputNotReplaceable { out: PathBuf, reason: String },
    /// No input given and the bundled sample is not where it should be.
    #[error(
        "no INPUT given and the bundled sample folder fixtures/sample/ was not found; pass the exported files or folders to read"
    )]
    NoSample,
}

/// A failure that stops a run (exit code 1). Bad records never produce one of these:
/// they are counted as rejected and listed in `rejects.csv`.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Reading an input or writing the report failed at the file-system level.
    // The cause is not repeated here: it is the error's source, which the binary prints
    // after this text (`error: writing report/flows.csv: File too large (os error 27)`).
    #[error("{action} {}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The aggregation engine failed (a bug, not bad input).
    #[error("aggregation failed: {0}")]
    Polars(#[from] polars::error::PolarsError),
    /// Reading an input failed outside the parsers (a reader thread died).
    #[error("reading {file}: {message}")]
    Read { file: String, message: String },
    /// Serialising a report failed.
    #[error("writing {file}: {message}")]
    Render { file: String, message: String },
}

impl RunError {
    /// Wraps an I/O error with what was being done and to which path.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        RunError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
