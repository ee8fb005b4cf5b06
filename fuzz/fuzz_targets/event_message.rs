#![no_main]
//! Fuzz target: the parser of writeback event messages (see fuzz/README.md).

use libfuzzer_sys::fuzz_target;
use sspr_report::ingest::event_message::{parse, strip_wrapper};

// The first byte picks the event ID (the start events read `Details:` differently).
fuzz_target!(|data: &[u8]| {
    let Some((id, rest)) = data.split_first() else {
        return;
    };
    let ids = [
        31001, 31002, 31003, 31006, 31009, 31010, 33004, 33008, 6329, 0,
    ];
    let event_id = ids[usize::from(*id) % ids.len()];
    let text = String::from_utf8_lossy(rest);
    let stripped = strip_wrapper(&text);
    assert!(
        text.contains(stripped),
        "the stripped text is part of the message"
    );
    let parsed = parse(&text, event_id);
    for upn in [&parsed.upn, &parsed.admin_upn].into_iter().flatten() {
        assert_eq!(upn, &upn.to_lowercase(), "UPNs are lower-cased");
        assert!(upn.contains('@'), "a UPN has an @");
    }
    if let Some(hr) = &parsed.hr_code {
        assert!(hr.len() == 10 && hr.starts_with("0x"), "hr code {hr}");
    }
});
