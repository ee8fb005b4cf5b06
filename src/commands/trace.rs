//! `sspr-report trace`: one user's (or one attempt's) whole story with its diagnosis, read with
//! the same recognition, period rules and correlation as `run`, without metrics or a report.

use crate::catalog::{self, EventRole, EventSource, Lang, Text};
use crate::cli::{RunArgs, TraceArgs, TraceFormat};
use crate::commands::Status;
use crate::config::RunConfig;
use crate::correlate::{self, Correlation, OnpremStatus};
use crate::ingest::{self, IngestOptions};
use crate::metrics::throttling::{self, ThrottleRow};
use crate::metrics::writeback::{self, Outage};
use crate::model::build::{self, BuildOptions};
use crate::model::license::Entitlement;
use crate::model::onprem::{OnpremEvent, Operation};
use crate::model::{Flow, Model, Outcome};
use crate::render::trace::*;
use crate::time::local_time;
use chrono::{DateTime, Duration, Utc};
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
    /// `--pseudonymize KEY`: a pseudonym made with the key is accepted as `--user`.
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
    let ctx = Ctx {
        model: &model,
        correlation: correlation.as_ref(),
        outages: writeback::compute(&model, c.lang)
            .map(|w| w.outages)
            .unwrap_or_default(),
        window: c.match_window,
        lang: c.lang,
        pseudonymizer: config.pseudonymizer.as_ref(),
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
    let throttle = throttling::compute(&model, c.throttle_threshold, c.throttle_window);
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
        flows: flows
            .iter()
            .map(|&fi| ctx.flow(fi, &throttle.rows))
            .collect(),
        registrations: ctx.registrations(user.as_deref()),
        license: user.as_deref().and_then(|u| ctx.license(u)),
        throttling: user
            .as_deref()
            .and_then(|u| throttle.rows.iter().find(|r| r.user == u))
            .map(|r| ctx.throttling(r)),
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

/// What every part of the trace reads.
struct Ctx<'a> {
    model: &'a Model,
    correlation: Option<&'a Correlation>,
    outages: Vec<Outage>,
    window: Duration,
    lang: Lang,
    /// `--pseudonymize`: IP addresses are shown as their `ip-…` pseudonyms.
    pseudonymizer: Option<&'a crate::render::pseudonymize::Pseudonymizer>,
}

