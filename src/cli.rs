//! Command-line interface. The doc comments are the `--help` text.
//!
//! Layer: imports nothing of this crate; `config` turns what it parses into validated options.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// `--version`: the package version and the commit it was built from (`build.rs` reads it from
/// git; "unknown" in a build from a source archive), so a report can be traced to its code.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("SSPR_REPORT_COMMIT"),
    ")"
);

/// Offline SSPR and password-writeback reports for hybrid Microsoft Entra ID tenants.
///
/// Reads the exports you already have (Entra audit logs in every portal, Graph, Log Analytics
/// and Event Hub form, CSV/JSON/XLSX, UTF-8/UTF-16/Shift_JIS), rebuilds every self-service
/// password reset flow and writes pivot-ready reports. Nothing leaves this machine.
#[derive(Debug, Parser)]
#[command(name = "sspr-report", version = VERSION, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the report folder from exported files (no INPUT: the bundled sample).
    Run(Box<RunArgs>),
    /// Show what each file is: kind, format, encoding, records, time range, problems.
    Inspect(InspectArgs),
    /// Explain an SSPR code, an on-premises event ID, an hr code or any text: meaning, likely
    /// cause, fix (--list: every code).
    Explain(ExplainArgs),
    /// Write a realistic synthetic tenant in every input format, with truth.json (the numbers
    /// its report must give): for demos, tests and benchmarks.
    Synth(SynthArgs),
    /// Read the Parquet history that `run --history` writes and show the months side by side:
    /// trend.csv (a month without data is a row of empty cells), trend_reasons.csv, charts,
    /// trend.html (month-over-month changes first), --xlsx trend.xlsx.
    Trend(TrendArgs),
    /// Print a shell completion script to standard output (bash, zsh, fish, powershell, elvish).
    #[command(after_help = "Install, for example:
  bash        sspr-report completions bash > ~/.local/share/bash-completion/completions/sspr-report
  zsh         sspr-report completions zsh > ~/.zfunc/_sspr-report   (with fpath+=~/.zfunc before compinit)
  fish        sspr-report completions fish > ~/.config/fish/completions/sspr-report.fish
  powershell  sspr-report completions powershell >> $PROFILE")]
    Completions(CompletionsArgs),
    /// Print a manual page (roff) to standard output: `sspr-report man > sspr-report.1`, then
    /// `man ./sspr-report.1`; `man run` prints the page of `run`.
    Man(ManArgs),
    /// One user's (--user) or one attempt's (--flow) whole story: every flow with its audit
    /// records, the on-prem events, what the Connect servers logged around it, registration,
    /// licence and throttling, and a diagnosis of each failed or blocked flow.
    Trace(Box<TraceArgs>),
}

/// Output format of `trace`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TraceFormat {
    /// Text for the terminal.
    Text,
    /// One JSON document (keys in the README).
    Json,
}

/// Options of `trace`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["user", "flow"])))]
pub struct TraceArgs {
    /// Audit log exports, registration and licence lists, Entra Connect event logs (files or
    /// folders; none: the bundled sample).
    pub inputs: Vec<PathBuf>,

    /// The user: a UPN in any letter case (or, with --pseudonymize, its pseudonym).
    #[arg(long, value_name = "UPN")]
    pub user: Option<String>,

    /// One attempt: its CorrelationId in any letter case.
    #[arg(long, value_name = "CORRELATION_ID")]
    pub flow: Option<String>,

    /// What to read, for which period, and how to join it (the same options as `run`).
    #[command(flatten)]
    pub reading: ReadingArgs,

    /// Language of the text and the diagnosis.
    #[arg(long, value_enum, default_value = "en")]
    pub lang: LangArg,

    /// Text or JSON.
    #[arg(long, value_enum, default_value = "text")]
    pub format: TraceFormat,

    /// Accept a pseudonym from a report made with this key as --user.
    #[arg(long, value_name = "KEY")]
    pub pseudonymize: Option<String>,

    /// Read the pseudonymisation key from this file (as `run` does).
    #[arg(long, value_name = "FILE", conflicts_with = "pseudonymize")]
    pub pseudonymize_key_file: Option<PathBuf>,

    /// Options from this TOML file (keys as in `run --config`; ./sspr-report.toml is read when
    /// present); trace takes those it shares with run, and the command line wins.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// Options of `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (run, inspect, explain, synth, …) [default: the top page].
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

/// Options of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write the script for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// English.
    En,
    /// Japanese (日本語).
    Ja,
}

/// How the inputs are read and joined, shared by `run` and `trace`: the period, the zones,
/// the windows and the threads.
#[derive(Debug, Clone, Args)]
pub struct ReadingArgs {
    /// One calendar month, e.g. 2026-10 (local dates in --tz).
    #[arg(long, value_name = "YYYY-MM", conflicts_with_all = ["from", "to"])]
    pub month: Option<String>,

