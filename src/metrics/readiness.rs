//! Readiness: which inputs are absent or incomplete, what each absence costs the report, and
//! where the collect guide (`docs/collect.md`) says how to get it. A report built from part of
//! the exports says so, next to its coverage warnings, and so does `inspect`.
//!
//! Layer: metrics; reads the model and the coverage warnings, never ingest.

use crate::catalog::Lang;
use crate::metrics::coverage::{LogSource, Warning};
use crate::model::Model;
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// One input that is absent or incomplete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// No audit log at all.
    AuditLog,
    /// An audit log that does not cover the whole period.
    AuditPartial,
    /// No Connect server's event log; `writeback_seen`: the audit log shows resets written back.
    OnpremLog {
        /// The audit log shows writeback through Entra Connect.
        writeback_seen: bool,
    },
    /// The Connect servers' logs do not cover the whole period.
    OnpremPartial,
    /// No registration snapshot (User registration details).
    Snapshot,
    /// No licence list.
    LicenseList,
    /// Licence products whose service plans are unknown, and no `subscribedSkus` export.
    SubscribedSkus(Vec<String>),
}

impl Missing {
    /// Stable key (summary.json `input`).
    pub fn input(&self) -> &'static str {
        match self {
            Missing::AuditLog | Missing::AuditPartial => "audit_log",
            Missing::OnpremLog { .. } | Missing::OnpremPartial => "onprem_log",
            Missing::Snapshot => "registration_snapshot",
            Missing::LicenseList => "license_list",
            Missing::SubscribedSkus(_) => "subscribed_skus",
        }
    }

    /// The collect guide's section for it (an anchor of `docs/collect.md` and `collect.ja.md`).
    pub fn anchor(&self) -> &'static str {
        match self {
            Missing::AuditLog => "audit-log",
            Missing::AuditPartial => "retention",
            Missing::OnpremLog { .. } => "onprem-log",
            Missing::OnpremPartial => "onprem-servers",
            Missing::Snapshot => "registrations",
            Missing::LicenseList => "licenses",
            Missing::SubscribedSkus(_) => "subscribed-skus",
        }
    }

    /// Where to read how to get it, in `lang`'s guide.
    pub fn how(&self, lang: Lang) -> String {
        let guide = match lang {
            Lang::En => "docs/collect.md",
            Lang::Ja => "docs/collect.ja.md",
        };
        format!("{guide}#{}", self.anchor())
    }

    /// What its absence costs the report.
    pub fn consequence(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.english(),
            Lang::Ja => self.japanese(),
        }
    }

    fn english(&self) -> String {
        match self {
            Missing::AuditLog => "No audit log: there are no flows, failure rates, throttling or registration events.".into(),
            Missing::AuditPartial => "The audit log does not cover the whole period: flows in the missing time are not counted (audit logs are kept 7 or 30 days: export weekly or archive).".into(),
            Missing::OnpremLog { writeback_seen: true } => "No Entra Connect server log, although the audit log shows resets written back on-premises: writeback results, their errors and outages are unknown, and no failure can be traced to the server.".into(),
            Missing::OnpremLog { writeback_seen: false } => "No Entra Connect server log: writeback results, their errors and outages are unknown (null).".into(),
            Missing::OnpremPartial => "The Connect servers' logs do not cover the whole period: export every server that ran writeback in it (active and staging, before and after a swing migration).".into(),
            Missing::Snapshot => "No registration snapshot (User registration details): who is registered or enabled for SSPR is unknown, and so are SSPR-enabled users without a licence.".into(),
            Missing::LicenseList => "No licence list: licence gaps of synced users without P1 are unknown, and cloud-only users cannot be told apart from synced ones.".into(),
            Missing::SubscribedSkus(products) => format!(
                "Licence products with unknown service plans ({}) and no subscribedSkus export: users holding only these are counted neither for nor against P1.",
                products.join(", ")
            ),
        }
    }

    fn japanese(&self) -> String {
        match self {
            Missing::AuditLog => "監査ログがありません。フロー、失敗率、スロットリング、登録イベントを数えられません。".into(),
            Missing::AuditPartial => "監査ログが期間全体をカバーしていません。欠けている時間のフローは数えられていません (監査ログの保持期間は 7 日または 30 日です。毎週エクスポートするかアーカイブしてください)。".into(),
            Missing::OnpremLog { writeback_seen: true } => "監査ログにはオンプレミスへの書き戻しが記録されていますが、Entra Connect サーバーのログがありません。ライトバックの結果、エラー、停止は不明で、失敗をサーバー側まで追跡できません。".into(),
            Missing::OnpremLog { writeback_seen: false } => "Entra Connect サーバーのログがありません。ライトバックの結果、エラー、停止は不明 (null) です。".into(),
            Missing::OnpremPartial => "Connect サーバーのログが期間全体をカバーしていません。期間中にライトバックを行ったすべてのサーバー (アクティブとステージング、スウィング移行の前後) のログをエクスポートしてください。".into(),
            Missing::Snapshot => "登録情報のスナップショット (ユーザー登録の詳細) がありません。SSPR の登録・有効化の状態と、ライセンスのない SSPR 有効ユーザーは不明です。".into(),
            Missing::LicenseList => "ライセンス一覧がありません。P1 のない同期ユーザーのライセンス不足は不明で、クラウドのみのユーザーと同期ユーザーを区別できません。".into(),
            Missing::SubscribedSkus(products) => format!(
                "サービス プランが不明なライセンス製品 ({}) があり、subscribedSkus のエクスポートがありません。これらだけを持つユーザーは P1 の有無を判定していません。",
                products.join(", ")
            ),
        }
    }
}

