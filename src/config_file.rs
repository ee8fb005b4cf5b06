//! The config file of a monthly job: `run --config FILE`, else `./sspr-report.toml` when present.
//! Its keys are the long option names of `run`; an option given on the command line wins over
//! the file; relative paths in the file start at the file's folder, so the file can sit beside
//! the exports and be run from anywhere. A pseudonymisation key never sits in the file: only the
//! path of a file holding it (`pseudonymize-key-file`).
//!
//! Layer: the command line's edge, beside `config` (which validates what this fills in).

use crate::cli::RunArgs;
use crate::error::ConfigError;
use std::path::{Path, PathBuf};

/// The file read when `--config` is not given and it exists in the working folder.
pub const DEFAULT_FILE: &str = "sspr-report.toml";

/// Every key a config file may hold: the long option names of `run`, without `--`. The one list
/// that [`merge`] and the error for an unknown key use.
pub const KEYS: &[&str] = &[
    "inputs",
    "out",
    "month",
    "from",
    "to",
    "tz",
    "onprem-tz",
    "match-window",
    "gap",
    "throttle-threshold",
    "throttle-window",
    "lang",
    "no-bom",
    "xlsx",
    "parquet",
    "no-charts",
    "font",
    "pseudonymize-key-file",
    "strict",
    "threads",
    "quiet",
    "history",
    "tenant",
];

/// Keys of options that this build does not have yet: accepted as known, refused with a clear
/// message until [`set`] maps them (none at present).
pub const NOT_YET_WIRED: &[&str] = &[];

/// The options of the period: one given on the command line replaces all of the file's.
const PERIOD_KEYS: &[&str] = &["month", "from", "to"];

/// The config file to read: `--config`, else `./sspr-report.toml` when it exists, else none.
pub fn locate(args: &RunArgs) -> Option<PathBuf> {
    if let Some(file) = &args.config {
        return Some(file.clone());
    }
    let default = PathBuf::from(DEFAULT_FILE);
    default.is_file().then_some(default)
}

/// The long names (kebab-case) of `run`'s options given on the command line, from clap's matches.
pub fn explicit_keys(run: &clap::ArgMatches) -> Vec<String> {
    run.ids()
        .filter(|id| run.value_source(id.as_str()) == Some(clap::parser::ValueSource::CommandLine))
        .map(|id| id.as_str().replace('_', "-"))
        .collect()
}

/// What [`merge`] took from a config file.
#[derive(Debug)]
pub struct Merged {
    /// The file read.
    pub file: PathBuf,
    /// The keys whose values it gave (those the command line did not override).
    pub keys: Vec<String>,
}

impl Merged {
    /// An option check's error about a value this file gave, restated to name the key and the
    /// file (where the user must fix it) instead of an option they never typed.
    pub fn blame(&self, err: ConfigError) -> ConfigError {
        match err {
            ConfigError::InvalidValue { option, reason, .. }
                if self
                    .keys
                    .iter()
                    .any(|k| option.strip_prefix("--") == Some(k)) =>
            {
                ConfigError::ConfigValue {
                    key: option.trim_start_matches("--").to_string(),
                    file: self.file.clone(),
                    reason,
                }
            }
            other => other,
        }
    }
}

/// Fills `args` from the config file (if any) wherever the command line did not give the option
/// (`explicit`: [`explicit_keys`]). Returns the file read and the keys it gave.
pub fn merge(args: &mut RunArgs, explicit: &[String]) -> Result<Option<Merged>, ConfigError> {
    let Some(file) = locate(args) else {
        return Ok(None);
    };
    let table = read(&file)?;
    check_keys(&table, &file)?;
    let given = |key: &str| explicit.iter().any(|k| k == key);
    let cli_period = PERIOD_KEYS.iter().any(|k| given(k));
    let cli_key = given("pseudonymize") || given("pseudonymize-key-file");
    let base = file.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut keys = Vec::new();
    for (key, value) in &table {
        let overridden = given(key)
            || (cli_period && PERIOD_KEYS.contains(&key.as_str()))
            || (cli_key && key == "pseudonymize-key-file");
        if !overridden {
            let at = Value {
                key,
                value,
                file: &file,
                base: &base,
            };
            set(args, &at)?;
            keys.push(key.clone());
        }
    }
    Ok(Some(Merged { file, keys }))
}

