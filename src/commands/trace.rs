//! `sspr-report trace`: one user's (or one attempt's) whole story with its diagnosis, read with
//! the same recognition, period rules and correlation as `run`, without metrics or a report.

use crate::catalog::Lang;
use crate::cli::{RunArgs, TraceArgs, TraceFormat};
use crate::commands::Status;
use crate::config::RunConfig;
use crate::correlate;
use crate::ingest::{self, IngestOptions};
use crate::metrics::story::{PeriodOut, Query, Teller, Trace};
use crate::metrics::{throttling, writeback};
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
}

impl TraceConfig {
    /// Validates the command line with `run`'s rules.
    pub fn from_args(args: &TraceArgs) -> Result<TraceConfig, crate::error::ConfigError> {
        let run_args = RunArgs {
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
            pseudonymize_key_file: None,
            config: None,
            strict: false,
            quiet: true,
        };
        let target = match (&args.user, &args.flow) {
            (Some(u), _) => Target::User(u.trim().to_lowercase()),
            (None, Some(f)) => Target::Flow(f.trim().to_ascii_lowercase()),
            // clap requires one of the two.
            (None, None) => Target::User(String::new()),
        };
        let run = RunConfig::from_args(&run_args)?;
        let pseudonymizer = crate::commands::Presentation::of(&run)?.pseudonymizer;
        Ok(TraceConfig {
            run,
            target,
            json: args.format == TraceFormat::Json,
            pseudonymizer,
        })
    }
}

/// Runs `trace`: prints the story to `out`; nothing found is an error naming the nearest UPNs.
pub fn trace(config: &TraceConfig, out: &mut dyn Write) -> anyhow::Result<Status> {
    let c = &config.run;
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
    let (user, flows) = select(config, &model);
    // A user the registration or licence list names is found even with no attempt in the
    // period: "no flow, not registered, no P1" is the answer the helpdesk needs then.
    let found = !flows.is_empty()
        || user.as_deref().is_some_and(|u| {
            has_onprem(&model, u) || has_registration(&model, u) || listed(&model, u)
        });
    if !found {
        anyhow::bail!(not_found(config, &model));
    }
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
    };
    if config.json {
        out.write_all(json(&trace)?.as_bytes())?;
    } else {
        out.write_all(text(&trace, c.lang).as_bytes())?;
    }
    Ok(Status::Done)
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

/// "no audit or on-prem record of USER in PERIOD", with the nearest UPNs seen.
fn not_found(config: &TraceConfig, model: &Model) -> String {
    let (what, near) = match &config.target {
        Target::User(u) => (u.clone(), nearest(u, &known_users(model))),
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
        let label = match config.run.lang {
            Lang::En => "; nearest UPNs seen",
            Lang::Ja => "。近い UPN",
        };
        s.push_str(&format!("{label}: {}", near.join(", ")));
    }
    s
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
