//! The one integration-test binary (ripgrep style): each module mirrors a command or a concern.

mod bad_input;
mod coverage;
mod directory;
mod explain;
mod fixtures;
mod formats;
mod golden;
mod onprem;
mod onprem_sample;
mod report;
mod support;
mod synth;
mod throttling;
mod usage;