/// Reads and parses the file; a byte-order mark (Notepad writes one) is skipped.
fn read(file: &Path) -> Result<toml::Table, ConfigError> {
    let bad = |reason: String| ConfigError::ConfigFile {
        file: file.to_path_buf(),
        reason,
    };
    let text = std::fs::read_to_string(file).map_err(|e| {
        bad(match e.kind() {
            std::io::ErrorKind::NotFound => {
                "not found; check the path given to --config".to_string()
            }
            std::io::ErrorKind::InvalidData => {
                "not UTF-8 text; save it as UTF-8 (Notepad: Save as, Encoding UTF-8)".to_string()
            }
            _ => format!("cannot be read ({e}); check that it is a file you may read"),
        })
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    toml::from_str::<toml::Table>(text).map_err(|e| {
        let line = e
            .span()
            .map(|at| text[..at.start.min(text.len())].matches('\n').count() + 1)
            .map(|n| format!("line {n}: "))
            .unwrap_or_default();
        bad(format!(
            "not valid TOML ({line}{}); write one `key = value` per line, text in quotes, \
             e.g. month = \"2026-10\"",
            e.message()
        ))
    })
}

/// Refuses unknown keys and a key given inline, naming the key and the file.
fn check_keys(table: &toml::Table, file: &Path) -> Result<(), ConfigError> {
    for key in table.keys() {
        if key == "pseudonymize" {
            return Err(ConfigError::ConfigValue {
                key: key.clone(),
                file: file.to_path_buf(),
                reason: "a pseudonymisation key must not sit in a config file; put it in a file \
                         of its own that only this job may read, and give its path as \
                         pseudonymize-key-file"
                    .into(),
            });
        }
        if !KEYS.contains(&key.as_str()) {
            return Err(ConfigError::UnknownConfigKey {
                key: key.clone(),
                file: file.to_path_buf(),
                known: KEYS.join(", "),
            });
        }
    }
    let has = |k: &str| table.contains_key(k);
    let period = if has("month") && (has("from") || has("to")) {
        Some("month cannot be used with from and to: keep one of them")
    } else if has("from") != has("to") {
        Some("from and to go together: give both, or month")
    } else {
        None
    };
    match period {
        Some(reason) => Err(ConfigError::ConfigFile {
            file: file.to_path_buf(),
            reason: reason.into(),
        }),
        None => Ok(()),
    }
}

/// One key's value, with what an error about it must name.
struct Value<'a> {
    key: &'a str,
    value: &'a toml::Value,
    file: &'a Path,
    base: &'a Path,
}

impl Value<'_> {
    fn bad(&self, reason: impl Into<String>) -> ConfigError {
        ConfigError::ConfigValue {
            key: self.key.to_string(),
            file: self.file.to_path_buf(),
            reason: reason.into(),
        }
    }

    fn string(&self) -> Result<String, ConfigError> {
        self.value
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| self.bad("expected text in quotes, e.g. \"2026-10\""))
    }

    fn flag(&self) -> Result<bool, ConfigError> {
        self.value
            .as_bool()
            .ok_or_else(|| self.bad("expected true or false"))
    }

    fn number(&self, min: i64, max: i64) -> Result<i64, ConfigError> {
        self.value
            .as_integer()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| self.bad(format!("expected a whole number from {min} to {max}")))
    }

    /// A path; relative ones start at the config file's folder.
    fn path(&self) -> Result<PathBuf, ConfigError> {
        let text = self.value.as_str().ok_or_else(|| {
            self.bad("expected a path in quotes; on Windows use 'C:\\exports' or \"C:/exports\"")
        })?;
        Ok(self.base.join(text))
    }

    /// One path, or a list of paths.
    fn paths(&self) -> Result<Vec<PathBuf>, ConfigError> {
        match self.value.as_array() {
            None => Ok(vec![self.path()?]),
            Some(items) => items
                .iter()
                .map(|value| Value { value, ..*self }.path())
                .collect(),
        }
    }
}

