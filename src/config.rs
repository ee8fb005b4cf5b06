//! Validated run configuration. Every option is checked here, before any file is read, so a
//! malformed value is a usage error (exit 2) with a clear message and never an empty report.
//!
//! Layer: the command line's options, below `commands` only; no pipeline layer imports it (they
//! get plain option structs), and it imports no presentation layer: it holds `--font` and the
//! pseudonymize key as given, and `commands::Presentation` plans the fonts and keys the
//! pseudonymizer from them (still before any input is read).

use crate::catalog::Lang;
use crate::error::ConfigError;
use crate::time::{Period, PeriodChoice};
use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use std::path::{Path, PathBuf};

/// Everything `run` needs, validated.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// Files and folders to read (folders recursively).
    pub inputs: Vec<PathBuf>,
    /// Whether the inputs are the bundled sample (no INPUT given).
    pub using_sample: bool,
    /// Report folder; `None` = `reports/<period or input name>/`.
    pub out: Option<PathBuf>,
    /// Reporting period.
    pub period: PeriodChoice,
    /// Time zone of dates and times in the report.
    pub tz: Tz,
    /// Zone of on-prem exports without an offset.
    pub onprem_tz: Tz,
    /// Window for pairing on-prem starts and outcomes, and flows with operations.
    pub match_window: Duration,
    /// A coverage gap longer than this inside the period is reported.
    pub gap: Duration,
    /// Flows inside `throttle_window` that make a user "inferred throttled".
    pub throttle_threshold: usize,
    /// Rolling window for inferred throttling.
    pub throttle_window: Duration,
    /// Language of user-facing text inside reports (column names stay English).
    pub lang: Lang,
    /// Write a UTF-8 BOM at the start of CSV files (Excel needs it for Japanese text).
    pub bom: bool,
    /// Also write report.xlsx.
    pub xlsx: bool,
    /// Also write the flows as Parquet, partitioned by month.
    pub parquet: bool,
    /// Draw the charts (no `--no-charts`).
    pub charts: bool,
    /// `--font`: a font file for PNG chart labels (the command plans the fonts from it).
    pub font: Option<PathBuf>,
    /// Keyed pseudonyms for UPNs, names and IP addresses.
    pub pseudonymize_key: Option<String>,
    /// Any rejected record makes the run exit with code 1.
    pub strict: bool,
    /// Threads for reading the inputs.
    pub threads: usize,
    /// No progress bars, no summary on stderr.
    pub quiet: bool,
}

/// Parses `YYYY-MM` into the period of that calendar month.
pub fn parse_month(value: &str) -> Result<Period, ConfigError> {
    let bad = |reason: &str| ConfigError::InvalidValue {
        option: "--month",
        value: value.to_string(),
        reason: reason.to_string(),
    };
    let (y, m) = value
        .trim()
        .split_once('-')
        .ok_or_else(|| bad("expected YYYY-MM, for example 2026-10"))?;
    if y.len() != 4 || m.len() != 2 {
        return Err(bad("expected YYYY-MM, for example 2026-10"));
    }
    let year: i32 = y
        .parse()
        .map_err(|_| bad("expected YYYY-MM, for example 2026-10"))?;
    let month: u32 = m
        .parse()
        .map_err(|_| bad("expected YYYY-MM, for example 2026-10"))?;
    if !(1..=12).contains(&month) {
        return Err(bad("the month must be 01 to 12"));
    }
    if !(1970..=9999).contains(&year) {
        return Err(bad("the year must be 1970 to 9999"));
    }
    Period::month(year, month).ok_or_else(|| bad("not a month"))
}

/// Parses a `YYYY-MM-DD` date for `--from` / `--to`.
pub fn parse_date(option: &'static str, value: &str) -> Result<NaiveDate, ConfigError> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| ConfigError::InvalidValue {
        option,
        value: value.to_string(),
        reason: "expected a date YYYY-MM-DD, for example 2026-10-01".into(),
    })
}

/// Parses an IANA time-zone name (`Asia/Tokyo`, `UTC`).
pub fn parse_tz(option: &'static str, value: &str) -> Result<Tz, ConfigError> {
    value
        .trim()
        .parse::<Tz>()
        .map_err(|_| ConfigError::InvalidValue {
            option,
            value: value.to_string(),
            reason:
                "not an IANA time-zone name; use a name such as UTC, Asia/Tokyo or Europe/Berlin"
                    .into(),
        })
}

