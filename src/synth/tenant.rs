//! `sspr-report synth`: a synthetic tenant of any size, written in every input format, with
//! `truth.json` — every number the report must give, counted while the data was made (the
//! flows by the generator's own reading of design §4, throttling, registrations and licence
//! gaps by construction, the on-prem side while its logs were built), never by the parsers.
//!
//! Audit records are produced and written one day at a time, so a tenant of millions of rows
//! needs memory for one day's records plus the SSPR-relevant ones, not for the file.

use super::SynthAuditEvent;
use super::audit_formats::{
    self, JsonEnvelope, PortalCsvLayout, PortalCsvOptions, TextEncoding, portal_csv_header,
};
use super::directory_formats::{
    self as dir_formats, LicenseNames, SynthLicensedUser, SynthRegistration,
};
use super::onprem::{self, CloudOutcome, FlowKind, OnpremTruth, Shape, SyncedUser};
use super::onprem_formats::{self, ViewerLang, XmlStyle};
use super::sample::{TenantCloud, products, tenant_cloud};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenantSpec {
    /// People (administrators come on top).
    pub users: usize,
    /// Days from 1 October 2026 (JST), 7 to 92.
    pub days: u32,
    /// Random seed: the same seed gives the same bytes.
    pub seed: u64,
    /// All audit records in one portal CSV (for benchmarks) instead of daily files rotating
    /// through the portal CSV, portal JSON, Graph and Log Analytics formats.
    pub single_csv: bool,
    /// Share of audit rows the report keeps, in tenths of a percent (`None`: three other
    /// services' rows per person and day).
    pub sspr_share_tenths: Option<u16>,
}

/// The options the report must be run with to give the truth.
#[derive(Debug, Clone, Serialize)]
pub struct TruthOptions {
    /// `--from`.
    pub from: String,
    /// `--to`.
    pub to: String,
    /// `--tz` (and `--onprem-tz`).
    pub tz: &'static str,
}

/// Flow counts of one kind.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct KindCounts {
    /// Flows.
    pub flows: u64,
    /// Succeeded.
    pub succeeded: u64,
    /// Failed.
    pub failed: u64,
    /// Blocked.
    pub blocked: u64,
    /// Abandoned.
    pub abandoned: u64,
}

/// The `sspr` section.
#[derive(Debug, Clone, Serialize)]
pub struct SsprTruth {
    /// All kinds together.
    #[serde(flatten)]
    pub counts: KindCounts,
    /// Per kind (kinds with flows only).
    pub by_kind: BTreeMap<&'static str, KindCounts>,
}

/// The `throttling` section.
#[derive(Debug, Clone, Serialize)]
pub struct ThrottlingTruth {
    /// Blocked records.
    pub block_events: u64,
    /// Users with a block record or a flow that ended blocked.
    pub throttled_users: u64,
    /// Users with a burst and no block.
    pub inferred_throttled_users: u64,
}

/// The `registrations` section.
#[derive(Debug, Clone, Serialize)]
pub struct RegistrationTruth {
    /// Registration events.
    pub events: u64,
    /// Users with one.
    pub users: u64,
    /// Users with more than one.
    pub users_with_multiple_events: u64,
    /// (user, method) pairs seen again.
    pub repeat_events: u64,
    /// Users in both snapshots.
    pub snapshot_duplicate_rows: u64,
    /// Users in the snapshots.
    pub snapshot_users: u64,
}

/// The `license_gaps` section.
#[derive(Debug, Clone, Serialize)]
pub struct LicenseTruth {
    /// Distinct users with a gap.
    pub users: u64,
    /// Users per reason.
    pub by_reason: BTreeMap<&'static str, u64>,
}

/// Everything the report of a synthetic tenant must say.
#[derive(Debug, Clone, Serialize)]
pub struct Truth {
    /// How to run the report.
    pub options: TruthOptions,
    /// Audit records written.
    pub audit_records: u64,
    /// Flows.
    pub sspr: SsprTruth,
    /// Throttling.
    pub throttling: ThrottlingTruth,
    /// Registrations.
    pub registrations: RegistrationTruth,
    /// Licence gaps.
    pub license_gaps: LicenseTruth,
    /// Writeback and correlation (the `writeback` and `correlation` sections).
    pub onprem: OnpremTruth,
}

