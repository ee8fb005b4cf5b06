//! `sspr-report trace`: one user's (or one attempt's) whole story with its diagnosis, read with
//! the same recognition, period rules and correlation as `run`, without metrics or a report.

use crate::catalog::Lang;
use crate::cli::{RunArgs, TraceArgs, TraceFormat};
use crate::commands::Status;
use crate::config::RunConfig;
use crate::correlate;
use crate::ingest::{self, IngestOptions};
use crate::metrics::story::{PeriodOut, Query, Teller, Trace};
use crate::metrics::{coverage, throttling, writeback};
use crate::model::Model;
use crate::model::build::{self, BuildOptions};
use crate::render::trace::{json, text};
use std::collections::BTreeSet;
use std::io::Write;

/// What `trace` looks for.
#[derive(Debug, Clone)]
pub enum Target {
    /// A user: a UPN in any letter case, or a pseudonym from a report made with the same key.
    User(String),
    /// A flow: a CorrelationId in any letter case.
    Flow(String),
}

/// Validated options of `trace`.
pub struct TraceConfig {
    /// The options `run` would take (period, zones, windows, language, key).
    pub run: RunConfig,
    /// What to trace.
    pub target: Target,
    /// JSON instead of text.
    pub json: bool,
    /// `--pseudonymize KEY`: a pseudonym made with the key is accepted as `--user`. The
    /// output names the real person and addresses: the one who traces holds the key, and the
    /// fix for repeated failures is to compare the attempts' addresses with the user's usual
    /// ones.
    pub pseudonymizer: Option<crate::render::pseudonymize::Pseudonymizer>,
    /// The config file options were taken from, if any.
    pub options_from: Option<std::path::PathBuf>,
}

impl TraceConfig {
    /// Validates the command line with `run`'s rules, after filling what it leaves out from the
    /// config file `run` would read (`--config`, else `./sspr-report.toml`): only the options
    /// trace shares with run; `explicit` names those the command line gave, which win.
    pub fn from_args(
        args: &TraceArgs,
        explicit: &[String],
    ) -> Result<TraceConfig, crate::error::ConfigError> {
        let target = target_of(args)?;
        let mut run_args = run_args_of(args);
        let merged = crate::config_file::merge(&mut run_args, explicit)?;
        // What only a report needs stays off, whatever the file says.
        run_args.out = None;
        (run_args.xlsx, run_args.parquet, run_args.no_charts) = (false, false, true);
        (run_args.history, run_args.tenant, run_args.font) = (None, None, None);
        (run_args.strict, run_args.quiet) = (false, true);
        let run = RunConfig::from_args(&run_args).map_err(|e| match &merged {
            Some(m) => m.blame(e),
            None => e,
        })?;
        let pseudonymizer = crate::commands::Presentation::of(&run)?.pseudonymizer;
        Ok(TraceConfig {
            run,
            target,
            json: args.format == TraceFormat::Json,
            pseudonymizer,
            options_from: merged.map(|m| m.file),
        })
    }
}

/// The user or flow asked for; a blank one is a usage error, before anything is read.
fn target_of(args: &TraceArgs) -> Result<Target, crate::error::ConfigError> {
    let (target, option, reason) = match (&args.user, &args.flow) {
        (Some(u), _) => (
            Target::User(u.trim().to_lowercase()),
            "--user",
            "the user must not be blank; give a UPN such as taro.yamada@contoso.co.jp",
        ),
        (None, f) => (
            // clap requires one of the two.
            Target::Flow(f.as_deref().unwrap_or("").trim().to_ascii_lowercase()),
            "--flow",
            "the flow must not be blank; give its CorrelationId",
        ),
    };
    match &target {
        Target::User(v) | Target::Flow(v) if v.is_empty() => {
            Err(crate::error::ConfigError::InvalidValue {
                option,
                value: String::new(),
                reason: reason.into(),
            })
        }
        _ => Ok(target),
    }
}

/// The options `run` would be given: trace's own, nothing of a report.
fn run_args_of(args: &TraceArgs) -> RunArgs {
    RunArgs {
        inputs: args.inputs.clone(),
        out: None,
        reading: args.reading.clone(),
        lang: args.lang,
        no_bom: true,
        xlsx: false,
        parquet: false,
        history: None,
        tenant: None,
        no_charts: true,
        font: None,
        pseudonymize: args.pseudonymize.clone(),
        pseudonymize_key_file: args.pseudonymize_key_file.clone(),
        config: args.config.clone(),
        strict: false,
        quiet: true,
    }
}

