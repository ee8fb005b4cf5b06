//! The one integration-test binary (ripgrep style): each module mirrors a command or a concern.

mod bad_input;
mod contract;
mod coverage;
mod directory;
mod edges;
mod explain;
mod faults;
mod fixtures;
mod formats;
mod golden;
mod history;
mod hostile;
mod onprem;
mod onprem_sample;
mod output;
mod page;
mod properties;
mod report;
mod support;
mod synth;
mod throttling;
mod trend;
mod usage;
