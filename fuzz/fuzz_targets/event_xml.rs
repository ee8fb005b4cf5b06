#![no_main]
//! Fuzz target: see fuzz/README.md.

use libfuzzer_sys::fuzz_target;
use sspr_report::ingest::harness::{Reader, fuzz_one};

fuzz_target!(|data: &[u8]| fuzz_one(Reader::EventXml, data));