fn jst_day(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 1).unwrap_or_default() + TimeDelta::days(i64::from(day) - 1)
}

/// Start of a JST day as UTC.
fn jst_midnight(day: u32) -> DateTime<Utc> {
    jst_day(day)
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc()
        - TimeDelta::hours(9)
}

/// Writes the daily audit files, or streams everything into one portal CSV.
struct AuditWriter {
    dir: PathBuf,
    single: Option<csv::Writer<BufWriter<fs::File>>>,
    files: Vec<PathBuf>,
    day: u32,
    records: u64,
}

impl AuditWriter {
    fn new(dir: &Path, single_csv: bool) -> io::Result<Self> {
        fs::create_dir_all(dir)?;
        let mut files = Vec::new();
        let single = if single_csv {
            let path = dir.join("AuditLogs.csv");
            let mut file = BufWriter::with_capacity(1 << 20, fs::File::create(&path)?);
            file.write_all(&[0xEF, 0xBB, 0xBF])?;
            let mut w = csv::WriterBuilder::new()
                .quote_style(csv::QuoteStyle::Always)
                .terminator(csv::Terminator::CRLF)
                .from_writer(file);
            w.write_record(portal_csv_header(PortalCsvLayout::Current86, "Date (UTC)"))?;
            files.push(path);
            Some(w)
        } else {
            None
        };
        Ok(AuditWriter {
            dir: dir.to_path_buf(),
            single,
            files,
            day: 0,
            records: 0,
        })
    }

    fn day(&mut self, events: Vec<SynthAuditEvent>) -> io::Result<()> {
        self.day += 1;
        self.records += events.len() as u64;
        if let Some(w) = &mut self.single {
            for e in &events {
                w.write_record(audit_formats::portal_row(e))?;
            }
            return Ok(());
        }
        let date = jst_day(self.day);
        // A folder of daily exports, each day in the format someone happened to use.
        match self.day % 4 {
            1 => {
                let path = self.dir.join(format!("AuditLogs_{date}.csv"));
                audit_formats::write_portal_csv(&events, &path, &PortalCsvOptions::default())?;
                self.files.push(path);
            }
            2 => {
                let path = self.dir.join(format!("AuditLogs_{date}.json"));
                audit_formats::write_portal_json(&events, &path, JsonEnvelope::BareArray)?;
                self.files.push(path);
            }
            3 => {
                let page = events.len().div_ceil(2).max(1);
                self.files.extend(audit_formats::write_graph_pages(
                    &events,
                    &self.dir.join(format!("directoryAudits_{date}")),
                    "directoryAudits",
                    page,
                )?);
            }
            _ => {
                let path = self.dir.join(format!("LogAnalytics_AuditLogs_{date}.csv"));
                audit_formats::write_log_analytics_csv(&events, &path)?;
                self.files.push(path);
            }
        }
        Ok(())
    }

    fn finish(mut self) -> io::Result<Vec<PathBuf>> {
        if let Some(w) = self.single.take() {
            w.into_inner()
                .map_err(|e| io::Error::other(e.to_string()))?
                .flush()?;
        }
        Ok(self.files)
    }
}

/// The generator's own words for registered methods, in the report's vocabulary.
fn method_name(audit_wording: &str) -> &'static str {
    match audit_wording {
        "Mobile Phone SMS" => "Mobile phone",
        "Authenticator App with Code" => "Software OATH token",
        "all required" => "all required",
        _ => "Microsoft Authenticator app",
    }
}

fn registration_truth(cloud: &TenantCloud, snapshot_users: u64) -> RegistrationTruth {
    let mut events: Vec<&(DateTime<Utc>, String, &str)> = cloud.registrations.iter().collect();
    events.sort();
    let mut per_user: BTreeMap<&str, u64> = BTreeMap::new();
    let mut pairs = BTreeSet::new();
    let mut repeats = 0;
    for (_, user, method) in &events {
        *per_user.entry(user.as_str()).or_default() += 1;
        if !pairs.insert((user.as_str(), method_name(method))) {
            repeats += 1;
        }
    }
    RegistrationTruth {
        events: events.len() as u64,
        users: per_user.len() as u64,
        users_with_multiple_events: per_user.values().filter(|n| **n > 1).count() as u64,
        repeat_events: repeats,
        snapshot_duplicate_rows: snapshot_users,
        snapshot_users,
    }
}