    /// First day of the period, e.g. 2026-10-01 (needs --to).
    #[arg(long, value_name = "DATE", requires = "to")]
    pub from: Option<String>,

    /// Last day of the period, inclusive (needs --from).
    #[arg(long, value_name = "DATE", requires = "from")]
    pub to: Option<String>,

    /// Time zone of every date and time shown (IANA name, e.g. Asia/Tokyo).
    #[arg(long, value_name = "ZONE", default_value = "UTC")]
    pub tz: String,

    /// Time zone of on-prem exports that write local time without a zone (Event Viewer CSV/TXT,
    /// PowerShell CSV) [default: --tz].
    #[arg(long, value_name = "ZONE")]
    pub onprem_tz: Option<String>,

    /// How far apart a cloud flow and its on-prem writeback may be, and a start and its outcome.
    #[arg(long, value_name = "DURATION", default_value = "5m")]
    pub match_window: String,

    /// Longest silence inside a log that still counts as covered; longer ones are warned about.
    #[arg(long, value_name = "DURATION", default_value = "6h")]
    pub gap: String,

    /// Flows inside --throttle-window that mark a user as throttled when no block record exists.
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u32).range(2..=1000))]
    pub throttle_threshold: u32,

    /// Rolling window for --throttle-threshold (Microsoft documents both 1h and 24h).
    #[arg(long, value_name = "DURATION", default_value = "60m")]
    pub throttle_window: String,

    /// Threads for reading the inputs (default: one per core). The result is the same for every
    /// number of threads.
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,
}

/// Options of `run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Exported files or folders (read recursively). None: fixtures/sample/.
    pub inputs: Vec<PathBuf>,

    /// Report folder [default: reports/<period or input name>/]: new, empty, or a report this
    /// tool wrote (replaced whole); a folder holding anything else is refused.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// The period, the zones and the windows the inputs are read and joined with.
    #[command(flatten)]
    pub reading: ReadingArgs,

    /// Language of texts inside the report (CSV column names stay English).
    #[arg(long, value_enum, default_value = "en")]
    pub lang: LangArg,

    /// Write CSV files without the UTF-8 byte-order mark.
    #[arg(long)]
    pub no_bom: bool,

    /// Also write report.xlsx: every table as a sheet, Summary first.
    #[arg(long)]
    pub xlsx: bool,

    /// Also write the flows as Parquet, one file per month (parquet/month=YYYY-MM/flows.parquet),
    /// for Spark, Trino or DuckDB.
    #[arg(long)]
    pub parquet: bool,

    /// Also write the run's tables into a Parquet history, one partition per local month:
    /// DIR/<table>/tenant=<NAME>/month=<YYYY-MM>/part-0.parquet (read by `sspr-report trend`,
    /// DuckDB, Spark). A month written again is replaced whole.
    #[arg(long, value_name = "DIR")]
    pub history: Option<PathBuf>,

    /// Tenant name of the history's partitions (letters, digits, '-', '_', '.').
    #[arg(long, value_name = "NAME", requires = "history")]
    pub tenant: Option<String>,

    /// Skip the charts (charts/*.svg, charts/*.png); index.html is still written.
    #[arg(long)]
    pub no_charts: bool,

    /// Font for the labels of PNG charts (TTF/OTF/TTC); with --lang ja a system CJK font is
    /// looked for when this is not given.
    #[arg(long, value_name = "PATH")]
    pub font: Option<PathBuf>,

    /// Replace UPNs, display names and IP addresses in every output by keyed pseudonyms
    /// (HMAC-SHA-256): the same KEY gives the same pseudonym in every month's report.
    #[arg(long, value_name = "KEY")]
    pub pseudonymize: Option<String>,

    /// Exit with code 1 when any record was rejected.
    #[arg(long)]
    pub strict: bool,

    /// No progress bar and no summary on the terminal.
    #[arg(long, short)]
    pub quiet: bool,

    /// Read the key for --pseudonymize from this file (its first line), so that the key stays
    /// out of shell history, scheduled-task definitions and config files.
    #[arg(long, value_name = "FILE", conflicts_with = "pseudonymize")]
    pub pseudonymize_key_file: Option<PathBuf>,

    /// Take options from this TOML file (keys are the long option names, e.g. month = "2026-10");
    /// options on the command line win. Without it, ./sspr-report.toml is read when present.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// Options of `inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Files or folders to look at. None: fixtures/sample/.
    pub inputs: Vec<PathBuf>,

    /// Time zone for the times shown.
    #[arg(long, value_name = "ZONE", default_value = "UTC")]
    pub tz: String,

    /// Time zone of on-prem exports that write local time without a zone [default: --tz].
    #[arg(long, value_name = "ZONE")]
    pub onprem_tz: Option<String>,
}

