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

/// `explain ARGS…`'s exit code and standard output.
fn explain(args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = bin(dir.path())
        .arg("explain")
        .args(args)
        .output()
        .expect("runs");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The heading lines of `explain`'s output (the first line of each entry).
fn headings(stdout: &str) -> Vec<&str> {
    stdout
        .split("\n\n")
        .filter_map(|block| block.lines().next())
        .collect()
}

#[test]
fn japanese_queries_find_the_japanese_texts() {
    // A word of the catalog's own Japanese texts, alone and with another word.
    for query in [
        &["ライセンス"][..],
        &["パスワード", "ライセンス"],
        &["ライセンス", "--lang", "ja"],
    ] {
        let (code, out, err) = explain(query);
        assert_eq!(code, 0, "{query:?}: {err}");
        assert!(
            headings(&out).contains(&"SSPR_0012 — UserNotLicensed"),
            "{query:?}: {out}"
        );
    }
    // The message the reset page shows a user without a licence, pasted as is: that code only.
    let (code, out, err) = explain(&[
        "申し訳ありません。組織で必要なライセンスが不足しているため、現時点ではパスワードをリセットできません。",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(headings(&out), ["SSPR_0012 — UserNotLicensed"]);
    // Its technical detail with a slightly different wording.
    let (code, out, _) = explain(&["パスワード ライトバックが有効になっていません"]);
    assert_eq!(code, 0);
    assert_eq!(headings(&out), ["SSPR_0010 — WritebackNotEnabled"]);
    // Full-width digits and letters from a Japanese input method.
    let (code, out, _) = explain(&["３３００４"]);
    assert_eq!(code, 0);
    assert_eq!(
        headings(&out),
        ["33004 — ADPermissionsError (PasswordResetService)"]
    );
    let (_, out, _) = explain(&["ＳＳＰＲ＿００１２"]);
    assert_eq!(headings(&out), ["SSPR_0012 — UserNotLicensed"]);
}

#[test]
fn british_and_american_spellings_find_the_same() {
    let (code, licence, err) = explain(&["licence"]);
    assert_eq!(code, 0, "{err}");
    let (_, license, _) = explain(&["license"]);
    assert_eq!(licence, license);
    assert!(headings(&licence).contains(&"SSPR_0012 — UserNotLicensed"));
    let (code, out, err) = explain(&["authorisation"]);
    assert_eq!(code, 0, "{err}");
    let (_, american, _) = explain(&["authorization"]);
    assert_eq!(out, american);
}

#[test]
fn help_and_the_no_match_hint_name_every_kind_of_query() {
    let (code, help, _) = explain(&["--help"]);
    assert_eq!(code, 0);
    for kind in ["SSPR_0012", "33004", "0x80230619", "Japanese", "--list"] {
        assert!(help.contains(kind), "--help mentions {kind}: {help}");
    }
    for (lang, words) in [("en", "English or Japanese"), ("ja", "英語か日本語")] {
        let (code, _, err) = explain(&["no such thing at all", "--lang", lang]);
        assert_eq!(code, 1);
        for kind in ["SSPR_0012", "33004", "0x80230619", "explain --list", words] {
            assert!(err.contains(kind), "the hint mentions {kind}: {err}");
        }
    }
}

#[test]
fn list_shows_every_code_grouped_in_english_and_japanese() {
    let (code, en, err) = explain(&["--list"]);
    assert_eq!(code, 0, "{err}");
    let groups: Vec<&str> = en.split("\n\n").filter_map(|g| g.lines().next()).collect();
    assert_eq!(
        groups,
        [
            "SSPR error codes (shown to users)",
            "Result reasons (audit log)",
            "Progress steps (audit log)",
            "On-premises event IDs (Application log of the Entra Connect server)",
            "hr codes (sync engine messages)",
        ]
    );
    for line in [
        "  SSPR_0012  UserNotLicensed — The user has no licence that covers SSPR\n",
        "  33004  ADPermissionsError (PasswordResetService) — ",
        "  0x80230619  PasswordPolicyRestriction — ",
        "  SubmittedUserId                 Progress step: ",
    ] {
        assert!(en.contains(line), "{line:?} in\n{en}");
    }
    // The SSPR codes in code order, each once.
    let codes: Vec<&str> = en
        .lines()
        .filter_map(|l| l.trim_start().split(' ').next())
        .filter(|k| k.starts_with("SSPR_"))
        .collect();
    assert_eq!(
        codes,
        [
            "SSPR_0009",
            "SSPR_0010",
            "SSPR_0011",
            "SSPR_0012",
            "SSPR_0013",
            "SSPR_0014",
            "SSPR_0029",
            "SSPR_0030"
        ]
    );
    let (code, ja, _) = explain(&["--list", "--lang", "ja"]);
    assert_eq!(code, 0);
    assert!(ja.starts_with("SSPR エラー コード"), "{ja}");
    assert!(ja.contains(
        "  SSPR_0012  UserNotLicensed — ユーザーに SSPR を利用できるライセンスがありません\n"
    ));
    assert_eq!(ja.lines().count(), en.lines().count(), "the same entries");
    // Same output every time.
    assert_eq!(explain(&["--list"]).1, en);
    // --list takes no query.
    assert_eq!(explain(&["--list", "33004"]).0, 2);
}