/// Sets the option `at.key` in `args` from the file's value.
fn set(args: &mut RunArgs, at: &Value) -> Result<(), ConfigError> {
    match at.key {
        "inputs" => args.inputs = at.paths()?,
        "out" => args.out = Some(at.path()?),
        "month" => args.reading.month = Some(at.string()?),
        "from" => args.reading.from = Some(at.string()?),
        "to" => args.reading.to = Some(at.string()?),
        "tz" => args.reading.tz = at.string()?,
        "onprem-tz" => args.reading.onprem_tz = Some(at.string()?),
        "match-window" => args.reading.match_window = at.string()?,
        "gap" => args.reading.gap = at.string()?,
        "throttle-threshold" => args.reading.throttle_threshold = at.number(2, 1000)? as u32,
        "throttle-window" => args.reading.throttle_window = at.string()?,
        "lang" => {
            args.lang = match at.string()?.as_str() {
                "en" => crate::cli::LangArg::En,
                "ja" => crate::cli::LangArg::Ja,
                _ => return Err(at.bad("expected \"en\" or \"ja\"")),
            }
        }
        "no-bom" => args.no_bom = at.flag()?,
        "xlsx" => args.xlsx = at.flag()?,
        "parquet" => args.parquet = at.flag()?,
        "no-charts" => args.no_charts = at.flag()?,
        "font" => args.font = Some(at.path()?),
        "pseudonymize-key-file" => args.pseudonymize_key_file = Some(at.path()?),
        "strict" => args.strict = at.flag()?,
        "threads" => args.reading.threads = Some(at.number(1, 256)? as u16),
        "quiet" => args.quiet = at.flag()?,
        "history" => args.history = Some(at.path()?),
        "tenant" => args.tenant = Some(at.string()?),
        key if NOT_YET_WIRED.contains(&key) => {
            return Err(at.bad(format!(
                "this build of sspr-report has no --{key} option yet; remove the key or \
                 update sspr-report"
            )));
        }
        // `check_keys` let only KEYS through; a key in KEYS without an arm here is a bug.
        key => return Err(at.bad(format!("key '{key}' is not handled (a bug)"))),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{CommandFactory, Parser};

    /// The long names of `run`'s options.
    fn run_options() -> Vec<String> {
        let cli = crate::cli::Cli::command();
        let run = cli.find_subcommand("run").expect("run");
        run.get_arguments()
            .filter_map(|a| {
                a.get_long()
                    .map(str::to_string)
                    .or(Some(a.get_id().to_string()))
            })
            .collect()
    }

    #[test]
    fn every_option_of_run_is_a_key_and_every_key_an_option() {
        let options = run_options();
        // Not keys: the file itself, the inline key (refused), clap's own.
        let not_keys = ["config", "pseudonymize", "help", "version"];
        for option in &options {
            assert!(
                not_keys.contains(&option.as_str()) || KEYS.contains(&option.as_str()),
                "--{option} has no config key: add it to KEYS and to `set`"
            );
        }
        for key in KEYS {
            let is_option = options.iter().any(|o| o == key);
            // When --history/--tenant arrive, this fails until `set` maps them and
            // NOT_YET_WIRED loses them.
            assert_eq!(
                is_option,
                !NOT_YET_WIRED.contains(key),
                "key {key}: option of run = {is_option}"
            );
        }
    }

    #[test]
    fn every_wired_key_is_set_from_a_value_of_its_type() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("job.toml");
        let mut text = String::new();
        for key in KEYS.iter().filter(|k| !NOT_YET_WIRED.contains(k)) {
            let value = match *key {
                "inputs" => "[\"a\", \"b\"]",
                "threads" | "throttle-threshold" => "3",
                "lang" => "\"ja\"",
                "from" | "to" => continue,
                k if k.starts_with("no-")
                    || ["xlsx", "parquet", "strict", "quiet"].contains(&k) =>
                {
                    "true"
                }
                _ => "\"x\"",
            };
            text.push_str(&format!("{key} = {value}\n"));
        }
        std::fs::write(&file, text).expect("write");
        let cli = crate::cli::Cli::try_parse_from(
            ["sspr-report", "run", "--config"]
                .iter()
                .copied()
                .chain([file.to_str().expect("utf-8")]),
        )
        .expect("parses");
        let crate::cli::Command::Run(mut args) = cli.command else {
            panic!("run")
        };
        merge(&mut args, &[]).expect("merges");
        assert_eq!(args.inputs, [dir.path().join("a"), dir.path().join("b")]);
        assert_eq!(args.out, Some(dir.path().join("x")));
        assert_eq!(args.pseudonymize_key_file, Some(dir.path().join("x")));
        assert_eq!(
            (args.reading.threads, args.reading.throttle_threshold),
            (Some(3), 3)
        );
        assert!(args.xlsx && args.parquet && args.strict && args.quiet && args.no_bom);
        assert_eq!(args.reading.month.as_deref(), Some("x"));
        assert_eq!(args.lang, crate::cli::LangArg::Ja);
    }
}