impl Ctx<'_> {
    fn time(&self, t: DateTime<Utc>) -> String {
        local_time(t, self.model.tz)
    }

    fn flow(&self, fi: usize, throttle: &[ThrottleRow]) -> FlowTrace {
        let f = &self.model.flows[fi];
        let (status, op) = match self.correlation.and_then(|c| c.per_flow.get(fi)) {
            Some((s, oi)) => (*s, oi.and_then(|i| self.model.onprem.as_ref()?.op(i))),
            None => (OnpremStatus::NotChecked, None),
        };
        let events = op.map(|op| self.op_events(op)).unwrap_or_default();
        let nearby = self.nearby(f);
        let diagnosis = match f.outcome {
            Outcome::Failed | Outcome::Blocked => self.diagnose(f, status, op, &events, throttle),
            Outcome::Succeeded | Outcome::Abandoned => Vec::new(),
        };
        FlowTrace {
            correlation_id: f.correlation_id.clone(),
            kind: f.kind.as_str(),
            outcome: f.outcome.as_str(),
            started_at: self.time(f.started_at),
            failure_reason: f.failure_reason.clone(),
            records: f
                .records
                .iter()
                .filter_map(|&i| self.model.records.get(i))
                .map(|r| RecordOut {
                    time: self.time(r.time),
                    service: r.service.to_string(),
                    activity: r.activity.to_string(),
                    result: r.result.as_str(),
                    reason: r.reason.to_string(),
                    ip: r.ip.as_deref().map(|ip| match &self.pseudonymizer {
                        Some(p) => p.ip(ip),
                        None => ip.to_string(),
                    }),
                })
                .collect(),
            onprem: Onprem {
                status: status.as_str(),
                events,
                nearby,
            },
            diagnosis,
        }
    }

    /// The operation's start and outcome, and every event that carries its TrackingId or
    /// details its failure (33xxx of the same user on the same computer around the outcome).
    fn op_events(&self, op: &Operation) -> Vec<EventOut> {
        let Some(onprem) = self.model.onprem.as_ref() else {
            return Vec::new();
        };
        let outcome_time = op
            .outcome
            .and_then(|i| onprem.events.get(i))
            .map_or(op.time, |e| e.time);
        let belongs = |i: usize, e: &OnpremEvent| {
            Some(i) == op.start
                || Some(i) == op.outcome
                || (e.computer == op.computer
                    && ((op.tracking_id.is_some() && e.parsed.tracking_id == op.tracking_id)
                        || (e.role() == Some(EventRole::ErrorDetail) || e.is_error_detail())
                            && e.parsed.upn == op.user
                            && (e.time - outcome_time).abs() <= self.window))
        };
        let mut out: Vec<(DateTime<Utc>, usize)> = onprem
            .events
            .iter()
            .enumerate()
            .filter(|(i, e)| !onprem.duplicate.get(*i).copied().unwrap_or(false) && belongs(*i, e))
            .map(|(i, e)| (e.time, i))
            .collect();
        out.sort();
        out.iter()
            .map(|&(_, i)| self.event(&onprem.events[i]))
            .collect()
    }

    fn event(&self, e: &OnpremEvent) -> EventOut {
        EventOut {
            time: self.time(e.time),
            computer: e.computer.clone(),
            event_id: e.event_id,
            name: e.name(),
            tracking_id: e.parsed.tracking_id.clone(),
            error_code: e.is_error_detail().then(|| e.event_id.to_string()),
            hr: e.parsed.hr_code.clone(),
        }
    }

    /// Outages overlapping the flow (widened by the match window) and connectivity errors
    /// within the match window of it, on any Connect server.
    fn nearby(&self, f: &Flow) -> Vec<Nearby> {
        let (from, to) = (f.started_at - self.window, f.ended_at + self.window);
        let mut out: Vec<Nearby> = self
            .outages
            .iter()
            .filter(|o| o.from <= to && o.counted_to() >= from)
            .map(|o| Nearby {
                kind: "outage",
                computer: o.computer.clone(),
                time: self.time(o.from),
                until: o.to.map(|t| self.time(t)),
                event_id: Some(31016),
                name: "PasswordResetServiceStopped",
            })
            .collect();
        if let Some(onprem) = &self.model.onprem {
            let connectivity = onprem
                .events
                .iter()
                .zip(&onprem.duplicate)
                .filter(|(e, dup)| {
                    !**dup
                        && e.role() == Some(EventRole::Connectivity)
                        && e.time >= from
                        && e.time <= to
                });
            out.extend(connectivity.map(|(e, _)| Nearby {
                kind: "connectivity",
                computer: e.computer.clone(),
                time: self.time(e.time),
                until: None,
                event_id: Some(e.event_id),
                name: e.name(),
            }));
        }
        out
    }

    fn diagnose(
        &self,
        f: &Flow,
        status: OnpremStatus,
        op: Option<&Operation>,
        events: &[EventOut],
        throttle: &[ThrottleRow],
    ) -> Vec<Diagnosis> {
        let lang = self.lang;
        let mut out = Vec::new();
        if let Some(e) = f
            .failure_reason
            .as_deref()
            .and_then(catalog::classify_reason)
        {
            let code = if e.code.is_empty() { e.name } else { e.code };
            out.push(entry(code, e.name, [e.meaning, e.cause, e.fix], lang));
        }
        if let Some(code) = op.and_then(|o| o.error_code.as_deref()) {
            out.extend(onprem_code(code, lang));
        }
        for hr in events.iter().filter_map(|e| e.hr.as_deref()) {
            if out.iter().all(|d| d.code != hr) {
                out.extend(onprem_code(hr, lang));
            }
        }
        out.extend(self.cross_checks(f, status, throttle));
        out
    }

    fn cross_checks(
        &self,
        f: &Flow,
        status: OnpremStatus,
        throttle: &[ThrottleRow],
    ) -> Vec<Diagnosis> {
        let mut out = Vec::new();
        let user = f.user.as_deref();
        let row = user.and_then(|u| self.model.licenses.as_ref()?.rows.get(u));
        if let (Some(row), Some(l)) = (row, self.model.licenses.as_ref())
            && row.synced == Some(true)
            && matches!(
                row.entitlement(&l.skus),
                Entitlement::NoP1 | Entitlement::Unlicensed
            )
        {
            out.push(check(CHECK_NO_P1, self.lang, &[]));
        }
        let at = f.writeback_at.unwrap_or(f.started_at);
        if let Some(o) = self
            .outages
            .iter()
            .find(|o| o.from <= at && at <= o.counted_to())
        {
            let until = o.to.map(|t| self.time(t)).unwrap_or_else(|| "?".into());
            out.push(check(
                CHECK_OUTAGE,
                self.lang,
                &[&o.computer, &self.time(o.from), &until],
            ));
        }
        // A stopped service already explains the missing trace; the agent check is for the rest.
        if status == OnpremStatus::CloudOnly && out.iter().all(|d| d.code != CHECK_OUTAGE.0) {
            out.push(check(CHECK_NO_TRACE, self.lang, &[]));
        }
        if f.outcome == Outcome::Blocked {
            let until = user
                .and_then(|u| throttle.iter().find(|r| r.user == u))
                .and_then(|r| r.blocked_until)
                .unwrap_or(f.ended_at + Duration::hours(throttling::BLOCK_HOURS));
            out.push(check(CHECK_BLOCK, self.lang, &[&self.time(until)]));
        }
        out
    }

    fn registrations(&self, user: Option<&str>) -> Registrations {
        let Some(user) = user else {
            return Registrations {
                events: Vec::new(),
                snapshot: None,
            };
        };
        let reg = &self.model.registration;
        Registrations {
            events: reg
                .events
                .iter()
                .filter(|e| e.user.as_deref() == Some(user))
                .map(|e| RegistrationOut {
                    time: self.time(e.time),
                    method: e.method.clone(),
                })
                .collect(),
            snapshot: reg
                .snapshot
                .as_ref()
                .and_then(|s| s.rows.get(user))
                .map(|r| SnapshotOut {
                    sspr_registered: r.sspr_registered,
                    sspr_enabled: r.sspr_enabled,
                    sspr_capable: r.sspr_capable,
                    methods: r.methods.clone(),
                }),
        }
    }

    fn license(&self, user: &str) -> Option<License> {
        let l = self.model.licenses.as_ref()?;
        let row = l.rows.get(user)?;
        let p1 = match row.entitlement(&l.skus) {
            Entitlement::P1 => Some(true),
            Entitlement::NoP1 | Entitlement::Unlicensed => Some(false),
            Entitlement::Unknown => None,
        };
        Some(License {
            p1,
            licenses: row.label(&l.skus),
            synced: row.synced,
        })
    }

    fn throttling(&self, r: &ThrottleRow) -> Throttling {
        Throttling {
            status: r.status.as_str(),
            block_events: r.block_events,
            last_blocked_at: r.last_blocked_at.map(|t| self.time(t)),
            blocked_until: r.blocked_until.map(|t| self.time(t)),
        }
    }
}

