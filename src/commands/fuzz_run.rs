//! The whole-run fuzz target (`fuzz/fuzz_targets/run.rs`): one input file through the command
//! line, the configuration and `run`, as a user would run it. It lives beside the commands it
//! drives; the per-reader targets stay with the readers (`ingest::harness`).

/// A fuzz target for a whole run: the bytes as the only input file of `sspr-report run` (content
/// sniffed, model, metrics, every report file but the charts). Panics — a finding — when the run
/// fails or its summary breaks the input accounting identity.
pub fn fuzz_run(data: &[u8]) {
    use clap::Parser;
    static SCRATCH: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    let scratch = SCRATCH.get_or_init(|| {
        crate::ingest::xlsx::quiet_caught_panics();
        std::env::temp_dir().join(format!("sspr-fuzz-run-{}", std::process::id()))
    });
    let (input, out) = (scratch.join("in"), scratch.join("out"));
    if let Err(e) =
        std::fs::create_dir_all(&input).and_then(|()| std::fs::write(input.join("export"), data))
    {
        panic!("scratch files: {e}");
    }
    let argv = [
        "sspr-report".as_ref(),
        "run".as_ref(),
        input.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--no-charts".as_ref(),
        "--quiet".as_ref(),
        "--threads".as_ref(),
        "1".as_ref(),
    ];
    let cli = match crate::cli::Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => panic!("arguments: {e}"),
    };
    let crate::cli::Command::Run(args) = cli.command else {
        panic!("not a run");
    };
    let config = match crate::config::RunConfig::from_args(&args) {
        Ok(c) => c,
        Err(e) => panic!("config: {e}"),
    };
    if let Err(e) = crate::commands::run::run(&config, &mut std::io::sink()) {
        panic!("the run failed: {e:#}");
    }
    let summary: serde_json::Value = match std::fs::read_to_string(out.join("summary.json")) {
        Ok(text) => match serde_json::from_str(text.trim_start_matches('\u{feff}')) {
            Ok(v) => v,
            Err(e) => panic!("summary.json: {e}"),
        },
        Err(e) => panic!("summary.json: {e}"),
    };
    let i = &summary["inputs"];
    let n = |k: &str| i[k].as_u64().unwrap_or(u64::MAX);
    assert_eq!(
        n("records_read"),
        n("used") + n("out_of_scope") + n("duplicate") + n("rejected"),
        "accounting identity: {i}"
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The whole-run fuzz entry point works on a real export (and adds up).
    #[test]
    fn a_whole_run_on_one_export() {
        let bytes = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures/formats/portal_current_utf8bom.csv"),
        )
        .expect("fixture");
        fuzz_run(&bytes);
        fuzz_run(b"not an export");
    }
}
