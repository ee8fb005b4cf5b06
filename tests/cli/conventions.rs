//! Conventions of a good CLI (issue 19 item 3): shell completions, a manual page, a version that
//! names its commit, no colour under NO_COLOR, no progress bar off a terminal.

use crate::support::{bin, fixture, repo};
use predicates::prelude::*;
use predicates::str::contains;

/// Standard output of `sspr-report ARGS…`, which must succeed.
fn stdout_of(args: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = bin(dir.path()).args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn completions_for_every_shell() {
    let shells = [
        ("bash", "complete -F _sspr__report"),
        ("zsh", "#compdef sspr-report"),
        ("fish", "complete -c sspr-report"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[sspr-report]"),
    ];
    for (shell, marker) in shells {
        let script = stdout_of(&["completions", shell]);
        assert!(script.contains(marker), "{shell}: no {marker:?}");
        // Generated from the real definition: commands and options of `run` are offered.
        for word in ["inspect", "month", "pseudonymize-key-file", "config"] {
            assert!(script.contains(word), "{shell} script lacks {word}");
        }
    }
    let dir = tempfile::tempdir().expect("tempdir");
    bin(dir.path())
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(contains("possible values"));
}

#[test]
fn bash_completion_script_is_valid_bash() {
    let script = stdout_of(&["completions", "bash"]);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sspr-report.bash");
    std::fs::write(&path, script).expect("write");
    // Where bash exists (every CI runner), the script must at least parse.
    if let Ok(status) = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .status()
    {
        assert!(status.success(), "bash -n rejects the completion script");
    }
}

#[test]
fn man_page_is_roff_with_every_command() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH sspr-report 1"), "{page}");
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH SUBCOMMANDS"] {
        assert!(page.contains(section), "no {section}");
    }
    for command in ["run", "inspect", "explain", "synth", "completions", "man"] {
        assert!(
            page.contains(&format!("sspr\\-report\\-{command}(1)")),
            "the top page does not list {command}"
        );
    }
    let run = stdout_of(&["man", "run"]);
    assert!(run.contains(".TH sspr-report-run 1"), "{run}");
    for option in [
        "\\-\\-month",
        "\\-\\-config",
        "\\-\\-pseudonymize\\-key\\-file",
    ] {
        assert!(run.contains(option), "the run page lacks {option}");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    bin(dir.path())
        .args(["man", "nosuch"])
        .assert()
        .code(2)
        .stderr(contains("'nosuch'").and(contains("use one of: run, inspect")));
}

/// The short commit of the source tree the tests run in, as build.rs reads it.
fn head_commit() -> Option<String> {
    let out = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(repo())
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

#[test]
fn version_names_the_commit() {
    let version = stdout_of(&["--version"]);
    let commit = head_commit().unwrap_or_else(|| "unknown".to_string());
    assert_eq!(
        version.trim(),
        format!(
            "sspr-report {} (commit {commit})",
            env!("CARGO_PKG_VERSION")
        )
    );
}

#[test]
fn no_color_turns_off_the_colours_of_help_and_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let stderr = |envs: &[(&str, &str)]| {
        let mut cmd = bin(dir.path());
        cmd.args(["run", "--no-such-option"])
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("runs");
        assert_eq!(out.status.code(), Some(2));
        String::from_utf8(out.stderr).expect("UTF-8")
    };
    // The check can see colour: forced on, clap's error is coloured …
    assert!(stderr(&[("CLICOLOR_FORCE", "1")]).contains('\u{1b}'));
    // … and NO_COLOR wins even over that.
    let plain = stderr(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(!plain.contains('\u{1b}'), "{plain:?}");
    assert!(plain.contains("--no-such-option"));
}

#[test]
fn no_progress_bar_or_colour_when_stderr_is_not_a_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = bin(dir.path())
        .arg("run")
        .arg(fixture("sample"))
        .args(["--out", "r", "--no-charts"])
        .env("CLICOLOR_FORCE", "1")
        .output()
        .expect("runs");
    assert!(out.status.success());
    // A bar redraws itself with carriage returns and escape sequences; the summary still comes.
    for (name, bytes) in [("stderr", &out.stderr), ("stdout", &out.stdout)] {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains('\r') && !text.contains('\u{1b}'),
            "{name}: {text:?}"
        );
    }
    assert!(String::from_utf8_lossy(&out.stdout).contains("records read"));
}

#[test]
fn errors_name_the_path_and_the_next_step() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A usage error: the path and what to check.
    bin(dir.path())
        .args(["run", "exports/missing.csv"])
        .assert()
        .code(2)
        .stderr(contains("exports/missing.csv").and(contains("check the path")));
    // A full disk (a file-size limit, as in faults.rs): the file, the reason, then the fix.
    let output = std::process::Command::new("sh")
        .current_dir(dir.path())
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 32 && exec \"$0\" \"$@\"")
        .arg(assert_cmd::cargo::cargo_bin("sspr-report"))
        .arg("run")
        .arg(fixture("sample"))
        .args(["--quiet", "--no-charts", "--out", "report"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("error: writing "), "{stderr}");
    assert!(
        stderr.contains("\nnext step: free disk space or choose an --out folder"),
        "{stderr}"
    );
}
