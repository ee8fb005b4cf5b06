//! The story of one flow: its audit records, its on-prem side (the matched operation's events,
//! and what the Connect servers logged nearby even when nothing matched) and, for a failed or
//! blocked flow, a diagnosis — the catalog's meaning, cause and fix of its reason and its
//! on-prem error, and the cross-checks the data allows. `sspr-report trace` tells it for one
//! user or one flow; the page's "Failed and blocked attempts" for the newest failed and
//! blocked flows of the period. Both take it from here, so they never disagree.
//!
//! The structures are serialized as they are by `trace --format json`: their keys are a
//! contract (README "trace"): add, never rename.

use crate::catalog::{self, EventRole, EventSource, Lang, Text};
use crate::correlate::{Correlation, OnpremStatus};
use crate::metrics::throttling::{self, ThrottleRow};
use crate::metrics::writeback::Outage;
use crate::model::license::Entitlement;
use crate::model::onprem::{OnpremEvent, Operation};
use crate::model::{Flow, Model, Outcome};
use crate::time::local_time;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

/// Everything `trace` prints.
#[derive(Debug, Clone, Serialize)]
pub struct Trace {
    /// What was asked, and the user it resolved to.
    pub query: Query,
    /// The period and the zone every time is shown in.
    pub period: PeriodOut,
    /// The user's flows in the period (or the one flow asked for), oldest first.
    pub flows: Vec<FlowTrace>,
    /// Registration events in the period and the snapshot row.
    pub registrations: Registrations,
    /// Licence state; `None` when no licence list names the user.
    pub license: Option<License>,
    /// Throttling state; `None` when the user was neither blocked nor near the threshold.
    pub throttling: Option<Throttling>,
}

/// The question.
#[derive(Debug, Clone, Serialize)]
pub struct Query {
    /// The user (lower-cased UPN) the trace is about.
    pub user: Option<String>,
    /// The CorrelationId asked for (`--flow`), lower-cased.
    pub flow: Option<String>,
}

/// The period.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodOut {
    /// First local day.
    pub from: String,
    /// Last local day.
    pub to: String,
    /// IANA zone of every time.
    pub tz: String,
}

/// One flow.
#[derive(Debug, Clone, Serialize)]
pub struct FlowTrace {
    /// CorrelationId (lower case).
    pub correlation_id: String,
    /// `reset`, `change`, `admin_reset`, `unlock`.
    pub kind: &'static str,
    /// `succeeded`, `failed`, `blocked`, `abandoned`.
    pub outcome: &'static str,
    /// Local time of the first record.
    pub started_at: String,
    /// Reason of the last failure record (failed and blocked flows).
    pub failure_reason: Option<String>,
    /// Audit records, in time order.
    pub records: Vec<RecordOut>,
    /// The on-prem side.
    pub onprem: Onprem,
    /// What went wrong and what to do (failed and blocked flows only).
    pub diagnosis: Vec<Diagnosis>,
}

/// One audit record.
#[derive(Debug, Clone, Serialize)]
pub struct RecordOut {
    /// Local time.
    pub time: String,
    /// LoggedByService.
    pub service: String,
    /// Activity.
    pub activity: String,
    /// `success`, `failure`, …
    pub result: &'static str,
    /// Step text or result reason.
    pub reason: String,
    /// The initiating user's IP address as logged (its `ip-…` pseudonym with
    /// `--pseudonymize`); `None` when the record names none.
    pub ip: Option<String>,
}

/// The on-prem side of a flow.
#[derive(Debug, Clone, Serialize)]
pub struct Onprem {
    /// `matched`, `cloud_only`, `not_checked`, `not_applicable`.
    pub status: &'static str,
    /// The matched operation's events.
    pub events: Vec<EventOut>,
    /// What the Connect servers logged around the flow: outages and connectivity errors.
    pub nearby: Vec<Nearby>,
}

/// One on-prem event.
#[derive(Debug, Clone, Serialize)]
pub struct EventOut {
    /// Local time.
    pub time: String,
    /// Computer.
    pub computer: String,
    /// Event ID.
    pub event_id: u32,
    /// Catalog name.
    pub name: &'static str,
    /// TrackingId in the message.
    pub tracking_id: Option<String>,
    /// The 33xxx/32000 error detail this event is.
    pub error_code: Option<String>,
    /// `hr=` code in the message.
    pub hr: Option<String>,
}

/// Something the Connect servers logged near a flow.
#[derive(Debug, Clone, Serialize)]
pub struct Nearby {
    /// `outage` (31016 until 31015) or `connectivity` (31034, 32002, …).
    pub kind: &'static str,
    /// Computer.
    pub computer: String,
    /// Local time (an outage: its 31016).
    pub time: String,
    /// An outage's 31015; `None` when the log ends first.
    pub until: Option<String>,
    /// Event ID (a connectivity error).
    pub event_id: Option<u32>,
    /// Catalog name.
    pub name: &'static str,
}

/// One line of a diagnosis.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnosis {
    /// Catalog code, event ID, hr code, or `check:<name>` for a cross-check.
    pub code: String,
    /// Short title.
    pub title: String,
    /// What it means.
    pub meaning: String,
    /// Likely cause.
    pub cause: String,
    /// What to do.
    pub fix: String,
}

