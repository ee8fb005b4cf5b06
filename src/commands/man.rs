//! `man [COMMAND]`: manual pages in roff, generated from the same clap definition as `--help`.
//! Like git's, the top page lists the commands, each of which has its own page
//! (`sspr-report-run(1)`), which `man COMMAND` prints.

use crate::cli::Cli;
use crate::commands::Status;
use crate::error::ConfigError;
use clap::CommandFactory;
use std::io::Write;

/// Writes the page of `command` (`None`: the top page) to `out`; an unknown command is a usage
/// error naming the known ones.
pub fn man(command: Option<&str>, out: &mut dyn Write) -> anyhow::Result<Status> {
    let top = Cli::command();
    let cmd = match command {
        None => top,
        Some(name) => {
            let Some(sub) = top.find_subcommand(name) else {
                let known: Vec<&str> = top.get_subcommands().map(|c| c.get_name()).collect();
                return Err(ConfigError::InvalidValue {
                    option: "man COMMAND",
                    value: name.to_string(),
                    reason: format!("not a command; use one of: {}", known.join(", ")),
                }
                .into());
            };
            // The page's title and synopsis name the full command, as the top page refers to it.
            // clap takes only `'static` names without its `string` feature; this process prints
            // one page and ends, so leaking one short string costs nothing.
            let page_name: &'static str = format!("sspr-report-{}", sub.get_name()).leak();
            sub.clone()
                .name(page_name)
                .bin_name(format!("sspr-report {}", sub.get_name()))
                .version(crate::cli::VERSION)
        }
    };
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut page)?;
    out.write_all(&page)?;
    out.flush()?;
    Ok(Status::Done)
}