impl Serialize for Missing {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_struct("Missing", 3)?;
        m.serialize_field("input", self.input())?;
        m.serialize_field("consequence", &self.english())?;
        m.serialize_field("how", &self.how(Lang::En))?;
        m.end()
    }
}

/// The inputs this run lacks, in a fixed order. `warnings` are the run's coverage warnings;
/// `unknown_products`, licence products whose plans no input or built-in table knows.
pub fn compute(model: &Model, warnings: &[Warning], unknown_products: &[String]) -> Vec<Missing> {
    let mut out = Vec::new();
    let audit_warning = |w: &Warning| {
        matches!(
            w,
            Warning::NoneInside(LogSource::Audit, ..)
                | Warning::StartsLate(LogSource::Audit, ..)
                | Warning::EndsEarly(LogSource::Audit, ..)
                | Warning::Gap(LogSource::Audit, _)
        )
    };
    if model.audit_span.is_none() {
        out.push(Missing::AuditLog);
    } else if warnings.iter().any(audit_warning) {
        out.push(Missing::AuditPartial);
    }
    match &model.onprem {
        None => out.push(Missing::OnpremLog {
            writeback_seen: model.records.iter().any(|r| {
                r.onprem_agent
                    .as_deref()
                    .is_some_and(|a| !a.trim().eq_ignore_ascii_case("none") && !a.trim().is_empty())
            }),
        }),
        Some(_) => {
            let partial = warnings.iter().any(|w| {
                matches!(
                    w,
                    Warning::NoneInside(LogSource::Onprem, ..)
                        | Warning::StartsLate(LogSource::Onprem, ..)
                        | Warning::EndsEarly(LogSource::Onprem, ..)
                )
            });
            if partial {
                out.push(Missing::OnpremPartial);
            }
        }
    }
    if model.registration.snapshot.is_none() {
        out.push(Missing::Snapshot);
    }
    match &model.licenses {
        None => out.push(Missing::LicenseList),
        Some(l) if !unknown_products.is_empty() && l.skus.is_empty() => {
            out.push(Missing::SubscribedSkus(unknown_products.to_vec()));
        }
        Some(_) => {}
    }
    out
}
