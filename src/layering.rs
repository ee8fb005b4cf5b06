//! The module graph is one-way, and this test keeps it so: each top-level module may name only
//! the modules listed for it below (its own layer and the layers beneath). A `use crate::…` that
//! reaches up fails here, with the file and the line, before it becomes a circle.
//!
//! ```text
//! commands, main           everything (the command line's edge)
//! history                  render (the tables it stores), time, catalog, error
//! config_file              cli, error
//! config                   cli, ingest (the default thread count), time, catalog, error — never
//!                          render: the commands build the fonts, the pseudonymizer and the
//!                          output-folder check from its plain options
//! synth                    ingest (BinXML constants), model (record vocabulary), time, catalog
//! render                   metrics, correlate, model, time, catalog, error
//! metrics                  correlate, model, time, catalog, error
//! correlate                model, time, catalog
//! ingest                   model (the record types it fills), time, catalog, error
//! model                    time, catalog, error
//! time, catalog, error, cli  nothing of the crate
//! ```
//!
//! Unit tests (`#[cfg(test)] mod tests`) may use `synth` to make data; they are not scanned.

use std::collections::BTreeMap;
use std::path::Path;

/// The modules each top-level module may import.
fn allowed() -> BTreeMap<&'static str, &'static [&'static str]> {
    BTreeMap::from([
        ("time", &[][..]),
        ("catalog", &[][..]),
        ("error", &[][..]),
        ("cli", &[][..]),
        ("model", &["time", "catalog", "error"][..]),
        ("ingest", &["model", "time", "catalog", "error"][..]),
        ("correlate", &["model", "time", "catalog"][..]),
        (
            "metrics",
            &["correlate", "model", "time", "catalog", "error"][..],
        ),
        (
            "render",
            &["metrics", "correlate", "model", "time", "catalog", "error"][..],
        ),
        ("synth", &["ingest", "model", "time", "catalog"][..]),
        ("history", &["render", "time", "catalog", "error"][..]),
        ("config_file", &["cli", "error"][..]),
        ("config", &["cli", "ingest", "time", "catalog", "error"][..]),
    ])
}

/// The crate modules a source text names (`crate::x`, `crate::{x, y}`), with their lines, up
/// to its unit tests.
fn imports(text: &str) -> Vec<(usize, String)> {
    let body = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    let mut out = Vec::new();
    for (n, line) in body.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let names: Vec<&str> = match rest.strip_prefix('{') {
                Some(list) => list
                    .split('}')
                    .next()
                    .unwrap_or("")
                    .split(',')
                    .map(|item| item.trim().split("::").next().unwrap_or("").trim())
                    .collect(),
                None => vec![
                    rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .next()
                        .unwrap_or(""),
                ],
            };
            out.extend(
                names
                    .into_iter()
                    .filter(|m| !m.is_empty())
                    .map(|m| (n + 1, m.to_string())),
            );
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_module_imports_only_the_layers_beneath_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let allowed = allowed();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap_or(file);
        let top = rel
            .components()
            .next()
            .map(|c| {
                c.as_os_str()
                    .to_string_lossy()
                    .trim_end_matches(".rs")
                    .to_string()
            })
            .unwrap_or_default();
        let Some(may) = allowed.get(top.as_str()) else {
            continue; // commands, main, lib, this file: the top
        };
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for (line, module) in imports(&text) {
            if module != top && !may.contains(&module.as_str()) {
                wrong.push(format!("{}:{line}: {top} imports {module}", rel.display()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that reach up:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn imports_are_found_in_every_spelling() {
    let text = "use crate::model::{Flow, Model};\nuse crate::{catalog, time::Period};\n// crate::render\nlet x = crate::metrics::rate(1, 2);\n#[cfg(test)]\nmod tests {\n use crate::synth;\n}";
    let found: Vec<String> = imports(text).into_iter().map(|(_, m)| m).collect();
    assert_eq!(found, ["model", "catalog", "time", "metrics"]);
}
