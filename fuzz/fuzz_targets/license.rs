#![no_main]
//! Fuzz target: see fuzz/README.md.

use libfuzzer_sys::fuzz_target;
use sspr_report::ingest::harness::{Reader, fuzz_either};

// The first byte picks the reader: table or JSON.
fuzz_target!(|data: &[u8]| fuzz_either(Reader::Table, Reader::Json, data));
