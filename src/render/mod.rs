//! Render: the report folder and every file in it (design §5, the output contract).
//!
//! Layer: above `metrics`, `correlate` and `model` (and `time`, `catalog`); never imports
//! `ingest`, `config` or `commands`.

pub mod attempts;
pub mod charts;
pub mod compliance;
pub mod csv;
pub mod html;
pub mod labels;
pub mod output;
pub mod parquet;
pub mod pseudonymize;
pub mod report;
pub mod sanitize;
pub mod summary;
pub mod tables;
pub mod trace;
pub mod trend;
pub mod trend_charts;
pub mod xlsx;

pub use output::ReportDir;
