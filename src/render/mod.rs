//! Render: the report folder and every file in it (design §5, the output contract).

pub mod compliance;
pub mod csv;
pub mod output;
pub mod report;
pub mod summary;
pub mod tables;

pub use output::ReportDir;