fn sspr_truth(relevant: &[SynthAuditEvent], days: u32) -> SsprTruth {
    let (from, to) = (jst_midnight(1), jst_midnight(days + 1));
    let mut all = KindCounts::default();
    let mut by_kind: BTreeMap<&'static str, KindCounts> = BTreeMap::new();
    for f in onprem::cloud_flows(relevant) {
        if f.first < from || f.first >= to {
            continue;
        }
        let kind = match f.kind {
            FlowKind::Reset => "reset",
            FlowKind::Change => "change",
            FlowKind::AdminReset => "admin_reset",
            FlowKind::Unlock => "unlock",
        };
        let k = by_kind.entry(kind).or_default();
        for c in [&mut all, k] {
            c.flows += 1;
            match f.outcome {
                CloudOutcome::Succeeded => c.succeeded += 1,
                CloudOutcome::Failed => c.failed += 1,
                CloudOutcome::Blocked => c.blocked += 1,
                CloudOutcome::Abandoned => c.abandoned += 1,
            }
        }
    }
    SsprTruth {
        counts: all,
        by_kind,
    }
}

fn licence_of(class: &str) -> Vec<dir_formats::SynthLicense> {
    match class {
        "E3" => vec![products::m365_e3()],
        "O365" => vec![products::o365_e3()],
        "STD" => vec![products::business_standard()],
        "E5" => vec![products::m365_e5()],
        "P2" => vec![products::entra_p2()],
        _ => vec![],
    }
}

