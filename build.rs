//! Records the commit the binary is built from, for `--version` (SSPR_REPORT_COMMIT).
//! A build from a source archive has no git: it still builds, and says "unknown".

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!text.is_empty()).then_some(text)
}

fn main() {
    // A packager without git may name the commit itself.
    println!("cargo:rerun-if-env-changed=SSPR_REPORT_COMMIT");
    let commit = std::env::var("SSPR_REPORT_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| git(&["rev-parse", "--short", "HEAD"]))
        .unwrap_or_else(|| "unknown".to_string());
    // Rebuild when HEAD moves: HEAD itself (a checkout) and the branch it points at (a commit).
    // Without these lines cargo would rerun this script on every change to any file.
    println!("cargo:rerun-if-changed=build.rs");
    let branch = git(&["symbolic-ref", "-q", "HEAD"]);
    let watched = ["HEAD", "packed-refs"]
        .into_iter()
        .map(str::to_string)
        .chain(branch);
    for name in watched {
        // A path that does not exist would make cargo rerun this script on every build.
        if let Some(path) = git(&["rev-parse", "--git-path", &name])
            && std::path::Path::new(&path).exists()
        {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    println!("cargo:rustc-env=SSPR_REPORT_COMMIT={commit}");
}
