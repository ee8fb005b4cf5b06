//! The one integration-test binary (ripgrep style): each module mirrors a command or a concern.

mod bad_input;
mod collect;
mod config_file;
mod contract;
mod conventions;
mod coverage;
mod directory;
mod edges;
mod explain;
mod faults;
mod fixtures;
mod formats;
mod golden;
mod hostile;
mod onprem;
mod onprem_sample;
mod output;
mod page;
mod polish;
mod properties;
mod report;
mod support;
mod surroundings;
mod synth;
mod throttling;
mod usage;
