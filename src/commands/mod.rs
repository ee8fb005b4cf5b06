//! One file per subcommand (xsv style): each turns validated options into work and output.
//!
//! Layer: the top; commands wire the pipeline (ingest → model → correlate → metrics → render)
//! and nothing below imports them.

pub mod completions;
use crate::error::ConfigError;

pub mod explain;
pub mod fuzz_run;
pub mod history;
pub mod inspect;
pub mod man;
pub mod run;
pub mod synth;
pub mod trace;
pub mod trend;

/// How a command ended, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Done (exit 0).
    Done,
    /// Done, but `--strict` found rejected records, or `explain` found nothing (exit 1).
    Failed,
}

/// What a run shows with, built from the validated options before any input is read: the fonts
/// of the charts and the pseudonymizer. They belong to render, which the configuration (below
/// every pipeline layer) does not import; an invalid `--font` or key is still a usage error.
pub(crate) struct Presentation {
    /// Fonts for the charts; `None` for `--no-charts`.
    pub charts: Option<crate::render::charts::FontPlan>,
    /// Keyed pseudonyms for UPNs, names, addresses and free text.
    pub pseudonymizer: Option<crate::render::pseudonymize::Pseudonymizer>,
}

impl Presentation {
    /// Plans the fonts and keys the pseudonymizer.
    pub(crate) fn of(config: &crate::config::RunConfig) -> Result<Self, ConfigError> {
        let charts = if config.charts {
            let plan = crate::render::charts::plan_fonts(config.lang, config.font.as_deref())
                .map_err(|reason| ConfigError::InvalidValue {
                    option: "--font",
                    value: config
                        .font
                        .as_ref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default(),
                    reason,
                })?;
            Some(plan)
        } else {
            None
        };
        let pseudonymizer = match &config.pseudonymize_key {
            Some(key) => Some(
                crate::render::pseudonymize::Pseudonymizer::new(key).map_err(|reason| {
                    ConfigError::InvalidValue {
                        option: "--pseudonymize",
                        value: "(key not shown)".into(),
                        reason,
                    }
                })?,
            ),
            None => None,
        };
        Ok(Presentation {
            charts,
            pseudonymizer,
        })
    }

    /// The report folder: `--out`, else under `reports/`; a folder named after an input takes
    /// the input's file pseudonym when pseudonymizing.
    pub(crate) fn report_dir(&self, config: &crate::config::RunConfig) -> std::path::PathBuf {
        config.report_dir(|name| match &self.pseudonymizer {
            Some(p) => p.file(&name),
            None => name,
        })
    }
}

/// The rule for every command that writes a folder: `out` must be new, empty, or a folder of
/// `kind` that this tool wrote (see [`crate::render::output::check_replaceable`]); else a usage
/// error naming it, before any input is read.
pub fn check_output_folder(
    out: &std::path::Path,
    kind: crate::render::output::OutputKind,
) -> Result<(), ConfigError> {
    crate::render::output::check_replaceable(out, kind).map_err(|reason| {
        ConfigError::OutputNotReplaceable {
            out: out.to_path_buf(),
            reason,
        }
    })
}
