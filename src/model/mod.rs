//! Normalized records (whatever format they came from) and the flows rebuilt from them.
//!
//! Layer: above `time` and `catalog` only. The model never imports `ingest` (ingest fills the
//! model's record types), `correlate`, `metrics`, `render`, `config` or `commands`.

pub mod audit;
pub mod build;
pub mod flow;
pub mod inputs;
pub mod license;
pub mod methods;
pub mod onprem;
pub mod registration;

pub use audit::{AuditRecord, AuditResult, Relevance};
pub use build::{Accounting, BuildOptions, Model, OnpremModel};
pub use flow::{Flow, FlowKind, Outcome};