/// What trace says on stderr before it reads: the config file it took options from, and that
/// it reads the bundled sample when no input was given.
fn notes(config: &TraceConfig, err: &mut dyn Write) -> std::io::Result<()> {
    let ja = config.run.lang == Lang::Ja;
    if let Some(file) = &config.options_from {
        let file = crate::render::sanitize::display_lines(&file.display().to_string()).into_owned();
        match ja {
            false => writeln!(err, "options from {file}")?,
            true => writeln!(err, "{file} のオプションを使用")?,
        }
    }
    if config.run.using_sample {
        let dir = config
            .run
            .inputs
            .first()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let dir = crate::render::sanitize::display_lines(&dir).into_owned();
        match ja {
            false => writeln!(err, "no INPUT given: reading the bundled sample ({dir})")?,
            true => writeln!(
                err,
                "入力が指定されていないため、付属のサンプル ({dir}) を読みます"
            )?,
        }
    }
    Ok(())
}

/// Runs `trace`: prints the story to `out`; nothing found is an error naming the nearest UPNs.
pub fn trace(
    config: &TraceConfig,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<Status> {
    let c = &config.run;
    notes(config, err)?;
    let mut files = ingest::collect_files(&c.inputs)?;
    files.sort();
    let mut ingested = ingest::ingest(
        &files,
        IngestOptions {
            progress: false,
            onprem_tz: c.onprem_tz,
            threads: c.threads,
        },
    )?;
    let options = BuildOptions {
        tz: c.tz,
        match_window: c.match_window,
        gap: c.gap,
    };
    let model = build::build(&mut ingested, &c.period, &options);
    let correlation = correlate::correlate(&model, c.match_window);
    let outages = writeback::compute(&model, c.lang)
        .map(|w| w.outages)
        .unwrap_or_default();
    let throttle = throttling::compute(&model, c.throttle_threshold, c.throttle_window);
    let teller = Teller {
        model: &model,
        correlation: correlation.as_ref(),
        outages: &outages,
        throttle: &throttle.rows,
        window: c.match_window,
        lang: c.lang,
    };
    let explicit = matches!(c.period, crate::time::PeriodChoice::Explicit(_));
    let warnings: Vec<String> = coverage::compute(&model, c.gap, explicit)
        .warnings
        .iter()
        .map(|w| w.text(c.lang))
        .collect();
    let (user, flows) = select(config, &model);
    // A user the registration or licence list names is found even with no attempt in the
    // period: "no flow, not registered, no P1" is the answer the helpdesk needs then.
    let found = !flows.is_empty()
        || user.as_deref().is_some_and(|u| {
            has_onprem(&model, u) || has_registration(&model, u) || listed(&model, u)
        });
    if !found {
        print_warnings(&warnings, c.lang, err)?;
        anyhow::bail!(not_found(config, &model));
    }
    let onprem_operations = match (&config.target, user.as_deref()) {
        (Target::User(_), Some(u)) => teller.operations(u),
        _ => Vec::new(),
    };
    let trace = Trace {
        query: Query {
            user: user.clone(),
            flow: match &config.target {
                Target::Flow(f) => Some(f.clone()),
                Target::User(_) => None,
            },
        },
        period: PeriodOut {
            from: model.period.from.to_string(),
            to: model.period.to.to_string(),
            tz: model.tz.name().to_string(),
        },
        flows: flows.iter().filter_map(|&fi| teller.flow(fi)).collect(),
        registrations: teller.registrations(user.as_deref()),
        license: user.as_deref().and_then(|u| teller.license(u)),
        throttling: user.as_deref().and_then(|u| teller.throttling(u)),
        onprem_operations,
        warnings,
        license_list_read: model.licenses.is_some(),
    };
    if config.json {
        out.write_all(json(&trace)?.as_bytes())?;
    } else {
        print_warnings(&trace.warnings, c.lang, err)?;
        out.write_all(text(&trace, c.lang).as_bytes())?;
    }
    Ok(Status::Done)
}

/// The coverage warnings on stderr, as `run` prints them.
fn print_warnings(warnings: &[String], lang: Lang, err: &mut dyn Write) -> std::io::Result<()> {
    let label = match lang {
        Lang::En => "warning:",
        Lang::Ja => "警告:",
    };
    for w in warnings {
        writeln!(err, "{label} {}", crate::render::sanitize::display(w))?;
    }
    Ok(())
}

/// The user the query names and the indices of its flows in the period, oldest first.
fn select(config: &TraceConfig, model: &Model) -> (Option<String>, Vec<usize>) {
    match &config.target {
        Target::Flow(id) => {
            let fi = model.flows.iter().position(|f| &f.correlation_id == id);
            let user = fi.and_then(|i| model.flows[i].user.clone());
            (user, fi.into_iter().collect())
        }
        Target::User(u) => {
            let user = resolve_pseudonym(config, model, u).unwrap_or_else(|| u.clone());
            let flows = (0..model.flows.len())
                .filter(|&i| model.flows[i].user.as_deref() == Some(user.as_str()))
                .collect();
            (Some(user), flows)
        }
    }
}

/// The UPN whose pseudonym (under `--pseudonymize KEY`) is `query`.
fn resolve_pseudonym(config: &TraceConfig, model: &Model, query: &str) -> Option<String> {
    let p = config.pseudonymizer.as_ref()?;
    if !query.starts_with("user-") {
        return None;
    }
    known_users(model).into_iter().find(|u| p.user(u) == query)
}

/// Every user key the inputs name.
fn known_users(model: &Model) -> BTreeSet<String> {
    let mut users: BTreeSet<String> = model.flows.iter().filter_map(|f| f.user.clone()).collect();
    if let Some(o) = &model.onprem {
        users.extend(o.ops.iter().filter_map(|op| op.user.clone()));
    }
    if let Some(s) = &model.registration.snapshot {
        users.extend(s.rows.keys().cloned());
    }
    if let Some(l) = &model.licenses {
        users.extend(l.rows.keys().cloned());
    }
    users.extend(
        model
            .registration
            .events
            .iter()
            .filter_map(|e| e.user.clone()),
    );
    users
}

fn has_onprem(model: &Model, user: &str) -> bool {
    model
        .onprem
        .as_ref()
        .is_some_and(|o| o.ops.iter().any(|op| op.user.as_deref() == Some(user)))
}

fn listed(model: &Model, user: &str) -> bool {
    let in_snapshot = model
        .registration
        .snapshot
        .as_ref()
        .is_some_and(|s| s.rows.contains_key(user));
    in_snapshot
        || model
            .licenses
            .as_ref()
            .is_some_and(|l| l.rows.contains_key(user))
}

fn has_registration(model: &Model, user: &str) -> bool {
    model
        .registration
        .events
        .iter()
        .any(|e| e.user.as_deref() == Some(user))
}

/// "no audit or on-prem record of USER in PERIOD", with the UPNs seen that contain it or are
/// nearest, and a hint when a pseudonym comes without its key.
fn not_found(config: &TraceConfig, model: &Model) -> String {
    let users = known_users(model);
    let (what, near) = match &config.target {
        Target::User(u) => (u.clone(), suggestions(u, &users)),
        Target::Flow(f) => (f.clone(), Vec::new()),
    };
    let p = &model.period;
    let mut s = match config.run.lang {
        Lang::En => format!(
            "no audit or on-prem record of {what} in {} .. {}",
            p.from, p.to
        ),
        Lang::Ja => format!(
            "{} から {} の期間に {what} の監査ログ・オンプレミスの記録はありません",
            p.from, p.to
        ),
    };
    if !near.is_empty() {
        let containing = near.iter().all(|u| u.contains(what.as_str()));
        let label = match (config.run.lang, containing) {
            (Lang::En, false) => "; nearest UPNs seen",
            (Lang::En, true) => "; UPNs seen that contain it",
            (Lang::Ja, false) => "。近い UPN",
            (Lang::Ja, true) => "。これを含む UPN",
        };
        s.push_str(&format!("{label}: {}", near.join(", ")));
    }
    let pseudonym = matches!(&config.target, Target::User(u) if u.starts_with("user-"));
    if pseudonym && config.pseudonymizer.is_none() {
        s.push_str(match config.run.lang {
            Lang::En => "; a user-… pseudonym names someone only with the key the report was made with: add --pseudonymize KEY or --pseudonymize-key-file FILE",
            Lang::Ja => "。user-… の仮名は、レポート作成時の鍵があるときだけユーザーを指します: --pseudonymize KEY または --pseudonymize-key-file FILE を付けてください",
        });
    }
    s
}

/// What to offer for a user not found: the UPNs that contain the query (part of an address,
/// e.g. `makoto`), else the nearest by edit distance; at most five.
fn suggestions(query: &str, users: &BTreeSet<String>) -> Vec<String> {
    let containing: Vec<String> = users
        .iter()
        .filter(|u| query.chars().count() >= 3 && u.contains(query))
        .take(5)
        .cloned()
        .collect();
    if containing.is_empty() {
        nearest(query, users)
    } else {
        containing
    }
}

/// Up to three known users nearest to `query` by edit distance, nearest first; none farther
/// than a fifth of the query's length (at least 2): a typo, not a different person.
fn nearest(query: &str, users: &BTreeSet<String>) -> Vec<String> {
    let limit = (query.chars().count() / 5).max(2);
    let mut scored: Vec<(usize, &String)> = users
        .iter()
        .map(|u| (edit_distance(query, u), u))
        .filter(|(d, _)| (1..=limit).contains(d))
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, u)| u.clone()).collect()
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn nearest_keeps_typos_only() {
        let users: BTreeSet<String> = ["taro.yamada@x.jp", "hanako.sato@x.jp", "zz@y.com"]
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(nearest("taro.yamda@x.jp", &users), vec!["taro.yamada@x.jp"]);
        assert!(nearest("completely.other@elsewhere.org", &users).is_empty());
        // A user seen is no typo of itself.
        assert!(nearest("zz@y.com", &users).is_empty());
    }
}