fn entry(code: &str, title: &str, [m, c, f]: [Text; 3], lang: Lang) -> Diagnosis {
    Diagnosis {
        code: code.to_string(),
        title: title.to_string(),
        meaning: m.get(lang).to_string(),
        cause: c.get(lang).to_string(),
        fix: f.get(lang).to_string(),
    }
}

/// The catalog's word on an operation's error: a 33xxx/32000 event ID or an `hr=` code.
fn onprem_code(code: &str, lang: Lang) -> Option<Diagnosis> {
    if let Ok(id) = code.parse::<u32>() {
        let e = catalog::event(EventSource::PasswordResetService, id)?;
        return Some(entry(code, e.name, [e.meaning, e.cause, e.fix], lang));
    }
    let h = catalog::hr_code(code)?;
    Some(entry(h.code, h.name, [h.meaning, h.cause, h.fix], lang))
}

/// A cross-check: code, title, meaning, cause, fix; `{}` in the meaning takes the arguments.
type Check = (&'static str, Text, Text, Text, Text);

const CHECK_NO_P1: Check = (
    "check:synced_without_p1",
    Text {
        en: "Synced user without Entra ID P1",
        ja: "Entra ID P1 のない同期ユーザー",
    },
    Text {
        en: "The user is synced from AD DS and holds no licence that includes Entra ID P1.",
        ja: "このユーザーは AD DS から同期されており、Entra ID P1 を含むライセンスがありません。",
    },
    Text {
        en: "Password writeback for synced users requires Entra ID P1 or P2.",
        ja: "同期ユーザーのパスワード ライトバックには Entra ID P1 または P2 が必要です。",
    },
    Text {
        en: "Assign a licence that includes Entra ID P1 (or P2), then let the user try again.",
        ja: "Entra ID P1 (または P2) を含むライセンスを割り当て、ユーザーに再試行してもらいます。",
    },
);

const CHECK_OUTAGE: Check = (
    "check:writeback_stopped",
    Text {
        en: "Writeback service stopped at that moment",
        ja: "その時刻にライトバック サービスが停止していた",
    },
    Text {
        en: "{} logged the writeback service stopped (31016) at {} and started again (31015) at {}.",
        ja: "{} でライトバック サービスが {} に停止し (31016)、{} に再開しました (31015)。",
    },
    Text {
        en: "While the service is stopped no reset or change can be written to AD DS.",
        ja: "サービス停止中はリセットや変更を AD DS に書き込めません。",
    },
    Text {
        en: "Find why the service stopped (Application log around the 31016); once it runs, ask the user to try again.",
        ja: "停止の原因を調べ (31016 前後のアプリケーション ログ)、稼働後にユーザーに再試行してもらいます。",
    },
);

const CHECK_NO_TRACE: Check = (
    "check:no_onprem_trace",
    Text {
        en: "No on-prem trace while the log covers the time",
        ja: "ログがその時刻を含むのにオンプレミスの記録がない",
    },
    Text {
        en: "The flow reached writeback, the Connect server's log covers that moment, and it logged no operation for it.",
        ja: "フローはライトバック段階に達し、Connect サーバーのログはその時刻を含みますが、対応する操作は記録されていません。",
    },
    Text {
        en: "The request never reached the on-premises agent (agent down, Service Bus or network problem), or another server handled it.",
        ja: "要求がオンプレミス エージェントに届かなかった (エージェント停止、Service Bus やネットワークの問題) か、別のサーバーが処理しました。",
    },
    Text {
        en: "Check the agent: the Entra Connect service and writeback status, and the logs of every Connect server.",
        ja: "エージェントを確認します: Entra Connect サービスとライトバックの状態、すべての Connect サーバーのログ。",
    },
);

const CHECK_BLOCK: Check = (
    "check:blocked_24h",
    Text {
        en: "Blocked for 24 hours",
        ja: "24 時間のブロック",
    },
    Text {
        en: "The user is blocked from self-service password reset until {}.",
        ja: "このユーザーは {} までセルフサービス パスワード リセットをブロックされています。",
    },
    Text {
        en: "Too many attempts or verification codes within the throttling limits.",
        ja: "スロットリングの上限を超える試行または確認コード入力がありました。",
    },
    Text {
        en: "Wait until the block lifts, or have an administrator reset the password now.",
        ja: "ブロック解除を待つか、管理者が今パスワードをリセットします。",
    },
);

fn check(c: Check, lang: Lang, args: &[&str]) -> Diagnosis {
    let (code, title, meaning, cause, fix) = c;
    let mut m = meaning.get(lang).to_string();
    for a in args {
        m = m.replacen("{}", a, 1);
    }
    Diagnosis {
        code: code.to_string(),
        title: title.get(lang).to_string(),
        meaning: m,
        cause: cause.get(lang).to_string(),
        fix: fix.get(lang).to_string(),
    }
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

    #[test]
    fn check_fills_its_arguments_in_order() {
        let d = check(CHECK_OUTAGE, Lang::En, &["CONNECT01", "t1", "t2"]);
        assert!(d.meaning.starts_with("CONNECT01 logged"), "{}", d.meaning);
        assert!(d.meaning.contains("at t1") && d.meaning.contains("at t2"));
    }
}