/// Parses a duration such as `90s`, `5m`, `60m`, `1h`, `1h30m`, `24h`, `2d`.
pub fn parse_duration(option: &'static str, value: &str) -> Result<Duration, ConfigError> {
    let bad = |reason: &str| ConfigError::InvalidValue {
        option,
        value: value.to_string(),
        reason: reason.to_string(),
    };
    let text = value.trim();
    if text.is_empty() {
        return Err(bad("expected a duration such as 90s, 5m, 1h or 1h30m"));
    }
    let mut total: i64 = 0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c.to_ascii_lowercase() {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return Err(bad("expected a duration such as 90s, 5m, 1h or 1h30m")),
        };
        let n: i64 = number
            .parse()
            .map_err(|_| bad("expected a number before each unit, such as 5m"))?;
        number.clear();
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| bad("too long"))?;
    }
    if !number.is_empty() {
        return Err(bad("missing unit: write 5m, not 5"));
    }
    if total <= 0 {
        return Err(bad("must be longer than zero"));
    }
    if total > 366 * 86_400 {
        return Err(bad("must be at most 366 days"));
    }
    Ok(Duration::seconds(total))
}

/// The bundled sample folder: `fixtures/sample` under the current directory, else under the
/// source tree the binary was built from (so `cargo run -- run` works from anywhere in it).
pub fn sample_dir() -> Result<PathBuf, ConfigError> {
    let here = PathBuf::from("fixtures/sample");
    if here.is_dir() {
        return Ok(here);
    }
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample");
    if built.is_dir() {
        return Ok(built);
    }
    Err(ConfigError::NoSample)
}

/// Checks that every input exists, and that the output folder neither lies inside an input
/// folder nor contains an input (a report must never be written next to or over its inputs).
/// Whether the folder is the tool's to replace is the commands' check
/// (`commands::check_output_folder`), before any input is read.
pub fn check_paths(inputs: &[PathBuf], out: Option<&Path>) -> Result<(), ConfigError> {
    for input in inputs {
        if !input.exists() {
            return Err(ConfigError::MissingInput(input.clone()));
        }
    }
    let Some(out) = out else { return Ok(()) };
    let out_abs = absolute(out);
    for input in inputs {
        let input_abs = absolute(input);
        if out_abs.starts_with(&input_abs) || input_abs.starts_with(&out_abs) {
            return Err(ConfigError::OutputOverlapsInput {
                out: out.to_path_buf(),
                input: input.clone(),
            });
        }
    }
    Ok(())
}

/// Canonical form of a path that may not exist yet (its existing ancestor is canonicalised).
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => absolute(parent).join(name),
        _ => std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf()),
    }
}

