//! Thin entry point: parse the command line, validate it, call the library, map the result to
//! an exit code (0 done, 1 error, 2 usage error). A closed stdout pipe is success.

use clap::{CommandFactory, FromArgMatches};
use sspr_report::catalog::Lang;
use sspr_report::cli::{Cli, Command, LangArg};
use sspr_report::commands::{self, Status};
use sspr_report::config::{RunConfig, parse_tz, sample_dir};
use sspr_report::config_file;
use sspr_report::error::{ConfigError, RunError};
use sspr_report::render::sanitize::display_lines;
use std::process::ExitCode;

fn lang(arg: LangArg) -> Lang {
    match arg {
        LangArg::En => Lang::En,
        LangArg::Ja => Lang::Ja,
    }
}

fn dispatch(cli: Cli, explicit: &[String]) -> anyhow::Result<Status> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match cli.command {
        Command::Run(mut args) => {
            let merged = config_file::merge(&mut args, explicit)?;
            if let Some(merged) = &merged
                && !args.quiet
            {
                let file = merged.file.display().to_string();
                match args.lang {
                    LangArg::En => eprintln!("options from {}", display_lines(&file)),
                    LangArg::Ja => eprintln!("{} のオプションを使用", display_lines(&file)),
                }
            }
            let config = RunConfig::from_args(&args).map_err(|e| match &merged {
                Some(merged) => merged.blame(e),
                None => e,
            })?;
            let history = commands::history::HistoryTarget::from_args(
                args.history.as_deref(),
                args.tenant.as_deref(),
            )?;
            commands::run::run_with_history(&config, history.as_ref(), &mut out)
        }
        Command::Completions(args) => commands::completions::completions(args.shell, &mut out),
        Command::Man(args) => commands::man::man(args.command.as_deref(), &mut out),
        Command::Inspect(args) => {
            let tz = parse_tz("--tz", &args.tz)?;
            let onprem_tz = match &args.onprem_tz {
                Some(z) => parse_tz("--onprem-tz", z)?,
                None => tz,
            };
            let inputs = if args.inputs.is_empty() {
                vec![sample_dir()?]
            } else {
                args.inputs
            };
            sspr_report::config::check_paths(&inputs, None)?;
            commands::inspect::inspect(&inputs, tz, onprem_tz, &mut out)
        }
        Command::Synth(args) => {
            let spec = sspr_report::synth::tenant::TenantSpec {
                users: args.users as usize,
                days: args.days,
                seed: args.seed,
                single_csv: args.single_csv,
                sspr_share_tenths: args.sspr_share,
            };
            commands::synth::synth(&spec, &args.out, &mut out)
        }
        Command::Trend(args) => {
            commands::trend::trend(&commands::trend::TrendConfig::from_args(&args)?, &mut out)
        }
        Command::Trace(args) => {
            let config = commands::trace::TraceConfig::from_args(&args, explicit)?;
            commands::trace::trace(&config, &mut out, &mut std::io::stderr())
        }
        Command::Explain(args) if args.list => commands::explain::list(lang(args.lang), &mut out),
        Command::Explain(args) => {
            let query = args.query.join(" ");
            commands::explain::explain(&query, lang(args.lang), &mut out, &mut std::io::stderr())
        }
    }
}

/// The language errors are printed in: the command's `--lang` (English for commands without).
fn error_lang(cli: &Cli) -> Lang {
    match &cli.command {
        Command::Run(args) => lang(args.lang),
        Command::Explain(args) => lang(args.lang),
        Command::Trend(args) => lang(args.lang),
        Command::Trace(args) => lang(args.lang),
        Command::Inspect(_) | Command::Synth(_) | Command::Completions(_) | Command::Man(_) => {
            Lang::En
        }
    }
}

/// The error and its causes, `: `-joined as `{err:#}` writes them, each of this crate's errors in
/// `lang` (the causes from the system stay as the system words them).
fn error_text(err: &anyhow::Error, lang: Lang) -> String {
    if lang == Lang::En {
        return format!("{err:#}");
    }
    err.chain()
        .map(|cause| {
            if let Some(e) = cause.downcast_ref::<ConfigError>() {
                e.japanese()
            } else if let Some(e) = cause.downcast_ref::<RunError>() {
                e.japanese()
            } else if let Some(e) = cause.downcast_ref::<sspr_report::history::HistoryError>() {
                e.japanese()
            } else {
                cause.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(": ")
}

fn main() -> ExitCode {
    sspr_report::commands::run::tune_allocator();
    sspr_report::ingest::xlsx::quiet_caught_panics();
    let matches = Cli::command().get_matches();
    // Which options of `run` (or `trace`) the command line gave: they win over a config file's.
    let explicit = matches
        .subcommand_matches("run")
        .or_else(|| matches.subcommand_matches("trace"))
        .map(config_file::explicit_keys)
        .unwrap_or_default();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let lang = error_lang(&cli);
    match dispatch(cli, &explicit) {
        Ok(Status::Done) => ExitCode::SUCCESS,
        Ok(Status::Failed) => ExitCode::from(1),
        Err(err) => {
            for cause in err.chain() {
                if let Some(io) = cause.downcast_ref::<std::io::Error>()
                    && io.kind() == std::io::ErrorKind::BrokenPipe
                {
                    return ExitCode::SUCCESS;
                }
            }
            // Paths and values in the message come from the user or from files: no control
            // character reaches the terminal.
            let message = error_text(&err, lang);
            let label = match lang {
                Lang::En => "error",
                Lang::Ja => "エラー",
            };
            eprintln!("{label}: {}", display_lines(&message));
            let next = err
                .chain()
                .find_map(|cause| cause.downcast_ref::<RunError>())
                .and_then(|e| e.next_step(lang == Lang::Ja));
            if let Some(next) = next {
                let label = match lang {
                    Lang::En => "next step",
                    Lang::Ja => "次の手順",
                };
                eprintln!("{label}: {next}");
            }
            if err.downcast_ref::<ConfigError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
