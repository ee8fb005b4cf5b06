//! Licence gaps (design §4): users whose SSPR failed for lack of a licence (the audit log alone
//! shows these), synced users who use SSPR — so need writeback — without an Entra ID P1-level
//! licence, and users enabled for SSPR with no licence at all (licence list and registration
//! snapshot needed).

use crate::catalog::{Lang, ReasonCategory};
use crate::model::license::{Entitlement, LicenseRow};
use crate::model::{FastMap, FlowKind, Model, Outcome};
use crate::time::local_time;
use serde::Serialize;
use std::collections::BTreeSet;

/// Why a user is in license_gaps.csv.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GapReason {
    /// A flow failed with a reason of category `license`.
    SsprFailedUnlicensed,
    /// A synced user who used SSPR or is enabled for it, without P1-level entitlement.
    WritebackWithoutP1,
    /// Enabled for SSPR in the registration snapshot, no licence at all.
    SsprEnabledUnlicensed,
}

impl GapReason {
    /// CSV value.
    pub fn as_str(self) -> &'static str {
        match self {
            GapReason::SsprFailedUnlicensed => "sspr_failed_unlicensed",
            GapReason::WritebackWithoutP1 => "writeback_without_p1",
            GapReason::SsprEnabledUnlicensed => "sspr_enabled_unlicensed",
        }
    }
}

/// One row of license_gaps.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GapRow {
    /// User key.
    pub user: String,
    /// Reason.
    pub reason: GapReason,
    /// What shows the gap, in the report language.
    pub evidence: String,
    /// The user's licences (`+`-joined), `Unlicensed`, or empty when no licence list names them.
    pub licenses: String,
}

/// Users per gap reason; a reason the inputs cannot answer is `null`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GapsByReason {
    /// Needs an audit log.
    pub sspr_failed_unlicensed: Option<u64>,
    /// Needs a licence list.
    pub writeback_without_p1: Option<u64>,
    /// Needs a licence list and a registration snapshot.
    pub sspr_enabled_unlicensed: Option<u64>,
}

/// The `license_gaps` section of summary.json.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LicenseGapSummary {
    /// Distinct users with a gap.
    pub users: u64,
    /// Users per reason.
    pub by_reason: GapsByReason,
    /// Users in the licence lists; `null` without one.
    pub license_list_users: Option<u64>,
    /// Users of the licence lists whose P1 entitlement no table can tell.
    pub unrecognised_license_users: Option<u64>,
    /// The products behind those (add a `subscribedSkus` export to resolve them).
    pub unrecognised_products: Vec<String>,
}

/// Licence gap numbers and rows.
#[derive(Debug, Clone)]
pub struct LicenseGaps {
    /// Summary.
    pub summary: LicenseGapSummary,
    /// Rows sorted by user, then reason.
    pub rows: Vec<GapRow>,
}

/// Per-user facts the gap rules look at.
#[derive(Default)]
struct UserFacts {
    license_failures: u64,
    last_license_failure: Option<chrono::DateTime<chrono::Utc>>,
    self_service_flows: u64,
    in_writeback_log: bool,
}

