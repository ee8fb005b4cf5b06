//! The committed fixtures are exactly what the project's generator writes (so they cannot drift
//! from the code that documents them). `SSPR_UPDATE_FIXTURES=1` rewrites them.

use crate::support::repo;
use std::collections::BTreeMap;
use std::path::Path;

fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path
                    .strip_prefix(base)
                    .expect("prefix")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&path).expect("read"));
            }
        }
    }
    let mut out = BTreeMap::new();
    if dir.is_dir() {
        walk(dir, dir, &mut out);
    }
    out
}

fn check(name: &str, write: fn(&Path) -> std::io::Result<Vec<std::path::PathBuf>>) {
    let committed = repo().join("fixtures").join(name);
    if std::env::var_os("SSPR_UPDATE_FIXTURES").is_some() {
        if committed.exists() {
            std::fs::remove_dir_all(&committed).expect("clear");
        }
        std::fs::create_dir_all(&committed).expect("mkdir");
        write(&committed).expect("generator writes");
        return;
    }
    let fresh = tempfile::tempdir().expect("tempdir");
    write(fresh.path()).expect("generator writes");
    let (want, have) = (files_under(fresh.path()), files_under(&committed));
    assert_eq!(
        want.keys().collect::<Vec<_>>(),
        have.keys().collect::<Vec<_>>(),
        "fixtures/{name} lists other files than the generator writes; run SSPR_UPDATE_FIXTURES=1 cargo test --test cli fixtures"
    );
    for (file, bytes) in &want {
        assert!(
            have.get(file) == Some(bytes),
            "fixtures/{name}/{file} differs from the generator's output; run SSPR_UPDATE_FIXTURES=1 cargo test --test cli fixtures"
        );
    }
}

#[test]
fn fixtures_are_up_to_date() {
    check("sample", sspr_report::synth::sample::write_sample);
    check("formats", sspr_report::synth::sample::write_format_fixtures);
    check(
        "directory",
        sspr_report::synth::directory::write_directory_fixtures,
    );
    check(
        "onprem",
        sspr_report::synth::onprem_formats::write_onprem_fixtures,
    );
}