fn license_truth(cloud: &TenantCloud) -> LicenseTruth {
    let mut rows: BTreeSet<(String, &'static str)> = BTreeSet::new();
    for u in &cloud.license_failed_users {
        rows.insert((u.clone(), "sspr_failed_unlicensed"));
    }
    for p in &cloud.people {
        let synced = p.prov != 'O';
        // Everyone is enabled for SSPR in the snapshot, so synced users without P1 are gaps.
        if synced && matches!(p.licence, "O365" | "NONE") {
            rows.insert((p.upn.to_lowercase(), "writeback_without_p1"));
        }
        if p.licence == "NONE" {
            rows.insert((p.upn.to_lowercase(), "sspr_enabled_unlicensed"));
        }
    }
    let mut by_reason: BTreeMap<&'static str, u64> = BTreeMap::new();
    for reason in [
        "sspr_failed_unlicensed",
        "writeback_without_p1",
        "sspr_enabled_unlicensed",
    ] {
        by_reason.insert(reason, rows.iter().filter(|r| r.1 == reason).count() as u64);
    }
    let users: BTreeSet<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    LicenseTruth {
        users: users.len() as u64,
        by_reason,
    }
}

/// Generates the tenant into `out` — the exports under `out/exports/`, the numbers their report
/// must give in `out/truth.json` — and returns the files written (truth.json last).
pub fn write_tenant(spec: &TenantSpec, out: &Path) -> io::Result<Vec<PathBuf>> {
    if !(7..=92).contains(&spec.days) || spec.users == 0 {
        return Err(io::Error::other(
            "a synthetic tenant needs 7 to 92 days and at least one user",
        ));
    }
    // The exports in one folder (what the report reads), the truth beside it.
    let exports = out.join("exports");
    fs::create_dir_all(&exports)?;
    let mut audit = AuditWriter::new(&exports.join("audit"), spec.single_csv)?;
    let cloud = tenant_cloud(spec, |chunk| audit.day(chunk))?;
    let audit_records = audit.records;
    let mut files = audit.finish()?;

    // Registration details mid-period (Graph) and at the end (portal); the Active users list.
    let people = &cloud.people;
    let snapshot = |updated: DateTime<Utc>| -> Vec<SynthRegistration> {
        people
            .iter()
            .map(|p| SynthRegistration {
                id: p.id.clone(),
                upn: p.upn.clone(),
                display: p.display.clone(),
                is_admin: p.admin,
                sspr_registered: !p.graph_methods.is_empty() && p.graph_methods.len() >= p.required,
                sspr_enabled: true,
                methods: p.graph_methods.clone(),
                updated,
            })
            .collect()
    };
    let mid = jst_midnight(spec.days / 2) + TimeDelta::hours(6);
    let end = jst_midnight(spec.days + 1) + TimeDelta::hours(6);
    let dir = exports.join("directory");
    fs::create_dir_all(&dir)?;
    let path = dir.join(format!(
        "UserRegistrationDetails_{}.json",
        jst_day(spec.days / 2)
    ));
    dir_formats::write_registration_graph(&snapshot(mid), &path)?;
    files.push(path);
    let path = dir.join(format!(
        "UserRegistrationDetails_{}.csv",
        jst_day(spec.days + 1)
    ));
    dir_formats::write_registration_csv(&snapshot(end), &path, TextEncoding::Utf8Bom)?;
    files.push(path);
    let licensed: Vec<SynthLicensedUser> = people
        .iter()
        .map(|p| SynthLicensedUser {
            id: p.id.clone(),
            upn: p.upn.clone(),
            display: p.display.clone(),
            first_last: (p.given.clone(), p.family.clone()),
            department: "営業部",
            city: "東京都千代田区",
            synced: p.prov != 'O',
            licenses: licence_of(p.licence),
            created: jst_midnight(1) - TimeDelta::days(365),
        })
        .collect();
    let path = dir.join(format!("ActiveUsers_{}.csv", jst_day(spec.days + 1)));
    dir_formats::write_active_users(&licensed, &path, LicenseNames::Friendly, "contosojp")?;
    files.push(path);

    // The Connect servers' logs: CONNECT01 as .evtx, CONNECT02 saved twice by Event Viewer —
    // XML for the first half of its log, CSV for the second.
    let users: BTreeMap<String, SyncedUser> = cloud
        .connect_users
        .iter()
        .map(|(upn, id, display)| {
            (
                upn.to_lowercase(),
                SyncedUser {
                    upn: upn.clone(),
                    object_id: id.clone(),
                    display: display.clone(),
                },
            )
        })
        .collect();
    let cloud_only_users = cloud
        .people
        .iter()
        .filter(|p| p.prov == 'O')
        .map(|p| p.upn.to_lowercase())
        .collect();
    let scenario = onprem::build_with(
        &cloud.relevant,
        users,
        &cloud_only_users,
        &Shape::for_days(i64::from(spec.days)),
        spec.seed ^ 0x434f_4e4e,
    );
    let onprem_dir = exports.join("onprem");
    fs::create_dir_all(&onprem_dir)?;
    for (computer, log) in &scenario.logs {
        let name = onprem_formats::short_name(computer);
        if name == "CONNECT01" {
            let path = onprem_dir.join(format!("Application_{name}.evtx"));
            onprem_formats::write_evtx_log(log, &path)?;
            files.push(path);
        } else {
            let half = log.len() / 2;
            let path = onprem_dir.join(format!("{name}_part1.xml"));
            onprem_formats::write_event_xml(&log[..half], &path, XmlStyle::EventViewer)?;
            files.push(path);
            let path = onprem_dir.join(format!("{name}.csv"));
            onprem_formats::write_event_viewer_csv(
                &log[half..],
                &path,
                ViewerLang::En,
                chrono_tz::Asia::Tokyo,
                false,
            )?;
            files.push(path);
        }
    }

    let snapshot_users = cloud.people.len() as u64;
    let throttled: BTreeSet<&String> = cloud
        .block_users
        .iter()
        .chain(&cloud.sms_blocked_users)
        .collect();
    let truth = Truth {
        options: TruthOptions {
            from: jst_day(1).to_string(),
            to: jst_day(spec.days).to_string(),
            tz: "Asia/Tokyo",
        },
        audit_records,
        sspr: sspr_truth(&cloud.relevant, spec.days),
        throttling: ThrottlingTruth {
            block_events: cloud.block_users.len() as u64,
            throttled_users: throttled.len() as u64,
            inferred_throttled_users: cloud.burst_users.len() as u64,
        },
        registrations: registration_truth(&cloud, snapshot_users),
        license_gaps: license_truth(&cloud),
        onprem: scenario.truth,
    };
    let path = out.join("truth.json");
    let mut text = serde_json::to_string_pretty(&truth).map_err(io::Error::other)?;
    text.push('\n');
    fs::write(&path, text)?;
    files.push(path);
    Ok(files)
}
