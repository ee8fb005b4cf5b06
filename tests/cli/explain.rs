//! `explain`: codes and reason texts, English and Japanese.

use crate::support::bin;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

#[test]
fn explains_codes_in_english_and_japanese() {
    let dir = tempfile::tempdir().expect("tempdir");
    bin(dir.path())
        .args(["explain", "SSPR_0012"])
        .assert()
        .success()
        .stdout(
            contains("SSPR_0012")
                .and(contains("licen"))
                .and(contains("Fix")),
        );
    bin(dir.path())
        .args(["explain", "sspr_0012", "--lang", "ja"])
        .assert()
        .success()
        .stdout(
            contains("SSPR_0012")
                .and(contains("ライセンス"))
                .and(contains("対処")),
        );
    for code in [
        "SSPR_0009",
        "SSPR_0010",
        "SSPR_0011",
        "SSPR_0013",
        "SSPR_0014",
        "SSPR_0029",
        "SSPR_0030",
    ] {
        bin(dir.path())
            .args(["explain", code])
            .assert()
            .success()
            .stdout(contains(code));
    }
}

#[test]
fn explains_reason_texts() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The wording as logged today, with its trailing space.
    bin(dir.path())
        .args([
            "explain",
            "User's account has insufficient authentication methods defined. Add authentication info to resolve this ",
        ])
        .assert()
        .success()
        .stdout(contains("SSPR_0014"));
    bin(dir.path())
        .args(["explain", "FuzzyPolicyViolationInvalidPassword"])
        .assert()
        .success()
        .stdout(contains("banned_password"));
}

#[test]
fn unknown_query_is_exit_1_with_a_hint() {
    let dir = tempfile::tempdir().expect("tempdir");
    bin(dir.path())
        .args(["explain", "no such thing at all"])
        .assert()
        .code(1)
        .stderr(contains("no catalog entry"));
}

#[test]
fn explains_onprem_event_ids_and_hr_codes() {
    let dir = tempfile::tempdir().expect("tempdir");
    bin(dir.path())
        .args(["explain", "33004"])
        .assert()
        .success()
        .stdout(
            contains("ADPermissionsError")
                .and(contains("PasswordResetService"))
                .and(contains("Fix")),
        );
    bin(dir.path())
        .args(["explain", "33004", "--lang", "ja"])
        .assert()
        .success()
        .stdout(contains("AD DS コネクタ アカウント").and(contains("対処")));
    bin(dir.path())
        .args(["explain", "hr=80230619"])
        .assert()
        .success()
        .stdout(contains("0x80230619"));
    bin(dir.path())
        .args(["explain", "PasswordResetRequestStart"])
        .assert()
        .success()
        .stdout(contains("31001"));
    bin(dir.path())
        .args(["explain", "6329"])
        .assert()
        .success()
        .stdout(contains("ADSync"));
}
