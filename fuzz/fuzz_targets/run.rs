#![no_main]
//! Fuzz target: a whole run on one input file (see fuzz/README.md).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sspr_report::commands::fuzz_run::fuzz_run(data));