/// Options of `explain`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  sspr-report explain SSPR_0012          an SSPR code shown to users (also 12, sspr-12)
  sspr-report explain 33004              an event ID of the Entra Connect server (also ADSync 6329)
  sspr-report explain 0x80230619         an hr code from an ADSync or PasswordResetService message
  sspr-report explain licence            words of a logged reason, a meaning or a fix
  sspr-report explain ライセンス --lang ja  Japanese words, or a message pasted from the reset page
  sspr-report explain --list --lang ja   every code with its title")]
pub struct ExplainArgs {
    /// What to explain: an SSPR code (SSPR_0012, 12), an on-premises event ID (33004, ADSync
    /// 6329) or name (ADPermissionsError), an hr code (0x80230619, hr=80230619), a logged result
    /// reason, or any words in English or Japanese (full-width digits and British or American
    /// spelling are fine); several words are joined with spaces.
    #[arg(required_unless_present = "list", num_args = 1.., value_name = "CODE|TEXT")]
    pub query: Vec<String>,

    /// List every code instead: SSPR codes, result reasons, progress steps, on-premises event
    /// IDs and hr codes, each with its title, in --lang.
    #[arg(long, conflicts_with = "query")]
    pub list: bool,

    /// Language of the explanation.
    #[arg(long, value_enum, default_value = "en")]
    pub lang: LangArg,
}

/// Options of `synth`.
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// People in the tenant (about 100 audit rows each for a 30-day period).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=2_000_000))]
    pub users: u32,

    /// Days from 1 October 2026 (JST).
    #[arg(long, value_name = "D", default_value_t = 30, value_parser = clap::value_parser!(u32).range(7..=92))]
    pub days: u32,

    /// Random seed: the same seed, users and days give the same files.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,

    /// Folder to write into: new, empty, or a tenant synth wrote before (replaced whole).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Every audit record in one portal CSV (exports/audit/AuditLogs.csv), as the benchmark reads it,
    /// instead of daily files in rotating formats.
    #[arg(long)]
    pub single_csv: bool,

    /// Share of audit rows the report keeps (SSPR, its evidence, registrations), in percent:
    /// the rest is other services' rows, as in a big tenant's log [default: about 9 %, three
    /// other rows per person and day].
    #[arg(long, value_name = "PERCENT", value_parser = parse_share)]
    pub sspr_share: Option<u16>,
}

/// A percentage from 0.1 to 100 with at most one decimal, as tenths of a percent.
fn parse_share(text: &str) -> Result<u16, String> {
    let value: f64 = text
        .trim()
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("'{text}' is not a percentage (e.g. 10 or 7.5)"))?;
    let tenths = (value * 10.0).round();
    if !(1.0..=1000.0).contains(&tenths) || (tenths - value * 10.0).abs() > 1e-6 {
        return Err(format!("'{text}' must be 0.1 to 100, at most one decimal"));
    }
    Ok(tenths as u16)
}

/// Options of `trend`.
#[derive(Debug, Args)]
pub struct TrendArgs {
    /// The history folder (`run --history DIR`).
    pub dir: PathBuf,

    /// Tenant to read (the `--tenant` of the runs).
    #[arg(long, value_name = "NAME")]
    pub tenant: Option<String>,

    /// First month, e.g. 2026-01 [default: the first month in the history].
    #[arg(long, value_name = "YYYY-MM")]
    pub from: Option<String>,

    /// Last month, inclusive [default: the last month in the history].
    #[arg(long, value_name = "YYYY-MM")]
    pub to: Option<String>,

    /// Output folder: new, empty, or a trend this tool wrote (replaced whole).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Language of the page and the charts (CSV column names stay English).
    #[arg(long, value_enum, default_value = "en")]
    pub lang: LangArg,

    /// Also write trend.xlsx.
    #[arg(long)]
    pub xlsx: bool,

    /// Write CSV files without the UTF-8 byte-order mark.
    #[arg(long)]
    pub no_bom: bool,

    /// Skip the charts.
    #[arg(long)]
    pub no_charts: bool,

    /// Exit with code 1 when a history file cannot be read (its month is a gap either way).
    #[arg(long)]
    pub strict: bool,

    /// Nothing on the terminal.
    #[arg(long, short)]
    pub quiet: bool,
}

#[cfg(test)]
mod tests {
    use super::parse_share;

    #[test]
    fn share_is_read_in_tenths_of_a_percent() {
        assert_eq!(parse_share("10"), Ok(100));
        assert_eq!(parse_share("7.5%"), Ok(75));
        assert_eq!(parse_share("100"), Ok(1000));
        for bad in ["0", "0.05", "100.1", "7.25", "ten", "-3", "NaN"] {
            assert!(parse_share(bad).is_err(), "{bad}");
        }
    }
}