/// The key in `file`: its first line without surrounding blanks (an editor's final newline and
/// Notepad's byte-order mark are not part of it).
pub fn read_key_file(file: &Path) -> Result<String, ConfigError> {
    let bad = |reason: String| ConfigError::KeyFile {
        path: file.to_path_buf(),
        reason,
    };
    let text = std::fs::read_to_string(file).map_err(|e| {
        bad(match e.kind() {
            std::io::ErrorKind::NotFound => "the file does not exist".to_string(),
            std::io::ErrorKind::InvalidData => "it is not UTF-8 text".to_string(),
            _ => e.to_string(),
        })
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(text.lines().next().unwrap_or("").trim().to_string())
}

impl RunConfig {
    /// Validates `run` options. Every error here is a usage error (exit 2).
    pub fn from_args(args: &crate::cli::RunArgs) -> Result<RunConfig, ConfigError> {
        let tz = parse_tz("--tz", &args.reading.tz)?;
        let period = match (&args.reading.month, &args.reading.from, &args.reading.to) {
            (Some(m), _, _) => PeriodChoice::Explicit(parse_month(m)?),
            (None, Some(f), Some(t)) => {
                let from = parse_date("--from", f)?;
                let to = parse_date("--to", t)?;
                if to < from {
                    return Err(ConfigError::Conflict(format!(
                        "--to {to} is before --from {from}: the period would be empty"
                    )));
                }
                if (to - from).num_days() > 366 {
                    return Err(ConfigError::Conflict(
                        "the period is longer than 366 days: report one month or one year at a time".into(),
                    ));
                }
                PeriodChoice::Explicit(Period { from, to })
            }
            _ => PeriodChoice::FromData,
        };
        let onprem_tz = match &args.reading.onprem_tz {
            Some(z) => parse_tz("--onprem-tz", z)?,
            None => tz,
        };
        let match_window = parse_duration("--match-window", &args.reading.match_window)?;
        if match_window > Duration::hours(24) {
            return Err(ConfigError::InvalidValue {
                option: "--match-window",
                value: args.reading.match_window.clone(),
                reason: "must be at most 24h: a wider window pairs unrelated resets".into(),
            });
        }
        let gap = parse_duration("--gap", &args.reading.gap)?;
        let throttle_window = parse_duration("--throttle-window", &args.reading.throttle_window)?;
        if throttle_window > Duration::days(7) {
            return Err(ConfigError::InvalidValue {
                option: "--throttle-window",
                value: args.reading.throttle_window.clone(),
                reason:
                    "must be at most 7d: Microsoft's rules count attempts per hour or per 24 hours"
                        .into(),
            });
        }
        let lang = match args.lang {
            crate::cli::LangArg::En => Lang::En,
            crate::cli::LangArg::Ja => Lang::Ja,
        };
        let key = match (&args.pseudonymize, &args.pseudonymize_key_file) {
            (Some(key), _) => Some(key.clone()),
            (None, Some(file)) => Some(read_key_file(file)?),
            (None, None) => None,
        };
        let using_sample = args.inputs.is_empty();
        let inputs = if using_sample {
            vec![sample_dir()?]
        } else {
            args.inputs.clone()
        };
        check_paths(&inputs, args.out.as_deref())?;
        Ok(RunConfig {
            inputs,
            using_sample,
            out: args.out.clone(),
            period,
            tz,
            onprem_tz,
            match_window,
            gap,
            throttle_threshold: args.reading.throttle_threshold as usize,
            throttle_window,
            lang,
            bom: !args.no_bom,
            xlsx: args.xlsx,
            parquet: args.parquet,
            charts: !args.no_charts,
            font: args.font.clone(),
            pseudonymize_key: key,
            strict: args.strict,
            threads: args
                .reading
                .threads
                .map(usize::from)
                .unwrap_or_else(crate::ingest::default_threads),
            quiet: args.quiet,
        })
    }

    /// The report folder: `--out`, else `reports/<period>` for an explicit period, else
    /// `reports/sample` for the bundled sample, else `reports/<name of the first input>`.
    /// `file_name` gives the name of a report folder named after an input (with
    /// `--pseudonymize`, the input's file pseudonym: a report must not be filed under an input
    /// named after a user).
    pub fn report_dir(&self, file_name: impl FnOnce(String) -> String) -> PathBuf {
        if let Some(out) = &self.out {
            return out.clone();
        }
        let name = match &self.period {
            PeriodChoice::Explicit(p) => p.slug(),
            PeriodChoice::FromData if self.using_sample => "sample".to_string(),
            PeriodChoice::FromData => self
                .inputs
                .first()
                .and_then(|p| p.file_stem())
                .map(|s| s.to_string_lossy().into_owned())
                .filter(|s| !s.is_empty() && s != "." && s != "..")
                .map(file_name)
                .unwrap_or_else(|| "report".into()),
        };
        PathBuf::from("reports").join(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::format_duration;

    #[test]
    fn month_parses_and_rejects() {
        let p = parse_month("2026-02").expect("valid");
        assert_eq!(p.from.to_string(), "2026-02-01");
        assert_eq!(p.to.to_string(), "2026-02-28");
        assert_eq!(p.slug(), "2026-02");
        for bad in [
            "2026-13", "2026-00", "26-10", "2026/10", "october", "", "2026-1",
        ] {
            assert!(parse_month(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("--x", "5m").expect("5m").num_seconds(), 300);
        assert_eq!(
            parse_duration("--x", "1h30m").expect("1h30m").num_seconds(),
            5400
        );
        assert_eq!(format_duration(Duration::seconds(5400)), "1h30m");
        for bad in ["5", "m", "0m", "-5m", "5x", "", "99999999999999999999h"] {
            assert!(
                parse_duration("--x", bad).is_err(),
                "{bad} should be rejected"
            );
        }
    }

    #[test]
    fn tz_names() {
        assert!(parse_tz("--tz", "Asia/Tokyo").is_ok());
        assert!(parse_tz("--tz", "JST+9").is_err());
        assert!(parse_tz("--tz", "Mars/Olympus").is_err());
    }

    #[test]
    fn period_bounds_in_local_time() {
        let p = parse_month("2026-10").expect("valid");
        let tokyo: Tz = "Asia/Tokyo".parse().expect("tz");
        assert_eq!(p.start_utc(tokyo).to_rfc3339(), "2026-09-30T15:00:00+00:00");
        assert_eq!(p.end_utc(tokyo).to_rfc3339(), "2026-10-31T15:00:00+00:00");
        let custom = Period {
            from: p.from,
            to: NaiveDate::from_ymd_opt(2026, 10, 15).expect("date"),
        };
        assert_eq!(custom.slug(), "2026-10-01_2026-10-15");
    }
}