/// Registrations of the user.
#[derive(Debug, Clone, Serialize)]
pub struct Registrations {
    /// Registration events in the period.
    pub events: Vec<RegistrationOut>,
    /// The newest snapshot row; `None` when no snapshot names the user.
    pub snapshot: Option<SnapshotOut>,
}

/// One registration event.
#[derive(Debug, Clone, Serialize)]
pub struct RegistrationOut {
    /// Local time.
    pub time: String,
    /// Method.
    pub method: String,
}

/// A snapshot row.
#[derive(Debug, Clone, Serialize)]
pub struct SnapshotOut {
    /// Registered for SSPR.
    pub sspr_registered: Option<bool>,
    /// Enabled for SSPR.
    pub sspr_enabled: Option<bool>,
    /// Capable of SSPR.
    pub sspr_capable: Option<bool>,
    /// Registered methods.
    pub methods: Vec<String>,
}

/// Licence state.
#[derive(Debug, Clone, Serialize)]
pub struct License {
    /// Entra ID P1 (or better); `None` when a licence is unknown to every table.
    pub p1: Option<bool>,
    /// The licences as the admin center shows them.
    pub licenses: String,
    /// Synced from AD DS; `None` when the list does not say.
    pub synced: Option<bool>,
}

/// Throttling state.
#[derive(Debug, Clone, Serialize)]
pub struct Throttling {
    /// `throttled` (a block record) or `inferred` (attempts at the threshold).
    pub status: &'static str,
    /// Block records.
    pub block_events: u64,
    /// Local time of the last block.
    pub last_blocked_at: Option<String>,
    /// When the 24-hour block lifts.
    pub blocked_until: Option<String>,
}

/// How many failed and blocked flows the page tells: the newest; the rest are counted.
pub const ATTEMPTS_SHOWN: usize = 200;

/// The newest failed and blocked flows of the period with their stories (the page's "Failed
/// and blocked attempts").
#[derive(Debug, Clone, Default)]
pub struct Attempts {
    /// Newest first (ties by CorrelationId), at most [`ATTEMPTS_SHOWN`].
    pub shown: Vec<Attempt>,
    /// Failed and blocked flows not shown.
    pub left_out: usize,
}

/// One failed or blocked flow and whose it was.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// The user (lower-cased UPN), when the flow names one.
    pub user: Option<String>,
    /// Its story.
    pub flow: FlowTrace,
}

/// The newest `limit` failed and blocked flows, newest first and ties by CorrelationId, each
/// with its story; and how many more there were.
pub fn failed_attempts(teller: &Teller<'_>, limit: usize) -> Attempts {
    let flows = &teller.model.flows;
    let mut failing: Vec<usize> = (0..flows.len())
        .filter(|&i| matches!(flows[i].outcome, Outcome::Failed | Outcome::Blocked))
        .collect();
    failing.sort_by(|&a, &b| {
        let (a, b) = (&flows[a], &flows[b]);
        b.started_at
            .cmp(&a.started_at)
            .then_with(|| a.correlation_id.cmp(&b.correlation_id))
    });
    let left_out = failing.len().saturating_sub(limit);
    let shown = failing
        .into_iter()
        .take(limit)
        .filter_map(|i| {
            Some(Attempt {
                user: flows[i].user.clone(),
                flow: teller.flow(i)?,
            })
        })
        .collect();
    Attempts { shown, left_out }
}

/// What a story is told from: the model, its correlation with the on-prem log, the writeback
/// outages and the throttled users (as `run` computes them), the match window and the language
/// of the diagnosis.
#[derive(Debug, Clone, Copy)]
pub struct Teller<'a> {
    /// The model of the period.
    pub model: &'a Model,
    /// The cloud ⇄ on-prem join; `None` without an on-prem log.
    pub correlation: Option<&'a Correlation>,
    /// Writeback outages (31016 → 31015) overlapping the period.
    pub outages: &'a [Outage],
    /// Throttled and inferred-throttled users.
    pub throttle: &'a [ThrottleRow],
    /// `--match-window`: how near an on-prem event must be to count as nearby.
    pub window: Duration,
    /// Language of the diagnosis.
    pub lang: Lang,
}