/// Computes licence gaps.
pub fn compute(model: &Model, lang: Lang) -> LicenseGaps {
    // foldhash: the B-tree's string compares were most of this on a large tenant.
    let mut facts: FastMap<&str, UserFacts> = FastMap::default();
    for f in &model.flows {
        let Some(user) = f.user.as_deref() else {
            continue;
        };
        let u = facts.entry(user).or_default();
        if f.kind != FlowKind::AdminReset {
            u.self_service_flows += 1;
        }
        if f.outcome == Outcome::Failed && f.reason_category == Some(ReasonCategory::License) {
            u.license_failures += 1;
            u.last_license_failure = Some(f.started_at);
        }
    }
    if let Some(onprem) = &model.onprem {
        for op in &onprem.ops {
            if let Some(user) = op.user.as_deref() {
                facts.entry(user).or_default().in_writeback_log = true;
            }
        }
    }
    let licenses = model.licenses.as_ref();
    let snapshot = model.registration.snapshot.as_ref();
    let sspr_enabled = |user: &str| {
        snapshot
            .and_then(|s| s.rows.get(user))
            .and_then(|r| r.sspr_enabled)
            == Some(true)
    };
    // Each user once: those of the licence list, then those only the logs name. Their order
    // does not matter: the rows are sorted by user and reason, one row per pair, at the end.
    let mut users: Vec<(&str, Option<UserFacts>, Option<&LicenseRow>)> = Vec::new();
    for (user, row) in licenses.iter().flat_map(|l| &l.rows) {
        users.push((user, facts.remove(user.as_str()), Some(row)));
    }
    users.extend(facts.into_iter().map(|(user, f)| (user, Some(f), None)));

    let mut rows = Vec::new();
    let mut unrecognised_users = 0u64;
    let mut products = BTreeSet::new();
    for (user, f, row) in users {
        let f = f.as_ref();
        // Made for the users with a gap only (a few of a large tenant's list).
        let label = std::cell::OnceCell::new();
        let mut push = |reason: GapReason, evidence: String| {
            let licenses = label.get_or_init(|| match (licenses, row) {
                (Some(l), Some(r)) => r.label(&l.skus),
                _ => String::new(),
            });
            rows.push(GapRow {
                user: user.to_string(),
                reason,
                evidence,
                licenses: licenses.clone(),
            })
        };
        if let Some(f) = f.filter(|f| f.license_failures > 0) {
            let last = f
                .last_license_failure
                .map(|t| local_time(t, model.tz))
                .unwrap_or_default();
            push(
                GapReason::SsprFailedUnlicensed,
                match lang {
                    Lang::En => format!(
                        "{} failed SSPR flow(s) for lack of a licence, last {last}",
                        f.license_failures
                    ),
                    Lang::Ja => format!(
                        "ライセンス不足で失敗した SSPR フロー {} 件 (最終 {last})",
                        f.license_failures
                    ),
                },
            );
        }
        let (Some(l), Some(r)) = (licenses, row) else {
            continue;
        };
        let (entitlement, unknown) = r.assess(&l.skus);
        if entitlement == Entitlement::Unknown {
            unrecognised_users += 1;
        }
        products.extend(unknown);
        let in_log = f.is_some_and(|f| f.in_writeback_log);
        let synced = r.synced == Some(true) || in_log;
        let flows = f.map_or(0, |f| f.self_service_flows);
        let enabled = sspr_enabled(user);
        if synced
            && (flows > 0 || enabled)
            && matches!(entitlement, Entitlement::NoP1 | Entitlement::Unlicensed)
        {
            let mut parts = Vec::new();
            let (synced_text, log_text, flows_text, enabled_text, no_p1) = match lang {
                Lang::En => (
                    "synced (DirSyncEnabled)",
                    "synced (in the writeback log)",
                    format!("{flows} SSPR flow(s) in the period"),
                    "SSPR enabled",
                    "no licence includes Entra ID P1 (AAD_PREMIUM)",
                ),
                Lang::Ja => (
                    "同期ユーザー (DirSyncEnabled)",
                    "同期ユーザー (ライトバックのログに記録)",
                    format!("期間内の SSPR フロー {flows} 件"),
                    "SSPR 有効",
                    "Entra ID P1 (AAD_PREMIUM) を含むライセンスなし",
                ),
            };
            parts.push(if r.synced == Some(true) {
                synced_text.to_string()
            } else {
                log_text.to_string()
            });
            if flows > 0 {
                parts.push(flows_text);
            }
            if enabled {
                parts.push(enabled_text.to_string());
            }
            parts.push(no_p1.to_string());
            push(GapReason::WritebackWithoutP1, parts.join("; "));
        }
        if enabled && entitlement == Entitlement::Unlicensed {
            push(
                GapReason::SsprEnabledUnlicensed,
                match lang {
                    Lang::En => {
                        "SSPR enabled in the registration details; no licence assigned".into()
                    }
                    Lang::Ja => "登録状況で SSPR が有効; ライセンスの割り当てなし".into(),
                },
            );
        }
    }
    rows.sort_by(|a, b| (&a.user, a.reason).cmp(&(&b.user, b.reason)));

    let count = |reason: GapReason| rows.iter().filter(|r| r.reason == reason).count() as u64;
    let distinct: BTreeSet<&str> = rows.iter().map(|r| r.user.as_str()).collect();
    LicenseGaps {
        summary: LicenseGapSummary {
            users: distinct.len() as u64,
            by_reason: GapsByReason {
                sspr_failed_unlicensed: model
                    .audit_span
                    .is_some()
                    .then(|| count(GapReason::SsprFailedUnlicensed)),
                // Who used SSPR or is enabled for it comes from the audit log, the snapshot or
                // the writeback log: with none of them, zero would be a claim nobody checked.
                writeback_without_p1: (model.audit_span.is_some()
                    || snapshot.is_some()
                    || model.onprem.is_some())
                .then_some(licenses)
                .flatten()
                .map(|_| count(GapReason::WritebackWithoutP1)),
                sspr_enabled_unlicensed: (licenses.is_some() && snapshot.is_some())
                    .then(|| count(GapReason::SsprEnabledUnlicensed)),
            },
            license_list_users: licenses.map(|l| l.rows.len() as u64),
            unrecognised_license_users: licenses.map(|_| unrecognised_users),
            unrecognised_products: products.into_iter().collect(),
        },
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::audit::Origin;
    use crate::model::license::{self as lm, LicenseRow, parse_license_cell};
    use crate::model::registration::{Snapshot, SnapshotRow};

    fn origin() -> Origin {
        Origin {
            file: 0,
            location: Default::default(),
        }
    }

    fn license_row(user: &str, synced: bool, cell: &str) -> LicenseRow {
        LicenseRow {
            user: user.into(),
            display_name: None,
            synced: Some(synced),
            licenses: parse_license_cell(cell),
            origin: origin(),
        }
    }

    fn snapshot_row(user: &str, enabled: bool) -> SnapshotRow {
        SnapshotRow {
            user: user.into(),
            display_name: None,
            sspr_registered: Some(false),
            sspr_enabled: Some(enabled),
            sspr_capable: Some(false),
            methods: vec![],
            updated_at: None,
            origin: origin(),
        }
    }

    #[test]
    fn gaps_from_licence_list_and_snapshot() {
        let mut m = Model::empty(chrono_tz::Asia::Tokyo);
        let (licenses, _, _) = lm::assemble(
            vec![
                license_row("e3@x.jp", true, "Microsoft 365 E3"),
                license_row("o365@x.jp", true, "Office 365 E3"),
                license_row("none@x.jp", true, "Unlicensed"),
                license_row("cloud@x.jp", false, "Office 365 E3"),
                license_row("odd@x.jp", true, "Contoso Custom Bundle"),
            ],
            vec![],
        );
        m.licenses = Some(licenses);
        let mut snap = Snapshot::default();
        for (u, enabled) in [
            ("e3@x.jp", true),
            ("o365@x.jp", true),
            ("none@x.jp", true),
            ("cloud@x.jp", true),
            ("odd@x.jp", true),
        ] {
            snap.rows
                .insert(u.into(), std::sync::Arc::new(snapshot_row(u, enabled)));
        }
        m.registration.snapshot = Some(snap);
        let g = compute(&m, Lang::En);
        let got: Vec<(&str, &str)> = g
            .rows
            .iter()
            .map(|r| (r.user.as_str(), r.reason.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("none@x.jp", "writeback_without_p1"),
                ("none@x.jp", "sspr_enabled_unlicensed"),
                ("o365@x.jp", "writeback_without_p1"),
            ]
        );
        assert_eq!(g.rows[2].licenses, "Office 365 E3");
        assert_eq!(g.rows[0].licenses, "Unlicensed");
        assert_eq!(g.summary.users, 2);
        assert_eq!(g.summary.by_reason.writeback_without_p1, Some(2));
        assert_eq!(g.summary.unrecognised_license_users, Some(1));
        assert_eq!(g.summary.unrecognised_products, ["Contoso Custom Bundle"]);
    }

    #[test]
    fn without_licence_list_only_the_audit_log_answers() {
        let g = compute(&Model::empty(chrono_tz::UTC), Lang::En);
        assert_eq!(g.summary.users, 0);
        assert_eq!(g.summary.by_reason.writeback_without_p1, None);
        assert_eq!(g.summary.by_reason.sspr_enabled_unlicensed, None);
        assert_eq!(g.summary.license_list_users, None);
    }
}
