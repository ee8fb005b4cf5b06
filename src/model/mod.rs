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

/// A hash map with foldhash, seeded per run (as SipHash is: the texts come from files):
/// SipHash showed in profiles of a large tenant's model and metrics. For lookups and counts
/// only; whatever reaches a report is sorted first, never taken in the map's order.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A hash set with foldhash, as [`FastMap`].
pub type FastSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;