impl Teller<'_> {
    fn time(&self, t: DateTime<Utc>) -> String {
        local_time(t, self.model.tz)
    }

    /// The story of the flow at index `fi` of the model; `None` for an index out of range.
    pub fn flow(&self, fi: usize) -> Option<FlowTrace> {
        let f = self.model.flows.get(fi)?;
        let (status, op) = match self.correlation.and_then(|c| c.per_flow.get(fi)) {
            Some((s, oi)) => (*s, oi.and_then(|i| self.model.onprem.as_ref()?.op(i))),
            None => (OnpremStatus::NotChecked, None),
        };
        let events = op.map(|op| self.op_events(op)).unwrap_or_default();
        let nearby = self.nearby(f);
        let diagnosis = match f.outcome {
            Outcome::Failed | Outcome::Blocked => self.diagnose(f, status, op, &events),
            Outcome::Succeeded | Outcome::Abandoned => Vec::new(),
        };
        Some(FlowTrace {
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
                    ip: r.ip.as_deref().map(str::to_string),
                })
                .collect(),
            onprem: Onprem {
                status: status.as_str(),
                events,
                nearby,
            },
            diagnosis,
        })
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
                        // the cheap tests first: every event of the log is looked at
                        || (e.time - outcome_time).abs() <= self.window
                            && e.parsed.upn == op.user
                            && (e.role() == Some(EventRole::ErrorDetail) || e.is_error_detail())))
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
                    e.time >= from
                        && e.time <= to
                        && !**dup
                        && e.role() == Some(EventRole::Connectivity)
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
        out.extend(self.cross_checks(f, status));
        out
    }

    fn cross_checks(&self, f: &Flow, status: OnpremStatus) -> Vec<Diagnosis> {
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
                .and_then(|u| self.throttle.iter().find(|r| r.user == u))
                .and_then(|r| r.blocked_until)
                .unwrap_or(f.ended_at + Duration::hours(throttling::BLOCK_HOURS));
            out.push(check(CHECK_BLOCK, self.lang, &[&self.time(until)]));
        }
        out
    }

    /// The user's registration events in the period and snapshot row.
    pub fn registrations(&self, user: Option<&str>) -> Registrations {
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

    /// The user's licence state; `None` when no licence list names the user.
    pub fn license(&self, user: &str) -> Option<License> {
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

    /// The user's throttling state; `None` when the user was neither blocked nor near the
    /// threshold.
    pub fn throttling(&self, user: &str) -> Option<Throttling> {
        let r = self.throttle.iter().find(|r| r.user == user)?;
        Some(Throttling {
            status: r.status.as_str(),
            block_events: r.block_events,
            last_blocked_at: r.last_blocked_at.map(|t| self.time(t)),
            blocked_until: r.blocked_until.map(|t| self.time(t)),
        })
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
    use crate::model::audit::{AuditRecord, AuditResult, Origin, Relevance, SSPR_SERVICE};
    use chrono::TimeZone;

    /// A self-service change of its own CorrelationId at `minute`, failed or not.
    fn change(minute: i64, id: &str, failed: bool) -> AuditRecord {
        AuditRecord {
            id: None,
            time: Utc
                .with_ymd_and_hms(2026, 10, 3, 9, 0, 0)
                .single()
                .expect("t")
                + Duration::minutes(minute),
            service: SSPR_SERVICE.into(),
            activity: crate::model::audit::activity::CHANGE.into(),
            result: if failed {
                AuditResult::Failure
            } else {
                AuditResult::Success
            },
            reason: if failed {
                "FuzzyPolicyViolationInvalidPassword".into()
            } else {
                "".into()
            },
            correlation_id: id.into(),
            actor_upn: Some("taro@x.jp".into()),
            target_upn: Some("taro@x.jp".into()),
            ip: Some("203.0.113.7".into()),
            onprem_agent: None,
            relevance: Relevance::Flow,
            origin: Origin {
                file: 0,
                location: Default::default(),
            },
        }
    }

    #[test]
    fn failed_attempts_are_the_newest_failures_ties_by_id_the_rest_counted() {
        let records = vec![
            change(0, "a-oldest", true),
            change(5, "b-ok", false),
            change(9, "d-newest", true),
            change(9, "c-newest", true),
            change(7, "e-middle", true),
        ];
        let mut model = Model::empty(chrono_tz::UTC);
        for (i, r) in records.iter().enumerate() {
            let f = crate::model::flow::assemble(&r.correlation_id, &[r], &[i]).expect("flow");
            model.flows.push(f);
        }
        model.records = records;
        let teller = Teller {
            model: &model,
            correlation: None,
            outages: &[],
            throttle: &[],
            window: Duration::minutes(5),
            lang: Lang::En,
        };
        let a = failed_attempts(&teller, 3);
        let ids: Vec<&str> = a
            .shown
            .iter()
            .map(|a| a.flow.correlation_id.as_str())
            .collect();
        assert_eq!(ids, ["c-newest", "d-newest", "e-middle"]);
        assert_eq!(a.left_out, 1, "a-oldest; the success is no attempt to tell");
        assert_eq!(a.shown[0].user.as_deref(), Some("taro@x.jp"));
        let story = &a.shown[0].flow;
        assert_eq!(story.records[0].ip.as_deref(), Some("203.0.113.7"));
        assert_eq!(
            story.diagnosis[0].code,
            "FuzzyPolicyViolationInvalidPassword"
        );
        assert_eq!(failed_attempts(&teller, 10).left_out, 0);
    }

    #[test]
    fn check_fills_its_arguments_in_order() {
        let d = check(CHECK_OUTAGE, Lang::En, &["CONNECT01", "t1", "t2"]);
        assert!(d.meaning.starts_with("CONNECT01 logged"), "{}", d.meaning);
        assert!(d.meaning.contains("at t1") && d.meaning.contains("at t2"));
    }
}
