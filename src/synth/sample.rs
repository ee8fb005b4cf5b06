//! The bundled sample month and the per-format test fixtures.
//!
//! Both are built from the same pieces: a fictitious hybrid tenant (Contoso Japan, `contoso.co.jp`,
//! synced by Microsoft Entra Connect server `CONNECT01`, a few users from a subsidiary synced by
//! Cloud Sync, a few cloud-only accounts) and generators that emit the audit records Entra writes
//! for each SSPR journey (formats.md §2.2, §2.4), registration (§3.4) and everyday directory noise.
//!
//! Every number of flows by kind × outcome is fixed by construction (the random generator only
//! chooses users, gates, IP addresses and times), so the expectations below are written by hand
//! from the design's definitions (design.md §4), not computed by a parser.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};

use super::audit_formats::{self, JsonEnvelope, PortalCsvLayout, PortalCsvOptions, TextEncoding};
use super::{Actor, Rng, SynthAuditEvent, Target, sort_events};

const SAMPLE_SEED: u64 = 0x5350_5052_2026_1001; // "SSPR" 2026-10-01
const FIXTURE_SEED: u64 = 0x5350_5052_2026_1005;

/// 2026-10-01T00:00:00+09:00 as Unix seconds (Japan has no daylight saving time).
const OCT1_JST: i64 = 1_790_780_400;

const DOMAIN: &str = "contoso.co.jp";

// Services and activities (formats.md §2.1, §3.4).
const SSPR: &str = "Self-service Password Management";
const CORE: &str = "Core Directory";
const AUTH_METHODS: &str = "Authentication Methods";
const SSGM: &str = "Self-service Group Management";
const INVITED: &str = "Invited Users";
const MGMT_UX: &str = "Microsoft Entra Management UX";
const PROGRESS: &str = "Self-service password reset flow activity progress";
const RESET_SELF: &str = "Reset password (self-service)";
const RESET_ADMIN: &str = "Reset password (by admin)";
const CHANGE_SELF: &str = "Change password (self-service)";
const UNLOCK_SELF: &str = "Unlock user account (self-service)";
const BLOCKED: &str = "Blocked from self-service password reset";
const UM: &str = "UserManagement";

const OK: &str = "success";
const FAIL: &str = "failure";

// Result reasons and step texts, verbatim (formats.md §2.2, §2.3).
const R_LICENSE: &str =
    "User does not have a license. You can add a license to the user to resolve this";
/// The trailing space is part of the text as today's logs carry it (formats.md §2.2, LEO).
const R_NOT_REGISTERED: &str = "User's account has insufficient authentication methods defined. Add authentication info to resolve this ";
const R_NOT_ENABLED: &str = "Password reset is not enabled for this user. Enable password reset under the configure tab to resolve this";
const R_NOT_ENABLED_SHORT: &str = "Password reset is not enabled for this user";
const R_ONPREM_UNREACHABLE: &str = "We could not reach your on-premises password reset service. Check your sync machine's event log";
const R_ONPREM_CONN_CODE: &str = "OnPremisesConnectivityError";
const R_ONPREM_PROBLEM: &str = "We encountered a problem while resetting the user's on-premises password. Check your sync machine's event log";
const R_CANCELLED: &str = "User cancelled before passing the required authentication methods";
const R_SMS_BLOCKED: &str =
    "User entered too many invalid SMS verification codes and is blocked for 24 hours";
/// The banned-password wordings the generator writes (a flow refused with one never reaches
/// writeback: `not_applicable`).
pub(super) const R_FUZZY: &str = "FuzzyPolicyViolationInvalidPassword";
pub(super) const R_FUZZY_ALT: &str = "PasswordDoesnotComplyFuzzyPolicy";
/// A reason no catalog knows: the report must keep it and label it unknown.
const R_UNKNOWN: &str =
    "An unexpected error occurred while processing the password reset request. Retry the operation";
const R_RESET_OK: &str = "Successfully completed reset.";
/// Not documented anywhere public; modelled on the reset wording.
const R_UNLOCK_OK: &str = "Successfully completed unlock.";

// Service identities (formats.md §2.4).
const FIM_ID: &str = "1f6b4c3e-8d2a-4e5f-9a0b-7c6d5e4f3a21";
const FIM_UPN: &str = "fim_password_service@support.onmicrosoft.com";
const SYNC_ID: &str = "6e2d9a41-3c7b-4f80-b15e-0a9c8d7e6f52";
const SYNC_UPN: &str = "Sync_CONNECT01_3f9c2e7a1b5d@contosojp.onmicrosoft.com";
const SYNC_NAME: &str = "On-Premises Directory Synchronization Service Account";

const UA_EDGE: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36 Edg/141.0.0.0";
const UA_CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36";
const UA_IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1";
const UA_ANDROID: &str = "Mozilla/5.0 (Linux; Android 15; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Mobile Safari/537.36";

// Registered-method wordings (formats.md §3.4).
const M_SMS: &str = "Mobile Phone SMS";
const M_APP_BOTH: &str = "Authenticator App with Notification and Code";
const M_APP_CODE: &str = "Authenticator App with Code";
const M_APP_NOTIFY: &str = "Authenticator App with Notification";

/// Working days of October 2026 in Japan (12 October is Sports Day).
const WORKDAYS: [u32; 21] = [
    1, 2, 5, 6, 7, 8, 9, 13, 14, 15, 16, 19, 20, 21, 22, 23, 26, 27, 28, 29, 30,
];
const OFFDAYS: [u32; 10] = [3, 4, 10, 11, 12, 17, 18, 24, 25, 31];
/// Local hours at which people reset passwords (mornings dominate: expiry prompts at sign-in).
const HOURS: [u32; 14] = [8, 8, 9, 9, 9, 10, 10, 11, 13, 14, 15, 16, 17, 18];

/// Staff: given name, family name, family and given name in kanji, provisioning (`C` Entra
/// Connect, `S` Cloud Sync, `O` cloud-only), registered gates (`N` app notification, `C` app
/// code, `S` SMS, `V` voice, `E` email, `Q` security questions), gates the policy requires.
const STAFF: [(&str, &str, &str, &str, char, &str, usize); 38] = [
    ("taro", "yamada", "山田", "太郎", 'C', "NS", 1),
    ("hanako", "sato", "佐藤", "花子", 'C', "S", 1),
    ("ichiro", "suzuki", "鈴木", "一郎", 'C', "NC", 1),
    ("yuki", "takahashi", "高橋", "由紀", 'C', "CS", 2),
    ("kenji", "tanaka", "田中", "健二", 'C', "NS", 1),
    ("akiko", "watanabe", "渡辺", "明子", 'C', "SE", 1),
    ("hiroshi", "ito", "伊藤", "博", 'C', "N", 1),
    ("naoko", "nakamura", "中村", "直子", 'C', "", 1),
    ("takeshi", "kobayashi", "小林", "武", 'C', "NS", 1),
    ("megumi", "kato", "加藤", "恵", 'C', "SE", 2),
    ("daisuke", "yoshida", "吉田", "大輔", 'C', "N", 1),
    ("emi", "yamaguchi", "山口", "恵美", 'C', "SQ", 1),
    ("shota", "matsumoto", "松本", "翔太", 'C', "NS", 1),
    ("ayaka", "inoue", "井上", "彩花", 'C', "CE", 1),
    ("kazuki", "kimura", "木村", "和樹", 'C', "NS", 2),
    ("mai", "hayashi", "林", "舞", 'O', "E", 1),
    ("ryo", "shimizu", "清水", "亮", 'C', "N", 1),
    ("sakura", "yamazaki", "山崎", "さくら", 'C', "S", 1),
    ("yuta", "mori", "森", "雄太", 'C', "SV", 1),
    ("misaki", "abe", "阿部", "美咲", 'C', "S", 1),
    ("kenta", "ikeda", "池田", "健太", 'C', "S", 1),
    ("nanami", "hashimoto", "橋本", "七海", 'C', "SN", 1),
    ("takuya", "yamashita", "山下", "拓也", 'C', "NC", 1),
    ("haruka", "ishikawa", "石川", "遥", 'S', "NS", 1),
    ("sho", "nakajima", "中島", "翔", 'C', "N", 1),
    ("yui", "maeda", "前田", "結衣", 'O', "SE", 1),
    ("tsubasa", "fujita", "藤田", "翼", 'S', "N", 1),
    ("rina", "ogawa", "小川", "里奈", 'C', "S", 1),
    ("koji", "goto", "後藤", "浩二", 'C', "NS", 2),
    ("eri", "okada", "岡田", "絵里", 'C', "SE", 1),
    ("makoto", "hasegawa", "長谷川", "誠", 'C', "NC", 2),
    ("aya", "murakami", "村上", "綾", 'C', "N", 1),
    ("jun", "kondo", "近藤", "淳", 'C', "SV", 1),
    ("chihiro", "ishii", "石井", "千尋", 'C', "CS", 1),
    ("satoshi", "saito", "斎藤", "聡", 'C', "NS", 1),
    ("kaori", "sakamoto", "坂本", "香織", 'C', "SQ", 1),
    ("yusuke", "endo", "遠藤", "祐介", 'C', "N", 1),
    ("tomoko", "aoki", "青木", "智子", 'C', "SE", 1),
];

const GROUPS: [&str; 5] = [
    "SG-SSPR-Users",
    "SG-Sales-Tokyo",
    "SG-M365-E3",
    "SG-VPN-Users",
    "全社員",
];
const DEPT_CHANGES: [(&str, &str); 4] = [
    ("営業部", "営業企画部"),
    ("経理部", "財務部"),
    ("情報システム部", "DX推進部"),
    ("総務部", "人事部"),
];
const TITLE_CHANGES: [(&str, &str); 3] = [("主任", "係長"), ("係長", "課長代理"), ("課長", "部長")];
const OFFICE_CHANGES: [(&str, &str); 2] = [("東京本社", "大阪支社"), ("名古屋営業所", "東京本社")];
const GUESTS: [(&str, &str); 3] = [
    ("k.sato@fabrikam.example", "Kenji Sato (Fabrikam)"),
    ("m.lee@adatum.example", "Min Lee (Adatum)"),
    ("a.kimura@northwind.example", "Aoi Kimura (Northwind)"),
];

// Correlation ids of the format fixtures: fixed so that the expectations can name them.
const FX_RESET_OK: &str = "3a4a6596-4581-47ca-a0bc-1411bf30decc";
const FX_RESET_OK_TWO_GATES: &str = "3db123d6-29bd-49ff-90cf-9a9b2d1b0e69";
const FX_RESET_OK_CLOUD: &str = "a9a4b1ae-1861-4e13-85a3-860b06eb62bc";
const FX_RESET_BANNED_RETRY: &str = "c865ca40-0ab1-48f5-86fb-ec4a52e8ce56";
const FX_LICENSE: &str = "4bc7b319-69e4-4035-b539-5bb0c04494b7";
const FX_NOT_REGISTERED: &str = "df8f7bdb-3438-4249-974c-8aac9cd51cb9";
const FX_NOT_ENABLED: &str = "cc74b6be-f5c9-4bc6-9d5d-f19b351fdeb0";
const FX_ONPREM_UNREACHABLE: &str = "09151131-ce33-44df-a2f5-c1606f66a165";
const FX_ONPREM_PROBLEM: &str = "a3890d0f-af88-4e6e-8aaa-6701e58079f7";
const FX_RESET_BANNED: &str = "7217af20-0bb5-44a1-9c8d-b68e33b91932";
const FX_CANCELLED: &str = "f251aecd-262f-4e9f-ad18-cdc818bfa9f2";
const FX_UNKNOWN: &str = "dd272cfd-db56-4841-a961-e4bf26bf1cf8";
const FX_ABANDONED: &str = "a996e68a-130b-4255-9d77-9a947c74ce28";
const FX_SMS_BLOCKED: &str = "c25579bb-9e29-4f34-a928-a15183f44781";
const FX_THROTTLE: [&str; 5] = [
    "8495a44b-daee-42b7-85c7-f78dd5d3022f",
    "5efa20e5-c53b-47f8-9eec-c5ebe6dcace8",
    "a50e800b-54f5-4ec8-921f-c71c597fe39b",
    "8d2694e5-e756-409e-ac94-3fb9e9dff7f7",
    "ccc2e1c6-33fe-4b4e-99e9-fe72534e509a",
];
const FX_BLOCKED: &str = "65cb064b-7231-4429-9dca-29d813d77db4";
const FX_CHANGE_OK: &str = "825fef4d-0e0a-4002-8053-27952314bbca";
const FX_CHANGE_FUZZY: &str = "35e23762-2c18-452a-a44c-159d6304cb48";
const FX_CHANGE_FUZZY_ALT: &str = "9c9a1a74-489e-4d50-9dcc-0d072a451827";
const FX_ADMIN_CONNECT: &str = "7285860f-e5e1-4631-a951-27a81cda4f35";
const FX_ADMIN_CLOUD_ONLY: &str = "64c04b09-b820-4dda-b0bf-3df39aaabe91";
const FX_ADMIN_CLOUD_SYNC: &str = "5bf5fe59-781e-4f9c-a54d-7c91d20b37ed";
const FX_ADMIN_FAILED: &str = "8a16bf13-e923-4557-9a66-a81d2a010e08";
const FX_UNLOCK: &str = "ed28ced8-4e45-4ccd-9faf-a56dd1980059";

/// What the parsers must make of one flow of [`format_fixture_events`] (design.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpectedFlow {
    /// The flow's CorrelationId.
    pub correlation_id: &'static str,
    /// User key: the target user's UPN, lower case.
    pub user: &'static str,
    /// `reset`, `change`, `admin_reset` or `unlock`.
    pub kind: &'static str,
    /// `succeeded`, `failed`, `blocked` or `abandoned`.
    pub outcome: &'static str,
    /// Catalog category of the failure reason (the last failure or block record); empty when the
    /// flow has no failure record.
    pub reason_category: &'static str,
}

// ---------------------------------------------------------------------------------------------
// Public entry points
// ---------------------------------------------------------------------------------------------

/// The bundled sample: one realistic month (October 2026) of a hybrid tenant, split across every
/// audit export format the way an admin's folder of exports looks (consecutive date ranges, one per
/// format, with a one-day overlap between the first two files so duplicates exist).
///
/// About 40 users and 131 flows (reset 60 succeeded / 15 failed / 21 abandoned / 2 blocked,
/// change 14 / 4, admin reset 8 / 2, unlock 5), registrations, and directory noise; sorted by
/// time, then id.
pub fn sample_month_events() -> Vec<SynthAuditEvent> {
    let mut rng = Rng::new(SAMPLE_SEED);
    let dir = Directory::new(&mut rng);
    let mut g = Gen::new(rng);
    sample_stories(&mut g, &dir);
    sample_routine_flows(&mut g, &dir);
    sample_registrations(&mut g, &dir);
    sample_noise(&mut g, &dir);
    g.finish()
}

/// Writes the bundled sample into `dir` (e.g. `fixtures/sample/`), one export format per date
/// range (local dates, JST, as the admin picked them); returns the files written, sorted.
pub fn write_sample(dir: &Path) -> io::Result<Vec<PathBuf>> {
    fs::create_dir_all(dir)?;
    let events = sample_month_events();
    // Inclusive range of local (JST) days of October 2026.
    let part = |first: u32, last: u32| -> Vec<SynthAuditEvent> {
        let (from, to) = (jst(first, 0, 0), jst(last + 1, 0, 0));
        events
            .iter()
            .filter(|e| e.time >= from && e.time < to)
            .cloned()
            .collect()
    };
    let mut files = Vec::new();

    let path = dir.join("AuditLogs_2026-10-01_2026-10-07.csv");
    audit_formats::write_portal_csv(&part(1, 7), &path, &PortalCsvOptions::default())?;
    files.push(path);

    // Starts on the 7th again: the admin re-downloaded the last day of the previous file.
    let path = dir.join("AuditLogs_2026-10-07_2026-10-10.json");
    audit_formats::write_portal_json(&part(7, 10), &path, JsonEnvelope::BareArray)?;
    files.push(path);

    // Three pages, as a paging script with a $top of a third of the range would leave them.
    let graph_part = part(11, 14);
    let page_size = graph_part.len().div_ceil(3).max(1);
    files.extend(audit_formats::write_graph_pages(
        &graph_part,
        &dir.join("graph_directoryAudits_2026-10-11_2026-10-14"),
        "directoryAudits",
        page_size,
    )?);

    let path = dir.join("directoryAudits_2026-10-15_2026-10-17.ndjson");
    audit_formats::write_graph_ndjson(&part(15, 17), &path)?;
    files.push(path);

    let path = dir.join("LogAnalytics_AuditLogs_2026-10-18_2026-10-20.csv");
    audit_formats::write_log_analytics_csv(&part(18, 20), &path)?;
    files.push(path);

    let path = dir.join("LogAnalytics_AuditLogs_2026-10-21_2026-10-23.json");
    audit_formats::write_log_analytics_json(&part(21, 23), &path)?;
    files.push(path);

    let path = dir.join("EventHub_AuditLogs_2026-10-24_2026-10-26.json");
    audit_formats::write_event_hub(&part(24, 26), &path)?;
    files.push(path);

    let path = dir.join("AuditLogs_2026-10-27_2026-10-31.xlsx");
    audit_formats::write_portal_xlsx(&part(27, 31), &path)?;
    files.push(path);

    // Registration details twice (mid-month from Graph, month end from the portal) and the
    // admin center's user list: every user is in both snapshots, the newer row counts.
    let (mid_month, month_end, licensed) = sample_directory();
    let path = dir.join("UserRegistrationDetails_2026-10-15.json");
    super::directory_formats::write_registration_graph(&mid_month, &path)?;
    files.push(path);
    let path = dir.join("UserRegistrationDetails_2026-11-01.csv");
    super::directory_formats::write_registration_csv(&month_end, &path, TextEncoding::Utf8Bom)?;
    files.push(path);
    let path = dir.join("ActiveUsers_2026-11-01.csv");
    super::directory_formats::write_active_users(
        &licensed,
        &path,
        super::directory_formats::LicenseNames::Friendly,
        "contosojp",
    )?;
    files.push(path);

    // The Application logs of the two Entra Connect servers, saved as .evtx.
    for (computer, log) in super::onprem::sample_month_onprem() {
        let name = super::onprem_formats::short_name(&computer);
        let path = dir.join(format!("Application_{name}.evtx"));
        super::onprem_formats::write_evtx_log(&log, &path)?;
        files.push(path);
    }

    files.sort();
    Ok(files)
}

/// Licence products of the sample tenant (ED-SKU ids).
pub mod products {
    use super::super::directory_formats::SynthLicense;

    /// Microsoft 365 E3 (includes Entra ID P1).
    pub fn m365_e3() -> SynthLicense {
        SynthLicense {
            sku_id: "05e9a617-0261-4cee-bb44-138d3ef5d965",
            part_number: "SPE_E3",
            product: "Microsoft 365 E3",
            disabled_plans: vec![],
        }
    }
    /// Microsoft 365 E5 (includes Entra ID P1 and P2).
    pub fn m365_e5() -> SynthLicense {
        SynthLicense {
            sku_id: "06ebc4ee-1bb5-47dd-8120-11324bc54e06",
            part_number: "SPE_E5",
            product: "Microsoft 365 E5",
            disabled_plans: vec![],
        }
    }
    /// Office 365 E3 (no Entra ID P1).
    pub fn o365_e3() -> SynthLicense {
        SynthLicense {
            sku_id: "6fd2c87f-b296-42f0-b197-1e91e994b900",
            part_number: "ENTERPRISEPACK",
            product: "Office 365 E3",
            disabled_plans: vec![],
        }
    }
    /// Enterprise Mobility + Security E3 (includes Entra ID P1; its name holds a `+`).
    pub fn ems_e3() -> SynthLicense {
        SynthLicense {
            sku_id: "efccb6f7-5641-4e0e-bd10-b4976e1bf68e",
            part_number: "EMS",
            product: "Enterprise Mobility + Security E3",
            disabled_plans: vec![],
        }
    }
    /// Microsoft 365 Business Standard: part number `O365_BUSINESS_PREMIUM`, no Entra ID P1.
    pub fn business_standard() -> SynthLicense {
        SynthLicense {
            sku_id: "f245ecc8-75af-4f8e-b61f-27d8114de5f3",
            part_number: "O365_BUSINESS_PREMIUM",
            product: "Microsoft 365 Business Standard",
            disabled_plans: vec![],
        }
    }
    /// Microsoft Entra ID P2.
    pub fn entra_p2() -> SynthLicense {
        SynthLicense {
            sku_id: "84a661c4-e949-4bd2-a560-ed7766fcaf2b",
            part_number: "AAD_PREMIUM_P2",
            product: "Microsoft Entra ID P2",
            disabled_plans: vec![],
        }
    }
    /// A product the built-in table does not know.
    pub fn teams_rooms_pro() -> SynthLicense {
        SynthLicense {
            sku_id: "4cde982a-ede4-4409-9ae6-b003453c8ea6",
            part_number: "Microsoft_Teams_Rooms_Pro",
            product: "Microsoft Teams Rooms Pro",
            disabled_plans: vec![],
        }
    }
}

/// What the sample's registration and licence exports must give (design §4), by hand.
pub mod directory_truth {
    /// Users in each registration snapshot (38 staff, 2 administrators).
    pub const SNAPSHOT_USERS: u64 = 40;
    /// Every user is in both snapshots.
    pub const SNAPSHOT_DUPLICATE_ROWS: u64 = 40;
    /// Everyone by the month-end snapshot (naoko, who had no method, registered her phone on
    /// 2 October; the mid-month snapshot is superseded).
    pub const SSPR_REGISTERED: u64 = 40;
    /// Everyone.
    pub const SSPR_ENABLED: u64 = 40;
    /// Registered and enabled.
    pub const SSPR_CAPABLE: u64 = 40;
    /// Users in the Active users list (the sync account is no person).
    pub const LICENSE_LIST_USERS: u64 = 40;
    /// (user, reason) rows of license_gaps.csv.
    pub const GAPS: [(&str, &str); 4] = [
        ("aya.murakami@contoso.co.jp", "writeback_without_p1"),
        ("kenta.ikeda@contoso.co.jp", "sspr_failed_unlicensed"),
        ("naoko.nakamura@contoso.co.jp", "writeback_without_p1"),
        ("naoko.nakamura@contoso.co.jp", "sspr_enabled_unlicensed"),
    ];
}

/// The sample tenant's registration details of 15 October (Graph) and 1 November (portal), and
/// its Active users list, from the same directory as the audit events.
///
/// Registration state follows each person's gates, plus the methods the audit log shows them
/// registering up to the snapshot's refresh time, against the policy's required count. Licences: Microsoft
/// 365 E3 for staff, with these exceptions — aya has Office 365 E3 only (no P1, synced, uses
/// SSPR), naoko none (synced, SSPR enabled), ryo Office 365 E3 plus EMS E3 (P1 through EMS),
/// the cloud-only mai and yui Business Standard (no P1, but no writeback either), tsubasa E3
/// plus a product no table knows; administrators E5 and Entra ID P2.
pub fn sample_directory() -> (
    Vec<super::directory_formats::SynthRegistration>,
    Vec<super::directory_formats::SynthRegistration>,
    Vec<super::directory_formats::SynthLicensedUser>,
) {
    use super::directory_formats::{SynthLicensedUser, SynthRegistration};
    let mut rng = Rng::new(SAMPLE_SEED);
    let dir = Directory::new(&mut rng);
    let people: Vec<(&Person, bool)> = dir
        .staff
        .iter()
        .map(|p| (p, false))
        .chain(dir.admins.iter().map(|p| (p, true)))
        .collect();
    // Methods registered in the audit log this month, with when.
    let registered: Vec<(String, DateTime<Utc>, &'static str)> = sample_month_events()
        .into_iter()
        .filter(|e| e.activity == "User registered security info" && e.result == OK)
        .filter_map(|e| {
            let method = e
                .reason
                .strip_prefix("User registered ")?
                .trim_end_matches('.');
            let graph = match method {
                M_SMS => "mobilePhone",
                M_APP_CODE => "softwareOneTimePasscode",
                M_APP_BOTH | M_APP_NOTIFY => "microsoftAuthenticatorPush",
                _ => return None,
            };
            let upn = e.targets.first()?.upn.clone()?;
            Some((upn, e.time, graph))
        })
        .collect();
    let graph_methods = |p: &Person, as_of: DateTime<Utc>| -> Vec<&'static str> {
        let mut m: Vec<&'static str> = Vec::new();
        let mut add = |name: &'static str| {
            if !m.contains(&name) {
                m.push(name);
            }
        };
        for g in &p.methods {
            add(match g {
                Gate::AppNotification => "microsoftAuthenticatorPush",
                Gate::AppCode => "softwareOneTimePasscode",
                Gate::Sms | Gate::Voice => "mobilePhone",
                Gate::Email => "email",
                Gate::Questions => "securityQuestion",
            });
        }
        for (upn, t, graph) in &registered {
            if *upn == p.upn && *t <= as_of {
                add(graph);
            }
        }
        m
    };
    let snapshot = |updated: DateTime<Utc>| -> Vec<SynthRegistration> {
        people
            .iter()
            .map(|(p, admin)| {
                let methods = graph_methods(p, updated);
                SynthRegistration {
                    id: p.id.clone(),
                    upn: p.upn.clone(),
                    display: p.display.clone(),
                    is_admin: *admin,
                    sspr_registered: !methods.is_empty() && methods.len() >= p.required,
                    sspr_enabled: true,
                    methods,
                    updated,
                }
            })
            .collect()
    };
    let mid_month = snapshot(jst(15, 6, 12) + ticks(4_183_210));
    let month_end = snapshot(jst(1, 6, 4) + TimeDelta::days(31) + ticks(8_812_004));

    const DEPARTMENTS: [&str; 5] = ["営業部", "経理部", "情報システム部", "総務部", "開発部"];
    const CITIES: [&str; 3] = ["東京都千代田区", "大阪市北区", "名古屋市中区"];
    let mut licensed: Vec<SynthLicensedUser> = people
        .iter()
        .enumerate()
        .map(|(i, (p, admin))| {
            use products::*;
            let licenses = match (p.given, admin) {
                (_, true) if p.prov == Provisioning::CloudOnly => vec![entra_p2()],
                (_, true) => vec![m365_e5()],
                ("aya", _) => vec![o365_e3()],
                ("naoko", _) => vec![],
                ("ryo", _) => vec![o365_e3(), ems_e3()],
                ("tsubasa", _) => vec![m365_e3(), teams_rooms_pro()],
                _ if p.prov == Provisioning::CloudOnly => vec![business_standard()],
                _ => vec![m365_e3()],
            };
            let (first, last) = match p.upn.split_once('@').and_then(|(l, _)| l.split_once('.')) {
                Some((f, l)) => (capitalize(f), capitalize(l)),
                None => (capitalize(p.given), String::new()),
            };
            SynthLicensedUser {
                id: p.id.clone(),
                upn: p.upn.clone(),
                display: p.display.clone(),
                first_last: (first, last),
                department: DEPARTMENTS[i % DEPARTMENTS.len()],
                city: CITIES[i % CITIES.len()],
                synced: p.prov != Provisioning::CloudOnly,
                licenses,
                created: jst(1, 9, 0) - TimeDelta::days(400 + 13 * i as i64),
            }
        })
        .collect();
    // The Connect sync account is a user of the tenant too, and the export lists it.
    licensed.push(SynthLicensedUser {
        id: SYNC_ID.into(),
        upn: SYNC_UPN.into(),
        display: SYNC_NAME.into(),
        first_last: (String::new(), String::new()),
        department: "",
        city: "",
        synced: false,
        licenses: vec![],
        created: jst(1, 9, 0) - TimeDelta::days(900),
    });
    licensed.sort_by(|a, b| a.display.cmp(&b.display));
    (mid_month, month_end, licensed)
}

/// A small scenario (every kind and outcome once or twice, 28 flows, registrations and noise) on
/// Monday 5 October 2026, for the per-format tests; sorted by time, then id.
pub fn format_fixture_events() -> Vec<SynthAuditEvent> {
    use Gate::{AppCode, AppNotification, Email, Sms, Voice};
    let mut rng = Rng::new(FIXTURE_SEED);
    let d = Directory::new(&mut rng);
    let mut g = Gen::new(rng);
    let (helpdesk, global_admin) = (d.helpdesk(), d.global_admin());
    let p = |given: &str| d.person(given);

    let t = g.at(5, 8, 5);

    g.sync_update_user(p("kaori"), t);
    let t = g.at(5, 8, 41);
    g.journey(p("taro"), FX_RESET_OK, t, &[AppNotification], End::Success);
    let t = g.at(5, 8, 55);
    g.journey(
        p("yuki"),
        FX_RESET_OK_TWO_GATES,
        t,
        &[AppCode, Sms],
        End::Success,
    );
    let t = g.at(5, 9, 0);
    g.admin_tap(helpdesk, p("kenta"), t);
    let t = g.at(5, 9, 3);
    g.journey(
        p("hanako"),
        FX_LICENSE,
        t,
        &[Sms],
        End::EarlyFail(R_LICENSE),
    );
    let t = g.at(5, 9, 10);
    g.journey(
        p("naoko"),
        FX_NOT_REGISTERED,
        t,
        &[Sms],
        End::EarlyFail(R_NOT_REGISTERED),
    );
    let t = g.at(5, 9, 18);
    g.journey(
        p("shota"),
        FX_NOT_ENABLED,
        t,
        &[AppNotification],
        End::EarlyFail(R_NOT_ENABLED),
    );
    let t = g.at(5, 9, 26);
    // One failure record only: with two, the "last" one would depend on sub-minute order, which
    // the Excel re-save (minute precision) loses. The sample month has flows with both records.
    let conn = End::AfterPassword {
        final_reason: None,
        progress_reason: Some(R_ONPREM_UNREACHABLE),
    };
    g.journey(
        p("daisuke"),
        FX_ONPREM_UNREACHABLE,
        t,
        &[AppNotification],
        conn,
    );
    let t = g.at(5, 9, 40);
    g.admin_reset(
        helpdesk,
        p("takeshi"),
        FX_ADMIN_FAILED,
        t,
        Some(R_ONPREM_CONN_CODE),
    );
    let t = g.at(5, 9, 52);
    g.journey(p("mai"), FX_RESET_OK_CLOUD, t, &[Email], End::Success);
    let t = g.at(5, 10, 5);
    g.registration(p("tomoko"), t, &[M_APP_BOTH], false);
    let t = g.at(5, 10, 15);
    g.journey(
        p("kenji"),
        FX_RESET_BANNED_RETRY,
        t,
        &[AppNotification],
        End::BannedThenSuccess,
    );
    let t = g.at(5, 10, 20);
    g.add_member(global_admin, &d.groups[3], p("ichiro"), t);
    let t = g.at(5, 10, 32);
    let problem = End::AfterPassword {
        final_reason: None,
        progress_reason: Some(R_ONPREM_PROBLEM),
    };
    g.journey(
        p("makoto"),
        FX_ONPREM_PROBLEM,
        t,
        &[AppNotification, AppCode],
        problem,
    );
    let t = g.at(5, 10, 35);
    g.sync_update_user(p("yusuke"), t);
    let t = g.at(5, 10, 47);
    let banned = End::AfterPassword {
        final_reason: Some(R_FUZZY),
        progress_reason: None,
    };
    g.journey(p("emi"), FX_RESET_BANNED, t, &[Sms], banned);
    let t = g.at(5, 11, 5);
    g.admin_reset(helpdesk, p("hiroshi"), FX_ADMIN_CONNECT, t, None);
    let t = g.at(5, 11, 20);
    g.journey(
        p("ayaka"),
        FX_CANCELLED,
        t,
        &[AppCode],
        End::CancelAtGate(0),
    );
    let t = g.at(5, 11, 30);
    g.registration(p("naoko"), t, &[M_SMS], true);
    let t = g.at(5, 11, 45);
    let unknown = End::AfterPassword {
        final_reason: Some(R_UNKNOWN),
        progress_reason: None,
    };
    g.journey(p("ryo"), FX_UNKNOWN, t, &[AppNotification], unknown);
    let t = g.at(5, 12, 10);
    g.journey(p("sakura"), FX_ABANDONED, t, &[Sms], End::AbandonAtGate(0));
    let t = g.at(5, 12, 40);
    g.ssgm(p("emi"), t);
    // Five phone-verification attempts inside an hour, then the block record (own correlation).
    for (i, (corr, minute)) in FX_THROTTLE.iter().zip([2, 9, 17, 26, 35]).enumerate() {
        let gate = if i % 2 == 0 { Sms } else { Voice };
        let t = g.at(5, 13, minute);
        g.journey(p("yuta"), corr, t, &[gate], End::AbandonAtGate(0));
    }
    let t = g.at(5, 13, 41);
    g.blocked(p("yuta"), FX_BLOCKED, t);
    let t = g.at(5, 13, 5);
    g.sync_update_user(p("aya"), t);
    let t = g.at(5, 13, 50);
    g.consent(&d, p("satoshi"), t);
    let t = g.at(5, 14, 5);
    g.journey(p("misaki"), FX_SMS_BLOCKED, t, &[Sms], End::SmsBlocked);
    let t = g.at(5, 14, 30);
    g.change(p("kazuki"), FX_CHANGE_OK, t, None);
    let t = g.at(5, 14, 50);
    g.change(p("rina"), FX_CHANGE_FUZZY, t, Some(R_FUZZY));
    let t = g.at(5, 15, 2);
    g.change(p("tsubasa"), FX_CHANGE_FUZZY_ALT, t, Some(R_FUZZY_ALT));
    let t = g.at(5, 15, 10);
    g.invite(helpdesk, GUESTS[0], t);
    let t = g.at(5, 15, 20);
    g.admin_reset(global_admin, p("yui"), FX_ADMIN_CLOUD_ONLY, t, None);
    let t = g.at(5, 15, 45);
    g.admin_reset(helpdesk, p("haruka"), FX_ADMIN_CLOUD_SYNC, t, None);
    let t = g.at(5, 16, 10);
    g.journey(p("akiko"), FX_UNLOCK, t, &[Sms], End::Unlock);
    let t = g.at(5, 16, 30);
    g.registration_canceled(p("aya"), t);
    let t = g.at(5, 16, 35);
    g.sync_update_user(p("koji"), t);
    // The same method registered twice on one day (new phone), with the deletion in between.
    let t = g.at(5, 16, 38);
    g.method_deleted(p("tomoko"), M_APP_BOTH, t);
    let t = g.at(5, 16, 40);
    g.registration(p("tomoko"), t, &[M_APP_BOTH], false);
    let t = g.at(5, 17, 5);
    g.legacy_sspr_registration(p("eri"), t);
    let t = g.at(5, 17, 30);
    g.ux_download(global_admin, t, 0);
    for (i, (h, m)) in [(9, 12), (11, 48), (15, 3)].into_iter().enumerate() {
        let t = g.at(5, h, m);
        g.update_device(&d, i, t);
    }
    let t = g.at(5, 2, 15);
    g.sp_credentials(&d, t);
    g.finish()
}

/// Writes [`format_fixture_events`] into `dir` in every export format and encoding variant;
/// returns the files written, sorted.
pub fn write_format_fixtures(dir: &Path) -> io::Result<Vec<PathBuf>> {
    fs::create_dir_all(dir)?;
    let events = format_fixture_events();
    let mut files = Vec::new();
    let csv_variants: [(&str, PortalCsvLayout, &str, TextEncoding, bool); 6] = [
        (
            "portal_current_utf8bom.csv",
            PortalCsvLayout::Current86,
            "Date (UTC)",
            TextEncoding::Utf8Bom,
            false,
        ),
        (
            "portal_legacy_layout_utf8.csv",
            PortalCsvLayout::Legacy,
            "Date (UTC)",
            TextEncoding::Utf8,
            false,
        ),
        (
            "portal_current_date_header_ja.csv",
            PortalCsvLayout::Current86,
            "日付 (UTC)",
            TextEncoding::Utf8Bom,
            false,
        ),
        (
            "portal_current_utf16le.csv",
            PortalCsvLayout::Current86,
            "Date (UTC)",
            TextEncoding::Utf16LeBom,
            false,
        ),
        (
            "portal_current_utf16be.csv",
            PortalCsvLayout::Current86,
            "Date (UTC)",
            TextEncoding::Utf16BeBom,
            false,
        ),
        (
            "portal_excel_resave_shift_jis.csv",
            PortalCsvLayout::Current86,
            "日付 (UTC)",
            TextEncoding::ShiftJis,
            true,
        ),
    ];
    for (name, layout, date_header, encoding, excel_dates) in csv_variants {
        let path = dir.join(name);
        let opts = PortalCsvOptions {
            layout,
            date_header: date_header.to_owned(),
            encoding,
            excel_dates,
        };
        audit_formats::write_portal_csv(&events, &path, &opts)?;
        files.push(path);
    }
    let path = dir.join("portal_download_bare_array.json");
    audit_formats::write_portal_json(&events, &path, JsonEnvelope::BareArray)?;
    files.push(path);
    let path = dir.join("portal_download_value_wrapper.json");
    audit_formats::write_portal_json(&events, &path, JsonEnvelope::ValueWrapper)?;
    files.push(path);
    // Three pages, so that paging is exercised.
    let page_size = events.len().div_ceil(3).max(1);
    files.extend(audit_formats::write_graph_pages(
        &events,
        &dir.join("graph_pages"),
        "directoryAudits",
        page_size,
    )?);
    let path = dir.join("graph_directory_audits.ndjson");
    audit_formats::write_graph_ndjson(&events, &path)?;
    files.push(path);
    let path = dir.join("log_analytics_portal_export.csv");
    audit_formats::write_log_analytics_csv(&events, &path)?;
    files.push(path);
    let path = dir.join("log_analytics_query_rows.json");
    audit_formats::write_log_analytics_json(&events, &path)?;
    files.push(path);
    let path = dir.join("event_hub_diagnostic_PT1H.json");
    audit_formats::write_event_hub(&events, &path)?;
    files.push(path);
    let path = dir.join("portal_csv_saved_as_excel.xlsx");
    audit_formats::write_portal_xlsx(&events, &path)?;
    files.push(path);
    files.sort();
    Ok(files)
}

/// What the parsers must make of [`format_fixture_events`], written by hand from design.md §4.
///
/// Categories are the catalog's ([`crate::catalog::ReasonCategory`]): "We encountered a problem
/// while resetting the user's on-premises password…" is `onprem_config`, "User cancelled before
/// passing the required authentication methods" is `canceled`. A succeeded flow that contains a
/// failure record keeps that failure's category (design: "the reason of the last failure
/// record"), and a block record (which has no reason text) counts as `throttled`.
pub fn format_fixture_expected_flows() -> Vec<ExpectedFlow> {
    let f = |correlation_id, user, kind, outcome, reason_category| ExpectedFlow {
        correlation_id,
        user,
        kind,
        outcome,
        reason_category,
    };
    let mut v = vec![
        f(
            FX_RESET_OK,
            "taro.yamada@contoso.co.jp",
            "reset",
            "succeeded",
            "",
        ),
        f(
            FX_RESET_OK_TWO_GATES,
            "yuki.takahashi@contoso.co.jp",
            "reset",
            "succeeded",
            "",
        ),
        f(
            FX_RESET_OK_CLOUD,
            "mai.hayashi@contoso.co.jp",
            "reset",
            "succeeded",
            "",
        ),
        f(
            FX_RESET_BANNED_RETRY,
            "kenji.tanaka@contoso.co.jp",
            "reset",
            "succeeded",
            // A failure reason belongs to failed and blocked flows only: the banned first
            // password of this retry does not make the successful reset a failure.
            "",
        ),
        f(
            FX_LICENSE,
            "hanako.sato@contoso.co.jp",
            "reset",
            "failed",
            "license",
        ),
        f(
            FX_NOT_REGISTERED,
            "naoko.nakamura@contoso.co.jp",
            "reset",
            "failed",
            "not_registered",
        ),
        f(
            FX_NOT_ENABLED,
            "shota.matsumoto@contoso.co.jp",
            "reset",
            "failed",
            "not_enabled",
        ),
        f(
            FX_ONPREM_UNREACHABLE,
            "daisuke.yoshida@contoso.co.jp",
            "reset",
            "failed",
            "onprem_connectivity",
        ),
        f(
            FX_ONPREM_PROBLEM,
            "makoto.hasegawa@contoso.co.jp",
            "reset",
            "failed",
            "onprem_config",
        ),
        f(
            FX_RESET_BANNED,
            "emi.yamaguchi@contoso.co.jp",
            "reset",
            "failed",
            "banned_password",
        ),
        f(
            FX_CANCELLED,
            "ayaka.inoue@contoso.co.jp",
            "reset",
            "failed",
            "canceled",
        ),
        f(
            FX_UNKNOWN,
            "ryo.shimizu@contoso.co.jp",
            "reset",
            "failed",
            "other",
        ),
        f(
            FX_ABANDONED,
            "sakura.yamazaki@contoso.co.jp",
            "reset",
            "abandoned",
            "",
        ),
        f(
            FX_SMS_BLOCKED,
            "misaki.abe@contoso.co.jp",
            "reset",
            "blocked",
            "throttled",
        ),
        f(
            FX_BLOCKED,
            "yuta.mori@contoso.co.jp",
            "reset",
            "blocked",
            "throttled",
        ),
        f(
            FX_CHANGE_OK,
            "kazuki.kimura@contoso.co.jp",
            "change",
            "succeeded",
            "",
        ),
        f(
            FX_CHANGE_FUZZY,
            "rina.ogawa@contoso.co.jp",
            "change",
            "failed",
            "banned_password",
        ),
        f(
            FX_CHANGE_FUZZY_ALT,
            "tsubasa.fujita@contoso.co.jp",
            "change",
            "failed",
            "banned_password",
        ),
        f(
            FX_ADMIN_CONNECT,
            "hiroshi.ito@contoso.co.jp",
            "admin_reset",
            "succeeded",
            "",
        ),
        f(
            FX_ADMIN_CLOUD_ONLY,
            "yui.maeda@contoso.co.jp",
            "admin_reset",
            "succeeded",
            "",
        ),
        f(
            FX_ADMIN_CLOUD_SYNC,
            "haruka.ishikawa@contoso.co.jp",
            "admin_reset",
            "succeeded",
            "",
        ),
        f(
            FX_ADMIN_FAILED,
            "takeshi.kobayashi@contoso.co.jp",
            "admin_reset",
            "failed",
            "onprem_connectivity",
        ),
        f(
            FX_UNLOCK,
            "akiko.watanabe@contoso.co.jp",
            "unlock",
            "succeeded",
            "",
        ),
    ];
    v.extend(
        FX_THROTTLE
            .iter()
            .map(|corr| f(*corr, "yuta.mori@contoso.co.jp", "reset", "abandoned", "")),
    );
    v.sort_by_key(|e| e.correlation_id);
    v
}

// ---------------------------------------------------------------------------------------------
// The sample month
// ---------------------------------------------------------------------------------------------

/// Scripted storylines: each failure family with its cause and, where a real admin would fix it,
/// the fix and the later success.
fn sample_stories(g: &mut Gen, d: &Directory) {
    use Gate::{Sms, Voice};
    let (helpdesk, global_admin) = (d.helpdesk(), d.global_admin());

    // New hire without a licence: provisioned, TAP, registers, fails twice, licence, succeeds.
    let kenta = d.person("kenta");
    let t = g.at(1, 7, 35);
    g.add_user_sync(kenta, t);
    let t = g.at(1, 10, 30);
    g.admin_tap(helpdesk, kenta, t);
    let t = g.at(1, 11, 2);
    g.registration(kenta, t, &[M_SMS], true);
    g.reset_at(kenta, 5, 9, 12, End::EarlyFail(R_LICENSE));
    g.reset_at(kenta, 5, 9, 16, End::EarlyFail(R_LICENSE));
    let t = g.at(5, 14, 20);
    g.change_license(helpdesk, kenta, t);
    g.reset_at(kenta, 6, 9, 5, End::Success);

    // Not registered: fails, registers the same afternoon, succeeds a week later.
    let nanami = d.person("nanami");
    g.reset_at(nanami, 2, 10, 40, End::EarlyFail(R_NOT_REGISTERED));
    let t = g.at(2, 13, 10);
    g.registration(nanami, t, &[M_SMS, M_APP_BOTH], true);
    g.reset_at(nanami, 8, 8, 55, End::Success);

    // Not in the SSPR group: two failures (long and short wording), added to the group, success.
    let sho = d.person("sho");
    g.reset_at(sho, 13, 9, 20, End::EarlyFail(R_NOT_ENABLED));
    g.reset_at(sho, 13, 9, 31, End::EarlyFail(R_NOT_ENABLED_SHORT));
    let t = g.at(13, 11, 2);
    g.add_member(global_admin, &d.groups[0], sho, t);
    g.reset_at(sho, 15, 10, 15, End::Success);

    // Writeback outage on the 14th, 09:40-10:50 JST: resets and an admin reset fail, then succeed.
    let conn_both = End::AfterPassword {
        final_reason: Some(R_ONPREM_CONN_CODE),
        progress_reason: Some(R_ONPREM_UNREACHABLE),
    };
    let conn_code = End::AfterPassword {
        final_reason: Some(R_ONPREM_CONN_CODE),
        progress_reason: None,
    };
    let (daisuke, megumi, chihiro, takeshi) = (
        d.person("daisuke"),
        d.person("megumi"),
        d.person("chihiro"),
        d.person("takeshi"),
    );
    g.reset_at(daisuke, 14, 9, 44, conn_both);
    g.reset_at(megumi, 14, 9, 58, conn_both);
    g.reset_at(chihiro, 14, 10, 21, conn_code);
    let (c, t) = (g.corr(), g.at(14, 10, 30));
    g.admin_reset(helpdesk, takeshi, &c, t, Some(R_ONPREM_UNREACHABLE));
    g.reset_at(daisuke, 14, 11, 5, End::Success);
    let (c, t) = (g.corr(), g.at(14, 11, 12));
    g.admin_reset(helpdesk, takeshi, &c, t, None);
    g.reset_at(megumi, 14, 11, 20, End::Success);

    // A member of a protected AD group: writeback is refused on-premises, also for the helpdesk.
    let makoto = d.person("makoto");
    let problem = End::AfterPassword {
        final_reason: None,
        progress_reason: Some(R_ONPREM_PROBLEM),
    };
    g.reset_at(makoto, 20, 10, 5, problem);
    g.reset_at(makoto, 20, 10, 12, problem);
    let (c, t) = (g.corr(), g.at(20, 10, 40));
    g.admin_reset(helpdesk, makoto, &c, t, Some(R_ONPREM_PROBLEM));

    // Banned passwords: two give up, three try again in the same session and succeed.
    let banned = End::AfterPassword {
        final_reason: Some(R_FUZZY),
        progress_reason: None,
    };
    g.reset_at(d.person("emi"), 7, 17, 40, banned);
    g.reset_at(d.person("aya"), 22, 13, 15, banned);
    g.reset_at(d.person("ichiro"), 1, 9, 30, End::BannedThenSuccess);
    g.reset_at(d.person("takuya"), 16, 10, 10, End::BannedThenSuccess);
    g.reset_at(d.person("satoshi"), 28, 9, 20, End::BannedThenSuccess);

    // Cancelled before passing the gates, and one reason no catalog knows.
    g.reset_at(d.person("ayaka"), 9, 12, 30, End::CancelAtGate(0));
    g.reset_at(d.person("eri"), 26, 16, 45, End::CancelAtGate(0));
    let unknown = End::AfterPassword {
        final_reason: Some(R_UNKNOWN),
        progress_reason: None,
    };
    g.reset_at(d.person("ryo"), 23, 11, 50, unknown);

    // Throttled: five phone attempts within 34 minutes, the block record, success next day.
    let yuta = d.person("yuta");
    for (i, minute) in [(8, 50), (8, 58), (9, 7), (9, 15), (9, 24)]
        .into_iter()
        .enumerate()
    {
        let gate = if i % 2 == 0 { Sms } else { Voice };
        let (c, t) = (g.corr(), g.at(21, minute.0, minute.1));
        g.journey(yuta, &c, t, &[gate], End::AbandonAtGate(0));
    }
    let (c, t) = (g.corr(), g.at(21, 9, 31));
    g.blocked(yuta, &c, t);
    let (c, t) = (g.corr(), g.at(22, 10, 40));
    g.journey(yuta, &c, t, &[Sms], End::Success);

    // Too many wrong SMS codes: blocked inside the flow, success after 24 hours.
    let rina = d.person("rina");
    let (c, t) = (g.corr(), g.at(8, 14, 5));
    g.journey(rina, &c, t, &[Sms], End::SmsBlocked);
    g.reset_at(rina, 9, 15, 30, End::Success);

    // Six attempts in 40 minutes and no block record (the export lost it), then the helpdesk.
    let jun = d.person("jun");
    let attempts: [((u32, u32), Gate, End); 6] = [
        ((13, 5), Sms, End::AbandonAtGate(0)),
        ((13, 11), Sms, End::AbandonAtOptions),
        ((13, 18), Voice, End::AbandonAtGate(0)),
        ((13, 26), Sms, End::AbandonAtGate(0)),
        ((13, 33), Voice, End::AbandonAtOptions),
        ((13, 44), Voice, End::AbandonAtGate(0)),
    ];
    for ((h, m), gate, end) in attempts {
        let (c, t) = (g.corr(), g.at(27, h, m));
        g.journey(jun, &c, t, &[gate], end);
    }
    let (c, t) = (g.corr(), g.at(27, 14, 10));
    g.admin_reset(helpdesk, jun, &c, t, None);
}

/// Everyday flows spread over the month: 50 resets, 10 abandoned, 14 changes (4 of them after a
/// banned-password failure), 6 admin resets, 5 unlocks.
fn sample_routine_flows(g: &mut Gen, d: &Directory) {
    // Users whose storyline would be contradicted by a routine flow are left out.
    const STORY_ONLY: [&str; 8] = [
        "kenta", "nanami", "sho", "naoko", "yuta", "rina", "jun", "makoto",
    ];
    let pool: Vec<&Person> = d
        .staff
        .iter()
        .filter(|p| !STORY_ONLY.contains(&p.given))
        .collect();
    let connect: Vec<&Person> = pool
        .iter()
        .copied()
        .filter(|p| p.prov == Provisioning::Connect)
        .collect();

    for _ in 0..50 {
        let p = *g.rng.pick(&pool);
        let t = g.routine_time();
        g.reset(p, t, End::Success);
    }
    let abandon_ends = [
        End::AbandonAtOptions,
        End::AbandonAtGate(0),
        End::AbandonBeforePassword,
    ];
    for i in 0..10 {
        let p = *g.rng.pick(&pool);
        let t = g.routine_time();
        g.reset(p, t, abandon_ends[i % abandon_ends.len()]);
    }
    for _ in 0..10 {
        let p = *g.rng.pick(&pool);
        let (c, t) = (g.corr(), g.routine_time());
        g.change(p, &c, t, None);
    }
    for reason in [R_FUZZY, R_FUZZY_ALT, R_FUZZY, R_FUZZY_ALT] {
        let p = *g.rng.pick(&pool);
        let (c, t) = (g.corr(), g.routine_time());
        let t = g.change(p, &c, t, Some(reason));
        // A stronger password a few minutes later.
        let (c, t) = (g.corr(), g.later(t, 120_000, 600_000));
        g.change(p, &c, t, None);
    }
    let cloud_sync: Vec<&Person> = pool
        .iter()
        .copied()
        .filter(|p| p.prov == Provisioning::CloudSync)
        .collect();
    let cloud_only: Vec<&Person> = pool
        .iter()
        .copied()
        .filter(|p| p.prov == Provisioning::CloudOnly)
        .collect();
    let admin_targets = [
        &connect,
        &connect,
        &cloud_sync,
        &connect,
        &cloud_only,
        &connect,
    ];
    for (i, targets) in admin_targets.into_iter().enumerate() {
        let admin = if i == 4 {
            d.global_admin()
        } else {
            d.helpdesk()
        };
        let p = *g.rng.pick(targets);
        let (c, t) = (g.corr(), g.routine_time());
        g.admin_reset(admin, p, &c, t, None);
    }
    for _ in 0..5 {
        let p = *g.rng.pick(&connect);
        let t = g.routine_time();
        g.reset(p, t, End::Unlock);
    }
}

/// Registration events beyond the storylines: routine sessions, a re-registration of the same
/// method on one day, a cancelled registration, an admin-registered TAP and two legacy
/// SSPR-portal registrations.
fn sample_registrations(g: &mut Gen, d: &Directory) {
    const METHOD_SETS: [&[&str]; 5] = [
        &[M_APP_BOTH],
        &[M_SMS],
        &[M_APP_BOTH, M_SMS],
        &[M_APP_CODE],
        &[M_APP_NOTIFY, M_SMS],
    ];
    for i in 0..9 {
        let p = &d.staff[(i * 7 + 3) % d.staff.len()];
        let day = *g.rng.pick(&WORKDAYS);
        let hour = *g.rng.pick(&[10, 11, 13, 14, 16]);
        let minute = g.rng.below(60) as u32;
        let t = g.at(day, hour, minute);
        let all = g.rng.chance(0.6);
        g.registration(p, t, METHOD_SETS[i % METHOD_SETS.len()], all);
    }
    let tomoko = d.person("tomoko");
    let t = g.at(19, 10, 5);
    g.registration(tomoko, t, &[M_APP_BOTH], false);
    let t = g.at(19, 16, 38);
    g.method_deleted(tomoko, M_APP_BOTH, t);
    let t = g.at(19, 16, 40);
    g.registration(tomoko, t, &[M_APP_BOTH], false);

    let t = g.at(16, 12, 0);
    g.registration_canceled(d.person("aya"), t);
    let t = g.at(22, 9, 40);
    g.admin_tap(d.helpdesk(), d.person("kaori"), t);
    let t = g.at(5, 12, 20);
    g.legacy_sspr_registration(d.person("eri"), t);
    let t = g.at(20, 17, 5);
    g.legacy_sspr_registration(d.person("koji"), t);
}

/// Directory noise: most rows of a real audit log have nothing to do with SSPR.
fn sample_noise(g: &mut Gen, d: &Directory) {
    for day in 1..=31u32 {
        let workday = WORKDAYS.contains(&day);
        // Connect exports attribute changes every 30 minutes, day and night.
        let sync_changes = if workday {
            g.rng.range(14, 22)
        } else {
            g.rng.range(8, 11)
        };
        for n in 0..sync_changes {
            let p = *g.rng.pick(
                &d.staff
                    .iter()
                    .filter(|p| p.prov == Provisioning::Connect)
                    .collect::<Vec<_>>(),
            );
            // The first eight land one in each three-hour block: some attribute change is
            // exported around the clock, so a quiet night is not a hole in the log.
            let hour = if n < 8 {
                n as u32 * 3 + g.rng.below(3) as u32
            } else {
                g.rng.below(24) as u32
            };
            let minute = (if g.rng.chance(0.5) { 5 } else { 35 }) + g.rng.below(3) as u32;
            let t = g.at(day, hour, minute);
            g.sync_update_user(p, t);
        }
        let devices = if workday {
            g.rng.range(8, 12)
        } else {
            g.rng.range(2, 4)
        };
        for _ in 0..devices {
            let i = g.rng.below(d.devices.len() as u64) as usize;
            let t = g.business_time(day);
            g.update_device(d, i, t);
        }
        if !workday {
            continue;
        }
        for _ in 0..g.rng.range(1, 3) {
            let p = *g.rng.pick(&d.staff.iter().collect::<Vec<_>>());
            let t = g.business_time(day);
            g.ssgm(p, t);
        }
        for _ in 0..g.rng.range(0, 2) {
            let p = *g.rng.pick(&d.staff.iter().collect::<Vec<_>>());
            let t = g.business_time(day);
            g.admin_update_user(d.helpdesk(), p, t);
        }
        for _ in 0..g.rng.range(0, 2) {
            let p = *g.rng.pick(&d.staff.iter().collect::<Vec<_>>());
            let group = g.rng.below(d.groups.len() as u64 - 1) as usize + 1; // not the SSPR group
            let t = g.business_time(day);
            g.add_member(d.global_admin(), &d.groups[group], p, t);
        }
        if g.rng.chance(0.3) {
            let p = *g.rng.pick(&d.staff.iter().collect::<Vec<_>>());
            let t = g.business_time(day);
            g.consent(d, p, t);
        }
        if g.rng.chance(0.4) {
            let t = g.business_time(day);
            if g.rng.chance(0.5) {
                g.update_application(d.global_admin(), d, t)
            } else {
                g.sp_credentials(d, t)
            }
        }
    }
    // Guests invited and redeemed, and the admin's report downloads.
    for (i, (day, guest)) in [(6, GUESTS[0]), (16, GUESTS[1]), (22, GUESTS[2])]
        .into_iter()
        .enumerate()
    {
        let t = g.at(day, 15, 10 + 7 * i as u32);
        g.invite(d.helpdesk(), guest, t);
        let t = g.at(day + 1, 10, 2 + 11 * i as u32);
        g.redeem(guest, t);
    }
    for (day, which) in [(1, 0), (1, 1), (30, 0), (30, 1)] {
        let t = g.at(day, 17, 30 + which as u32 * 4);
        g.ux_download(d.global_admin(), t, which);
    }
}

// ---------------------------------------------------------------------------------------------
// The tenant
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Provisioning {
    /// Synced by Microsoft Entra Connect (password writeback and hash sync through CONNECT01).
    Connect,
    /// Synced by Cloud Sync (writeback through the provisioning agent).
    CloudSync,
    /// Created in the cloud; no writeback.
    CloudOnly,
}

impl Provisioning {
    /// `OnPremisesAgent` of an admin reset (formats.md §2.1).
    fn agent(self) -> &'static str {
        match self {
            Provisioning::Connect => "Microsoft Entra Connect",
            Provisioning::CloudSync => "CloudSync",
            Provisioning::CloudOnly => "None",
        }
    }
}

/// An SSPR verification gate ("verification option").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    AppNotification,
    AppCode,
    Sms,
    Voice,
    Email,
    Questions,
}

impl Gate {
    fn from_code(c: char) -> Option<Gate> {
        Some(match c {
            'N' => Gate::AppNotification,
            'C' => Gate::AppCode,
            'S' => Gate::Sms,
            'V' => Gate::Voice,
            'E' => Gate::Email,
            'Q' => Gate::Questions,
            _ => return None,
        })
    }

    /// The gate's name inside the step texts (formats.md §2.2).
    fn step(self) -> &'static str {
        match self {
            Gate::AppNotification => "mobile app notification",
            Gate::AppCode => "mobile app code",
            Gate::Sms => "mobile SMS",
            Gate::Voice => "mobile voice call",
            Gate::Email => "email",
            Gate::Questions => "security questions",
        }
    }

    /// How long a person takes to pass the gate, in seconds (a push is quick, an e-mail is slow).
    fn seconds(self) -> (u64, u64) {
        match self {
            Gate::AppNotification => (6, 25),
            Gate::AppCode => (12, 40),
            Gate::Sms => (20, 75),
            Gate::Voice => (25, 60),
            Gate::Email => (30, 120),
            Gate::Questions => (25, 90),
        }
    }
}

#[derive(Debug, Clone)]
struct Person {
    given: &'static str,
    id: String,
    upn: String,
    /// The user id as the person types it on the SSPR page (some capitalise it).
    typed: String,
    display: String,
    home_ip: String,
    office_ip: &'static str,
    prov: Provisioning,
    methods: Vec<Gate>,
    required: usize,
}

#[derive(Debug, Clone)]
struct App {
    name: &'static str,
    app_id: String,
    sp_id: String,
}

/// The fictitious tenant: staff, two administrators, groups, apps and devices.
struct Directory {
    staff: Vec<Person>,
    admins: Vec<Person>,
    groups: Vec<(String, String)>,
    apps: Vec<App>,
    devices: Vec<(String, String)>,
}

impl Directory {
    fn new(rng: &mut Rng) -> Self {
        let staff = STAFF
            .iter()
            .enumerate()
            .map(
                |(i, &(given, family, kanji_family, kanji_given, prov, methods, required))| {
                    let upn = format!("{given}.{family}@{DOMAIN}");
                    // Most display names are kanji, as Japanese HR systems export them.
                    let display = if i % 5 < 3 {
                        format!("{kanji_family} {kanji_given}")
                    } else {
                        format!("{} {}", capitalize(family), capitalize(given))
                    };
                    let typed = if i % 7 == 3 {
                        format!("{}.{}@{DOMAIN}", capitalize(given), capitalize(family))
                    } else {
                        upn.clone()
                    };
                    Person {
                        given,
                        id: rng.guid(),
                        upn,
                        typed,
                        display,
                        home_ip: format!("198.51.100.{}", 21 + i),
                        office_ip: [
                            "203.0.113.10",
                            "203.0.113.10",
                            "203.0.113.11",
                            "203.0.113.40",
                        ][i % 4],
                        prov: match prov {
                            'S' => Provisioning::CloudSync,
                            'O' => Provisioning::CloudOnly,
                            _ => Provisioning::Connect,
                        },
                        methods: methods.chars().filter_map(Gate::from_code).collect(),
                        required,
                    }
                },
            )
            .collect();
        let admin = |rng: &mut Rng, given, upn: &str, display: &str, prov| Person {
            given,
            id: rng.guid(),
            upn: upn.to_owned(),
            typed: upn.to_owned(),
            display: display.to_owned(),
            home_ip: "198.51.100.200".to_owned(),
            office_ip: "203.0.113.10",
            prov,
            methods: vec![Gate::AppNotification, Gate::Sms],
            required: 2,
        };
        let admins = vec![
            admin(
                rng,
                "satoko",
                "satoko.nishida@contoso.co.jp",
                "西田 聡子",
                Provisioning::Connect,
            ),
            admin(
                rng,
                "ken",
                "adm.ogura@contosojp.onmicrosoft.com",
                "小椋 健 (管理者)",
                Provisioning::CloudOnly,
            ),
        ];
        let groups = GROUPS
            .iter()
            .map(|name| ((*name).to_owned(), rng.guid()))
            .collect();
        let apps = [
            "Device Registration Service",
            "Contoso-SecretRotation",
            "経費精算システム",
            "Fabrikam Scheduler",
            "Adatum Survey",
        ]
        .into_iter()
        .map(|name| App {
            name,
            app_id: rng.guid(),
            sp_id: rng.guid(),
        })
        .collect();
        let devices = (0..30)
            .map(|i| (format!("CONTOSO-PC{:04}", 1001 + i * 37), rng.guid()))
            .collect();
        Directory {
            staff,
            admins,
            groups,
            apps,
            devices,
        }
    }

    /// The staff member with this given name (the names are constants of this module).
    fn person(&self, given: &str) -> &Person {
        match self.staff.iter().find(|p| p.given == given) {
            Some(p) => p,
            None => panic!("no staff member named {given} in the synthetic tenant"),
        }
    }

    /// Helpdesk administrator (synced account).
    fn helpdesk(&self) -> &Person {
        &self.admins[0]
    }

    /// Cloud-only Global Administrator.
    fn global_admin(&self) -> &Person {
        &self.admins[1]
    }
}

// ---------------------------------------------------------------------------------------------
// Record generators
// ---------------------------------------------------------------------------------------------

/// Service, category, activity and operation type of one kind of record.
#[derive(Debug, Clone, Copy)]
struct Kind {
    service: &'static str,
    category: &'static str,
    activity: &'static str,
    op: &'static str,
}

const fn kind(
    service: &'static str,
    category: &'static str,
    activity: &'static str,
    op: &'static str,
) -> Kind {
    Kind {
        service,
        category,
        activity,
        op,
    }
}

const K_PROGRESS: Kind = kind(SSPR, UM, PROGRESS, "Update");
const K_RESET_SELF: Kind = kind(SSPR, UM, RESET_SELF, "Update");
const K_RESET_ADMIN: Kind = kind(SSPR, UM, RESET_ADMIN, "Update");
const K_CHANGE_SELF: Kind = kind(SSPR, UM, CHANGE_SELF, "Update");
const K_UNLOCK: Kind = kind(SSPR, UM, UNLOCK_SELF, "Update");
const K_BLOCKED: Kind = kind(SSPR, UM, BLOCKED, "Update");
const K_SSPR_REGISTERED: Kind = kind(
    SSPR,
    UM,
    "User registered for self-service password reset",
    "Add",
);
const K_RESET_USER_PASSWORD: Kind = kind(CORE, UM, "Reset user password", "Update");
const K_STS: Kind = kind(
    CORE,
    UM,
    "Update StsRefreshTokenValidFrom Timestamp",
    "Update",
);
const K_CHANGE_USER_PASSWORD: Kind = kind(CORE, UM, "Change user password", "Update");
const K_UPDATE_USER: Kind = kind(CORE, UM, "Update user", "Update");
const K_ADD_USER: Kind = kind(CORE, UM, "Add user", "Add");
const K_CHANGE_LICENSE: Kind = kind(CORE, UM, "Change user license", "Update");
const K_ADD_MEMBER: Kind = kind(CORE, "GroupManagement", "Add member to group", "Assign");
const K_UPDATE_DEVICE: Kind = kind(CORE, "Device", "Update device", "Update");
const K_SP_CREDENTIALS: Kind = kind(
    CORE,
    "ApplicationManagement",
    "Add service principal credentials",
    "Update",
);
const K_UPDATE_APPLICATION: Kind = kind(
    CORE,
    "ApplicationManagement",
    "Update application",
    "Update",
);
const K_CONSENT: Kind = kind(
    CORE,
    "ApplicationManagement",
    "Consent to application",
    "Assign",
);
const K_SSGM: Kind = kind(
    SSGM,
    "GroupManagement",
    "GroupLifecyclePolicies_Get",
    "Update",
);
const K_INVITE: Kind = kind(INVITED, UM, "Invite external user", "Add");
const K_REDEEM: Kind = kind(INVITED, UM, "Redeem external user invite", "Update");
const K_UX_DOWNLOADS: [Kind; 2] = [
    kind(
        MGMT_UX,
        UM,
        "Download user registration details - finished (bulk)",
        "Other",
    ),
    kind(
        MGMT_UX,
        UM,
        "Download registration and reset events - finished (bulk)",
        "Other",
    ),
];
const K_AM_STARTED: Kind = kind(
    AUTH_METHODS,
    UM,
    "User started security info registration",
    "Add",
);
const K_AM_REGISTERED: Kind = kind(AUTH_METHODS, UM, "User registered security info", "Add");
const K_AM_ALL: Kind = kind(
    AUTH_METHODS,
    UM,
    "User registered all required security info",
    "Add",
);
const K_AM_DELETED: Kind = kind(AUTH_METHODS, UM, "User deleted security info", "Delete");
const K_AM_ADMIN: Kind = kind(AUTH_METHODS, UM, "Admin registered security info", "Add");

/// How an SSPR journey (formats.md §2.2) ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// New password accepted and written (back).
    Success,
    /// First new password banned, second accepted, in the same session.
    BannedThenSuccess,
    /// Refused right after the user id (licence, registration, policy checks).
    EarlyFail(&'static str),
    /// Closed the page when shown the verification options.
    AbandonAtOptions,
    /// Closed the page after starting gate n.
    AbandonAtGate(usize),
    /// Passed the gates, never chose a password.
    AbandonBeforePassword,
    /// Cancelled while at gate n.
    CancelAtGate(usize),
    /// Too many wrong SMS codes at the SMS gate.
    SmsBlocked,
    /// The submitted password was refused: a failure of the final activity and/or a failed step.
    AfterPassword {
        final_reason: Option<&'static str>,
        progress_reason: Option<&'static str>,
    },
    /// Passed the gates and unlocked the account instead of resetting.
    Unlock,
}

/// Per-journey client details.
struct Visit {
    corr: String,
    ip: String,
    ua: &'static str,
    /// User principal name as the records show the initiator.
    login: String,
}

/// Record generator: a random source, the records so far and each user's last token
/// revocation time (so that `StsRefreshTokensValidFrom` old values chain up).
struct Gen {
    rng: Rng,
    events: Vec<SynthAuditEvent>,
    sts: HashMap<String, DateTime<Utc>>,
}

impl Gen {
    fn new(rng: Rng) -> Self {
        Gen {
            rng,
            events: Vec::new(),
            sts: HashMap::new(),
        }
    }

    fn finish(mut self) -> Vec<SynthAuditEvent> {
        sort_events(&mut self.events);
        self.events
    }

    fn corr(&mut self) -> String {
        self.rng.guid()
    }

    /// A random instant inside the given local (JST) minute, on 100 ns ticks.
    fn at(&mut self, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
        jst(day, hour, minute) + ticks(self.rng.below(600_000_000))
    }

    /// `t` plus a random delay of `lo_ms..=hi_ms` milliseconds (and random sub-millisecond ticks).
    fn later(&mut self, t: DateTime<Utc>, lo_ms: u64, hi_ms: u64) -> DateTime<Utc> {
        let ms = self.rng.range(lo_ms, hi_ms);
        t + ticks(ms * 10_000 + self.rng.below(10_000))
    }

    /// A local business-hours instant on `day`.
    fn business_time(&mut self, day: u32) -> DateTime<Utc> {
        let hour = self.rng.range(8, 18) as u32;
        let minute = self.rng.below(60) as u32;
        self.at(day, hour, minute)
    }

    /// When an everyday flow happens: mostly working days and mornings, never inside the
    /// writeback outage of the 14th (those hours belong to the outage story).
    fn routine_time(&mut self) -> DateTime<Utc> {
        let day = if self.rng.chance(0.9) {
            *self.rng.pick(&WORKDAYS)
        } else {
            *self.rng.pick(&OFFDAYS)
        };
        let mut hour = *self.rng.pick(&HOURS);
        if day == 14 && (9..=10).contains(&hour) {
            hour += 6;
        }
        let minute = self.rng.below(60) as u32;
        self.at(day, hour, minute)
    }

    fn record_id(&mut self, service: &str, corr: &str) -> String {
        const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        let prefix = match service {
            SSPR => "SSPR",
            CORE => "Directory",
            SSGM => "SSGM",
            other => other,
        };
        let five: String = (0..5)
            .map(|_| char::from(ALNUM[self.rng.below(36) as usize]))
            .collect();
        let n = self.rng.range(10_000_000, 199_999_999);
        format!("{prefix}_{corr}_{five}_{n}")
    }

    /// Appends a successful record without reason; callers adjust the returned record.
    fn push(
        &mut self,
        k: Kind,
        corr: &str,
        time: DateTime<Utc>,
        actor: Actor,
        targets: Vec<Target>,
    ) -> &mut SynthAuditEvent {
        let id = self.record_id(k.service, corr);
        self.events.push(SynthAuditEvent {
            id,
            time,
            service: k.service.to_owned(),
            category: k.category.to_owned(),
            activity: k.activity.to_owned(),
            operation_type: k.op.to_owned(),
            result: OK.to_owned(),
            reason: String::new(),
            correlation_id: corr.to_owned(),
            actor,
            targets,
            additional_details: Vec::new(),
            user_agent: None,
        });
        let last = self.events.len() - 1;
        &mut self.events[last]
    }

    /// Client details of a person's visit: office (NAT address, desktop browser) or home/mobile.
    fn visit(&mut self, p: &Person, corr: &str) -> Visit {
        let office = self.rng.chance(0.6);
        let (ip, ua) = if office {
            (
                p.office_ip.to_owned(),
                *self.rng.pick(&[UA_EDGE, UA_CHROME]),
            )
        } else {
            (
                p.home_ip.clone(),
                *self.rng.pick(&[UA_IPHONE, UA_ANDROID, UA_CHROME]),
            )
        };
        Visit {
            corr: corr.to_owned(),
            ip,
            ua,
            login: p.typed.clone(),
        }
    }

    /// An SSPR-service record initiated by the person themselves.
    fn sspr(
        &mut self,
        p: &Person,
        v: &Visit,
        t: DateTime<Utc>,
        k: Kind,
        result: &str,
        reason: &str,
    ) {
        let actor = Actor::User {
            id: p.id.clone(),
            upn: v.login.clone(),
            display_name: None,
            ip: Some(v.ip.clone()),
        };
        let e = self.push(k, &v.corr, t, actor, vec![user_target(p)]);
        e.result = result.to_owned();
        e.reason = reason.to_owned();
        e.user_agent = Some(v.ua.to_owned());
    }

    /// The gates a person is asked for: the policy's number of their registered methods.
    fn pick_gates(&mut self, p: &Person) -> Vec<Gate> {
        match p.methods.len() {
            0 => vec![Gate::Sms],
            n if p.required >= 2 && n >= 2 => {
                if self.rng.chance(0.3) {
                    vec![p.methods[1], p.methods[0]]
                } else {
                    p.methods[..2].to_vec()
                }
            }
            _ => vec![*self.rng.pick(&p.methods)],
        }
    }

    /// [`Gen::reset`] at a random instant of the given local minute.
    fn reset_at(
        &mut self,
        p: &Person,
        day: u32,
        hour: u32,
        minute: u32,
        end: End,
    ) -> DateTime<Utc> {
        let t = self.at(day, hour, minute);
        self.reset(p, t, end)
    }

    /// A reset journey with a fresh correlation id and the person's usual gates.
    fn reset(&mut self, p: &Person, t0: DateTime<Utc>, end: End) -> DateTime<Utc> {
        let corr = self.corr();
        let gates = self.pick_gates(p);
        self.journey(p, &corr, t0, &gates, end)
    }

    /// One SSPR portal journey (formats.md §2.2, §2.4); returns the time of its last record.
    fn journey(
        &mut self,
        p: &Person,
        corr: &str,
        t0: DateTime<Utc>,
        gates: &[Gate],
        end: End,
    ) -> DateTime<Utc> {
        let v = self.visit(p, corr);
        let mut t = t0;
        self.sspr(p, &v, t, K_PROGRESS, OK, "User submitted their user ID");
        if let End::EarlyFail(reason) = end {
            t = self.later(t, 600, 2_500);
            self.sspr(p, &v, t, K_PROGRESS, FAIL, reason);
            return t;
        }
        t = self.later(t, 1_500, 6_000);
        self.sspr(
            p,
            &v,
            t,
            K_PROGRESS,
            OK,
            "User was presented with verification options",
        );
        if end == End::AbandonAtOptions {
            return t;
        }
        for (i, gate) in gates.iter().enumerate() {
            t = self.later(t, 2_000, 15_000);
            self.sspr(
                p,
                &v,
                t,
                K_PROGRESS,
                OK,
                &format!("User started the {} verification option", gate.step()),
            );
            match end {
                End::AbandonAtGate(n) if n == i => return t,
                End::CancelAtGate(n) if n == i => {
                    t = self.later(t, 20_000, 90_000);
                    self.sspr(p, &v, t, K_PROGRESS, FAIL, R_CANCELLED);
                    return t;
                }
                End::SmsBlocked if *gate == Gate::Sms => {
                    t = self.later(t, 60_000, 180_000);
                    self.sspr(p, &v, t, K_PROGRESS, FAIL, R_SMS_BLOCKED);
                    return t;
                }
                _ => {}
            }
            let (lo, hi) = gate.seconds();
            t = self.later(t, lo * 1_000, hi * 1_000);
            self.sspr(
                p,
                &v,
                t,
                K_PROGRESS,
                OK,
                &format!("User completed the {} verification option", gate.step()),
            );
        }
        t = self.later(t, 150, 900);
        self.sspr(
            p,
            &v,
            t,
            K_PROGRESS,
            OK,
            "User completed all verification steps required to reset their password",
        );
        match end {
            End::Unlock => {
                t = self.later(t, 3_000, 12_000);
                self.sspr(p, &v, t, K_UNLOCK, OK, R_UNLOCK_OK);
                return t;
            }
            End::AbandonBeforePassword => return t,
            _ => {}
        }
        t = self.later(t, 15_000, 75_000);
        self.sspr(p, &v, t, K_PROGRESS, OK, "User submitted a new password");
        match end {
            End::Success => self.commit_reset(p, &v, t),
            End::BannedThenSuccess => {
                t = self.later(t, 300, 1_200);
                self.sspr(p, &v, t, K_RESET_SELF, FAIL, R_FUZZY);
                t = self.later(t, 15_000, 50_000);
                self.sspr(p, &v, t, K_PROGRESS, OK, "User submitted a new password");
                self.commit_reset(p, &v, t)
            }
            End::AfterPassword {
                final_reason,
                progress_reason,
            } => {
                // A writeback that cannot reach the Connect server waits for a timeout.
                let (lo, hi) =
                    if final_reason == Some(R_ONPREM_CONN_CODE) || progress_reason.is_some() {
                        (8_000, 30_000)
                    } else {
                        (300, 2_500)
                    };
                if let Some(reason) = final_reason {
                    t = self.later(t, lo, hi);
                    self.sspr(p, &v, t, K_RESET_SELF, FAIL, reason);
                }
                if let Some(reason) = progress_reason {
                    t = if final_reason.is_some() {
                        self.later(t, 10, 250)
                    } else {
                        self.later(t, lo, hi)
                    };
                    self.sspr(p, &v, t, K_PROGRESS, FAIL, reason);
                }
                t
            }
            _ => t,
        }
    }

    /// The successful end of a reset (JP-WB sequence): the cloud write by the password service
    /// (same correlation id), token revocation, the final activity and the progress record.
    fn commit_reset(&mut self, p: &Person, v: &Visit, t: DateTime<Utc>) -> DateTime<Utc> {
        let (lo, hi) = if p.prov == Provisioning::CloudOnly {
            (400, 1_500)
        } else {
            (1_800, 6_500)
        };
        let mut t = self.later(t, lo, hi);
        self.push(
            K_RESET_USER_PASSWORD,
            &v.corr,
            t,
            fim_actor(),
            vec![user_target(p)],
        );
        t = self.later(t, 40, 400);
        self.sts_update(p, &v.corr, t, fim_actor());
        t = self.later(t, 200, 1_200);
        self.sspr(p, v, t, K_RESET_SELF, OK, R_RESET_OK);
        t = self.later(t, 10, 250);
        self.sspr(p, v, t, K_PROGRESS, OK, "User successfully reset password");
        self.after_writeback(p, t);
        t
    }

    /// Password hash sync brings the on-premises password back about two minutes after a
    /// writeback: a `Change user password` by the Sync account with its own correlation id.
    fn after_writeback(&mut self, p: &Person, t: DateTime<Utc>) {
        if p.prov == Provisioning::Connect {
            let t = self.later(t, 95_000, 150_000);
            let corr = self.corr();
            self.push(
                K_CHANGE_USER_PASSWORD,
                &corr,
                t,
                sync_actor(),
                vec![user_target(p)],
            );
        }
    }

    /// `Update StsRefreshTokenValidFrom Timestamp` (sessions revoked after a password change).
    fn sts_update(&mut self, p: &Person, corr: &str, t: DateTime<Utc>, actor: Actor) {
        let new = t - TimeDelta::nanoseconds(i64::from(t.timestamp_subsec_nanos()));
        let old = match self.sts.get(&p.id) {
            Some(old) => *old,
            None => {
                let days = self.rng.range(20, 75) as i64;
                new - TimeDelta::days(days) - TimeDelta::seconds(self.rng.below(86_400) as i64)
            }
        };
        self.sts.insert(p.id.clone(), new);
        let mut target = user_target(p);
        target.modified_properties = vec![
            (
                "StsRefreshTokensValidFrom".to_owned(),
                json_list(&secs_z(old)),
                json_list(&secs_z(new)),
            ),
            included(&["StsRefreshTokensValidFrom"]),
        ];
        self.push(K_STS, corr, t, actor, vec![target]);
    }

    /// A self-service password change (My Account or Ctrl+Alt+Del); returns its last time.
    fn change(
        &mut self,
        p: &Person,
        corr: &str,
        t0: DateTime<Utc>,
        fail: Option<&'static str>,
    ) -> DateTime<Utc> {
        let mut v = self.visit(p, corr);
        v.login = p.upn.clone(); // signed in: the canonical UPN, not what someone typed
        if let Some(reason) = fail {
            self.sspr(p, &v, t0, K_CHANGE_SELF, FAIL, reason);
            return t0;
        }
        let actor = Actor::User {
            id: p.id.clone(),
            upn: p.upn.clone(),
            display_name: None,
            ip: Some(v.ip.clone()),
        };
        self.push(
            K_CHANGE_USER_PASSWORD,
            corr,
            t0,
            actor.clone(),
            vec![user_target(p)],
        );
        let mut t = self.later(t0, 40, 400);
        self.sts_update(p, corr, t, actor);
        t = self.later(t, 200, 1_200);
        self.sspr(p, &v, t, K_CHANGE_SELF, OK, "None");
        self.after_writeback(p, t);
        t
    }

    /// A password reset by an administrator in the admin center.
    fn admin_reset(
        &mut self,
        admin: &Person,
        p: &Person,
        corr: &str,
        t0: DateTime<Utc>,
        fail: Option<&'static str>,
    ) {
        let actor = admin_actor(admin);
        let details = vec![("OnPremisesAgent".to_owned(), p.prov.agent().to_owned())];
        if let Some(reason) = fail {
            // The admin center waits for the writeback before it reports the failure.
            let t = self.later(t0, 8_000, 25_000);
            let e = self.push(K_RESET_ADMIN, corr, t, actor, vec![user_target(p)]);
            e.result = FAIL.to_owned();
            e.reason = reason.to_owned();
            e.additional_details = details;
            e.user_agent = Some(UA_EDGE.to_owned());
            return;
        }
        let (lo, hi) = if p.prov == Provisioning::CloudOnly {
            (300, 1_200)
        } else {
            (1_500, 6_000)
        };
        let mut t = self.later(t0, lo, hi);
        self.push(
            K_RESET_USER_PASSWORD,
            corr,
            t,
            actor.clone(),
            vec![user_target(p)],
        )
        .user_agent = Some(UA_EDGE.to_owned());
        t = self.later(t, 40, 400);
        self.sts_update(p, corr, t, actor.clone());
        t = self.later(t, 200, 1_200);
        let e = self.push(K_RESET_ADMIN, corr, t, actor, vec![user_target(p)]);
        e.reason = R_RESET_OK.to_owned();
        e.additional_details = details;
        e.user_agent = Some(UA_EDGE.to_owned());
        self.after_writeback(p, t);
    }

    /// The throttling record: own correlation id, result success, no reason (formats.md §2.1).
    fn blocked(&mut self, p: &Person, corr: &str, t: DateTime<Utc>) {
        let v = self.visit(p, corr);
        self.sspr(p, &v, t, K_BLOCKED, OK, "");
    }

    /// A combined-registration session (Authentication Methods), one event per method, with the
    /// directory update that stores the method; all records share the session's correlation id.
    fn registration(
        &mut self,
        p: &Person,
        t0: DateTime<Utc>,
        methods: &[&str],
        all_required: bool,
    ) {
        let corr = self.corr();
        let v = self.visit(p, &corr);
        let actor = Actor::User {
            id: p.id.clone(),
            upn: p.upn.clone(),
            display_name: Some(p.display.clone()),
            ip: Some(v.ip.clone()),
        };
        let mut t = t0;
        if let Some(first) = methods.first() {
            let e = self.push(K_AM_STARTED, &corr, t, actor.clone(), vec![user_target(p)]);
            e.reason = format!("User started the registration for {first}");
            e.user_agent = Some(v.ua.to_owned());
        }
        for method in methods {
            t = self.later(t, 20_000, 120_000);
            let e = self.push(
                K_AM_REGISTERED,
                &corr,
                t,
                actor.clone(),
                vec![user_target(p)],
            );
            e.reason = format!("User registered {method}.");
            e.user_agent = Some(v.ua.to_owned());
            let t_dir = self.later(t, 100, 700);
            let mut target = user_target(p);
            target.modified_properties = vec![
                (
                    "StrongAuthenticationMethod".to_owned(),
                    "[]".to_owned(),
                    format!(
                        "[{{\"MethodType\":\"{}\",\"Default\":true}}]",
                        strong_auth_type(method)
                    ),
                ),
                included(&["StrongAuthenticationMethod"]),
            ];
            self.push(K_UPDATE_USER, &corr, t_dir, actor.clone(), vec![target]);
        }
        if all_required {
            t = self.later(t, 1_000, 6_000);
            let e = self.push(K_AM_ALL, &corr, t, actor, vec![user_target(p)]);
            e.reason = "User registered all required security info.".to_owned();
            e.user_agent = Some(v.ua.to_owned());
        }
    }

    /// A registration the user abandoned (ED-COMB failure row).
    fn registration_canceled(&mut self, p: &Person, t0: DateTime<Utc>) {
        let corr = self.corr();
        let v = self.visit(p, &corr);
        let actor = Actor::User {
            id: p.id.clone(),
            upn: p.upn.clone(),
            display_name: Some(p.display.clone()),
            ip: Some(v.ip.clone()),
        };
        let e = self.push(K_AM_STARTED, &corr, t0, actor.clone(), vec![user_target(p)]);
        e.reason = format!("User started the registration for {M_SMS}");
        e.user_agent = Some(v.ua.to_owned());
        let t = self.later(t0, 30_000, 200_000);
        let e = self.push(K_AM_ALL, &corr, t, actor, vec![user_target(p)]);
        e.result = FAIL.to_owned();
        e.reason = "User canceled security info registration.".to_owned();
        e.user_agent = Some(v.ua.to_owned());
    }

    fn method_deleted(&mut self, p: &Person, method: &str, t: DateTime<Utc>) {
        let corr = self.corr();
        let v = self.visit(p, &corr);
        let actor = Actor::User {
            id: p.id.clone(),
            upn: p.upn.clone(),
            display_name: Some(p.display.clone()),
            ip: Some(v.ip),
        };
        let e = self.push(K_AM_DELETED, &corr, t, actor, vec![user_target(p)]);
        e.reason = format!("User deleted {method}.");
        e.user_agent = Some(v.ua.to_owned());
    }

    /// `Admin registered security info`: a Temporary Access Pass for onboarding.
    fn admin_tap(&mut self, admin: &Person, p: &Person, t: DateTime<Utc>) {
        let corr = self.corr();
        let e = self.push(
            K_AM_ADMIN,
            &corr,
            t,
            admin_actor(admin),
            vec![user_target(p)],
        );
        e.reason = "Admin registered temporary access pass method for user".to_owned();
        e.user_agent = Some(UA_EDGE.to_owned());
    }

    /// The legacy SSPR-portal registration (service Self-service Password Management): not a
    /// flow, although its service is the SSPR one.
    fn legacy_sspr_registration(&mut self, p: &Person, t: DateTime<Utc>) {
        let corr = self.corr();
        let mut v = self.visit(p, &corr);
        v.login = p.upn.clone();
        self.sspr(p, &v, t, K_SSPR_REGISTERED, OK, "");
    }

    // --- noise ------------------------------------------------------------------------------

    fn sync_update_user(&mut self, p: &Person, t: DateTime<Utc>) {
        let corr = self.corr();
        let (name, old, new) = match self.rng.below(4) {
            0 => {
                let (a, b) = (self.rng.below(10_000), self.rng.below(10_000));
                (
                    "TelephoneNumber",
                    format!("03-5321-{a:04}"),
                    format!("03-5321-{b:04}"),
                )
            }
            1 => {
                let (a, b) = *self.rng.pick(&DEPT_CHANGES);
                ("Department", a.to_owned(), b.to_owned())
            }
            2 => {
                let (a, b) = *self.rng.pick(&TITLE_CHANGES);
                ("JobTitle", a.to_owned(), b.to_owned())
            }
            _ => {
                let (a, b) = *self.rng.pick(&OFFICE_CHANGES);
                ("PhysicalDeliveryOfficeName", a.to_owned(), b.to_owned())
            }
        };
        let mut target = user_target(p);
        target.modified_properties = vec![
            (name.to_owned(), json_list(&old), json_list(&new)),
            included(&[name]),
        ];
        let e = self.push(K_UPDATE_USER, &corr, t, sync_actor(), vec![target]);
        e.additional_details = vec![("UserType".to_owned(), "Member".to_owned())];
    }

    fn add_user_sync(&mut self, p: &Person, t: DateTime<Utc>) {
        let corr = self.corr();
        let mut target = user_target(p);
        target.modified_properties = vec![
            (
                "AccountEnabled".to_owned(),
                "[]".to_owned(),
                "[true]".to_owned(),
            ),
            (
                "DisplayName".to_owned(),
                "[]".to_owned(),
                json_list(&p.display),
            ),
            (
                "UserPrincipalName".to_owned(),
                "[]".to_owned(),
                json_list(&p.upn),
            ),
            included(&["AccountEnabled", "DisplayName", "UserPrincipalName"]),
        ];
        let e = self.push(K_ADD_USER, &corr, t, sync_actor(), vec![target]);
        e.additional_details = vec![("UserType".to_owned(), "Member".to_owned())];
    }

    fn admin_update_user(&mut self, admin: &Person, p: &Person, t: DateTime<Utc>) {
        let corr = self.corr();
        let (a, b) = *self.rng.pick(&OFFICE_CHANGES);
        let mut target = user_target(p);
        target.modified_properties = vec![
            ("UsageLocation".to_owned(), json_list("JP"), json_list("JP")),
            (
                "PhysicalDeliveryOfficeName".to_owned(),
                json_list(a),
                json_list(b),
            ),
            included(&["UsageLocation", "PhysicalDeliveryOfficeName"]),
        ];
        let e = self.push(K_UPDATE_USER, &corr, t, admin_actor(admin), vec![target]);
        e.additional_details = vec![("UserType".to_owned(), "Member".to_owned())];
        e.user_agent = Some(UA_EDGE.to_owned());
    }

    fn change_license(&mut self, admin: &Person, p: &Person, t: DateTime<Utc>) {
        let corr = self.corr();
        let e = self.push(
            K_CHANGE_LICENSE,
            &corr,
            t,
            admin_actor(admin),
            vec![user_target(p)],
        );
        e.user_agent = Some(UA_EDGE.to_owned());
        let t = self.later(t, 300, 1_500);
        let mut target = user_target(p);
        target.modified_properties = vec![
            (
                "AssignedLicense".to_owned(),
                "[]".to_owned(),
                "[\"[SkuName=SPE_E3, AccountId=5e7f3c21-8a4b-4d6e-9f10-2b3c4d5e6f70, SkuId=05e9a617-0261-4cee-bb44-138d3ef5d965, DisabledPlans=[]]\"]".to_owned(),
            ),
            included(&["AssignedLicense"]),
        ];
        let e = self.push(K_UPDATE_USER, &corr, t, admin_actor(admin), vec![target]);
        e.user_agent = Some(UA_EDGE.to_owned());
    }

    fn add_member(
        &mut self,
        admin: &Person,
        group: &(String, String),
        p: &Person,
        t: DateTime<Utc>,
    ) {
        let corr = self.corr();
        let (name, id) = group;
        let group_target = Target {
            id: id.clone(),
            display_name: Some(name.clone()),
            kind: "Group".to_owned(),
            upn: None,
            modified_properties: Vec::new(),
        };
        let mut member = user_target(p);
        member.modified_properties = vec![
            (
                "Group.ObjectID".to_owned(),
                String::new(),
                format!("\"{id}\""),
            ),
            (
                "Group.DisplayName".to_owned(),
                String::new(),
                format!("\"{name}\""),
            ),
        ];
        let e = self.push(
            K_ADD_MEMBER,
            &corr,
            t,
            admin_actor(admin),
            vec![group_target, member],
        );
        e.reason = "Successfully added member to group".to_owned();
        e.user_agent = Some(UA_EDGE.to_owned());
    }

    fn update_device(&mut self, d: &Directory, device: usize, t: DateTime<Utc>) {
        let corr = self.corr();
        let (name, id) = &d.devices[device % d.devices.len()];
        let build = self.rng.range(6_000, 6_999);
        let target = Target {
            id: id.clone(),
            display_name: Some(name.clone()),
            kind: "Device".to_owned(),
            upn: None,
            modified_properties: vec![
                (
                    "DeviceOSVersion".to_owned(),
                    json_list(&format!("10.0.26100.{}", build - 301)),
                    json_list(&format!("10.0.26100.{build}")),
                ),
                included(&["DeviceOSVersion"]),
            ],
        };
        self.push(
            K_UPDATE_DEVICE,
            &corr,
            t,
            app_actor(&d.apps[0]),
            vec![target],
        );
    }

    fn ssgm(&mut self, p: &Person, t: DateTime<Utc>) {
        let corr = self.corr();
        let actor = Actor::User {
            id: p.id.clone(),
            upn: p.upn.clone(),
            display_name: None,
            ip: Some(p.office_ip.to_owned()),
        };
        let target = Target {
            id: "00000000-0000-0000-0000-000000000000".to_owned(),
            display_name: None,
            kind: "N/A".to_owned(),
            upn: None,
            modified_properties: Vec::new(),
        };
        let e = self.push(K_SSGM, &corr, t, actor, vec![target]);
        e.reason = "OK".to_owned();
    }

    fn consent(&mut self, d: &Directory, p: &Person, t: DateTime<Utc>) {
        let corr = self.corr();
        let app = &d.apps[2 + self.rng.below(3) as usize];
        let actor = Actor::User {
            id: p.id.clone(),
            upn: p.upn.clone(),
            display_name: None,
            ip: Some(p.office_ip.to_owned()),
        };
        let mut target = sp_target(app);
        target.modified_properties = vec![
            ("ConsentContext.IsAdminConsent".to_owned(), String::new(), "\"False\"".to_owned()),
            ("ConsentContext.IsAppOnly".to_owned(), String::new(), "\"False\"".to_owned()),
            ("ConsentAction.Permissions".to_owned(), String::new(), "\"[] => [[Scope: openid profile User.Read offline_access, ConsentType: Principal]]\"".to_owned()),
        ];
        let e = self.push(K_CONSENT, &corr, t, actor, vec![target]);
        e.user_agent = Some(UA_EDGE.to_owned());
    }

    fn sp_credentials(&mut self, d: &Directory, t: DateTime<Utc>) {
        let corr = self.corr();
        let rotator = &d.apps[1];
        let app = &d.apps[2 + self.rng.below(3) as usize];
        let key = self.rng.guid();
        let mut target = sp_target(app);
        target.modified_properties = vec![
            (
                "KeyDescription".to_owned(),
                "[]".to_owned(),
                format!(
                    "[\"[KeyIdentifier={key},KeyType=Password,KeyUsage=Verify,DisplayName=rotated-by-automation]\"]"
                ),
            ),
            included(&["KeyDescription"]),
        ];
        let e = self.push(K_SP_CREDENTIALS, &corr, t, app_actor(rotator), vec![target]);
        e.additional_details = vec![
            (
                "User-Agent".to_owned(),
                "Microsoft Azure Graph Client Library 1.0".to_owned(),
            ),
            ("AppId".to_owned(), rotator.app_id.clone()),
        ];
    }

    fn update_application(&mut self, admin: &Person, d: &Directory, t: DateTime<Utc>) {
        let corr = self.corr();
        let app = &d.apps[2 + self.rng.below(3) as usize];
        let target = Target {
            id: app.app_id.clone(),
            display_name: Some(app.name.to_owned()),
            kind: "Application".to_owned(),
            upn: None,
            modified_properties: vec![included(&["AppAddress"])],
        };
        let e = self.push(
            K_UPDATE_APPLICATION,
            &corr,
            t,
            admin_actor(admin),
            vec![target],
        );
        e.user_agent = Some(UA_EDGE.to_owned());
    }

    fn invite(&mut self, admin: &Person, guest: (&str, &str), t: DateTime<Utc>) {
        let corr = self.corr();
        let (email, display) = guest;
        let id = self.rng.guid();
        let target = guest_target(&id, email, display);
        let e = self.push(K_INVITE, &corr, t, admin_actor(admin), vec![target]);
        e.additional_details = vec![("invitedUserEmailAddress".to_owned(), email.to_owned())];
        e.user_agent = Some(UA_EDGE.to_owned());
    }

    fn redeem(&mut self, guest: (&str, &str), t: DateTime<Utc>) {
        let corr = self.corr();
        let (email, display) = guest;
        let id = self.rng.guid();
        let actor = Actor::User {
            id: id.clone(),
            upn: guest_upn(email),
            display_name: Some(display.to_owned()),
            ip: Some("198.51.100.180".to_owned()),
        };
        let e = self.push(
            K_REDEEM,
            &corr,
            t,
            actor,
            vec![guest_target(&id, email, display)],
        );
        e.user_agent = Some(UA_CHROME.to_owned());
    }

    fn ux_download(&mut self, admin: &Person, t: DateTime<Utc>, which: usize) {
        let corr = self.corr();
        let e = self.push(
            K_UX_DOWNLOADS[which % K_UX_DOWNLOADS.len()],
            &corr,
            t,
            admin_actor(admin),
            Vec::new(),
        );
        e.user_agent = Some(UA_EDGE.to_owned());
    }
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

/// Local (JST) time on a day of October 2026; day 32 is 1 November.
fn jst(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    let secs =
        OCT1_JST + (i64::from(day) - 1) * 86_400 + i64::from(hour) * 3_600 + i64::from(minute) * 60;
    DateTime::<Utc>::UNIX_EPOCH + TimeDelta::seconds(secs)
}

/// A duration of `n` 100-ns ticks.
fn ticks(n: u64) -> TimeDelta {
    TimeDelta::nanoseconds(n as i64 * 100)
}

fn secs_z(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A modified-property value as Entra logs it: a JSON list of one string.
fn json_list(value: &str) -> String {
    format!("[\"{value}\"]")
}

/// The `Included Updated Properties` entry that accompanies directory updates.
fn included(names: &[&str]) -> (String, String, String) {
    (
        "Included Updated Properties".to_owned(),
        String::new(),
        format!("\"{}\"", names.join(", ")),
    )
}

fn strong_auth_type(method: &str) -> &'static str {
    match method {
        M_SMS => "OneWaySms",
        M_APP_CODE => "PhoneAppOTP",
        _ => "PhoneAppNotification",
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn user_target(p: &Person) -> Target {
    Target {
        id: p.id.clone(),
        display_name: Some(p.display.clone()),
        kind: "User".to_owned(),
        upn: Some(p.upn.clone()),
        modified_properties: Vec::new(),
    }
}

fn sp_target(app: &App) -> Target {
    Target {
        id: app.sp_id.clone(),
        display_name: Some(app.name.to_owned()),
        kind: "ServicePrincipal".to_owned(),
        upn: None,
        modified_properties: Vec::new(),
    }
}

fn guest_upn(email: &str) -> String {
    format!("{}#EXT#@contosojp.onmicrosoft.com", email.replace('@', "_"))
}

fn guest_target(id: &str, email: &str, display: &str) -> Target {
    Target {
        id: id.to_owned(),
        display_name: Some(display.to_owned()),
        kind: "User".to_owned(),
        upn: Some(guest_upn(email)),
        modified_properties: Vec::new(),
    }
}

fn admin_actor(admin: &Person) -> Actor {
    Actor::User {
        id: admin.id.clone(),
        upn: admin.upn.clone(),
        display_name: Some(admin.display.clone()),
        ip: Some(admin.office_ip.to_owned()),
    }
}

fn app_actor(app: &App) -> Actor {
    Actor::App {
        app_id: app.app_id.clone(),
        display_name: app.name.to_owned(),
        service_principal_id: app.sp_id.clone(),
    }
}

/// The internal identity that performs the cloud password write of an SSPR reset.
fn fim_actor() -> Actor {
    Actor::User {
        id: FIM_ID.to_owned(),
        upn: FIM_UPN.to_owned(),
        display_name: None,
        ip: None,
    }
}

/// The Entra Connect sync account of server CONNECT01.
fn sync_actor() -> Actor {
    Actor::User {
        id: SYNC_ID.to_owned(),
        upn: SYNC_UPN.to_owned(),
        display_name: Some(SYNC_NAME.to_owned()),
        ip: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    const SSPR_REGISTRATION: [&str; 2] = [
        "User registered for self-service password reset",
        "Security info saved for self-service password reset",
    ];

    #[derive(Debug, PartialEq, Eq)]
    struct Flow {
        user: String,
        kind: &'static str,
        outcome: &'static str,
    }

    /// design.md §4, applied literally: an independent check of the hand-written plan.
    fn flows(events: &[SynthAuditEvent]) -> BTreeMap<String, Flow> {
        let mut groups: BTreeMap<&str, Vec<&SynthAuditEvent>> = BTreeMap::new();
        for e in events {
            groups.entry(e.correlation_id.as_str()).or_default().push(e);
        }
        let mut out = BTreeMap::new();
        for (corr, recs) in groups {
            let sspr: Vec<&&SynthAuditEvent> = recs
                .iter()
                .filter(|e| e.service == SSPR && !SSPR_REGISTRATION.contains(&e.activity.as_str()))
                .collect();
            let Some(first) = sspr.first() else { continue };
            let has = |a: &str| recs.iter().any(|e| e.activity == a);
            let (kind, last) = if has(RESET_ADMIN) {
                ("admin_reset", RESET_ADMIN)
            } else if has(CHANGE_SELF) {
                ("change", CHANGE_SELF)
            } else if has(RESET_SELF) {
                ("reset", RESET_SELF)
            } else if has(UNLOCK_SELF) {
                ("unlock", UNLOCK_SELF)
            } else {
                ("reset", RESET_SELF)
            };
            let blocked = has(BLOCKED)
                || recs
                    .iter()
                    .any(|e| e.result == FAIL && e.reason.contains("blocked for 24 hours"));
            let succeeded = recs.iter().any(|e| {
                (e.activity == last && e.result == OK)
                    || (e.activity == PROGRESS
                        && e.reason.trim() == "User successfully reset password")
            });
            let failed = recs
                .iter()
                .any(|e| (e.activity == last || e.activity == PROGRESS) && e.result == FAIL);
            let outcome = if blocked {
                "blocked"
            } else if succeeded {
                "succeeded"
            } else if failed {
                "failed"
            } else {
                "abandoned"
            };
            let user = first
                .targets
                .iter()
                .find_map(|t| t.upn.clone())
                .unwrap_or_default()
                .to_lowercase();
            out.insert(
                corr.to_owned(),
                Flow {
                    user,
                    kind,
                    outcome,
                },
            );
        }
        out
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("sspr-report-synth-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    /// (relative path, bytes) of every file under `dir`.
    fn snapshot(dir: &Path, files: &[PathBuf]) -> Vec<(PathBuf, Vec<u8>)> {
        files
            .iter()
            .map(|f| {
                (
                    f.strip_prefix(dir).expect("under dir").to_path_buf(),
                    fs::read(f).expect("readable"),
                )
            })
            .collect()
    }

    #[test]
    fn sample_month_has_every_kind_and_outcome_in_the_planned_numbers() {
        let events = sample_month_events();
        let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for f in flows(&events).values() {
            *counts.entry((f.kind, f.outcome)).or_default() += 1;
        }
        let expected: BTreeMap<(&str, &str), usize> = [
            (("reset", "succeeded"), 60),
            (("reset", "failed"), 15),
            (("reset", "abandoned"), 21),
            (("reset", "blocked"), 2),
            (("change", "succeeded"), 14),
            (("change", "failed"), 4),
            (("admin_reset", "succeeded"), 8),
            (("admin_reset", "failed"), 2),
            (("unlock", "succeeded"), 5),
        ]
        .into_iter()
        .collect();
        assert_eq!(counts, expected);
        let total: usize = counts.values().sum();
        assert!((100..=150).contains(&total), "{total} flows");
        assert!(
            (1_000..=2_000).contains(&events.len()),
            "{} records",
            events.len()
        );
        // Noise and registrations outnumber the flow records, as in a real log.
        let flow_ids: BTreeSet<String> = flows(&events).into_keys().collect();
        let in_flows = events
            .iter()
            .filter(|e| flow_ids.contains(&e.correlation_id))
            .count();
        assert!(
            in_flows * 100 < events.len() * 55,
            "{in_flows} of {} records in flows",
            events.len()
        );
    }

    #[test]
    fn sample_month_is_sorted_with_unique_ids_and_tick_precision() {
        let events = sample_month_events();
        assert!(
            events
                .windows(2)
                .all(|w| (w[0].time, &w[0].id) <= (w[1].time, &w[1].id))
        );
        let ids: BTreeSet<&str> = events.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), events.len());
        assert!(
            events
                .iter()
                .all(|e| e.time.timestamp_subsec_nanos() % 100 == 0)
        );
        let first = events.first().expect("events").time;
        let last = events.last().expect("events").time;
        assert!(first >= jst(1, 0, 0) && last < jst(32, 0, 0));
    }

    #[test]
    fn flow_records_share_the_correlation_id_and_service_records_do_not() {
        let events = sample_month_events();
        let mut by_corr: BTreeMap<&str, Vec<&SynthAuditEvent>> = BTreeMap::new();
        for e in &events {
            by_corr
                .entry(e.correlation_id.as_str())
                .or_default()
                .push(e);
        }
        let mut successes = 0;
        for recs in by_corr.values() {
            let has =
                |a: &str, result: &str| recs.iter().any(|e| e.activity == a && e.result == result);
            if has(RESET_SELF, OK) {
                successes += 1;
                assert!(
                    has("Reset user password", OK)
                        && has("Update StsRefreshTokenValidFrom Timestamp", OK)
                );
                assert!(
                    recs.iter().any(|e| e.activity == PROGRESS
                        && e.reason == "User successfully reset password")
                );
                assert!(
                    recs.iter()
                        .any(|e| matches!(&e.actor, Actor::User { upn, .. } if upn == FIM_UPN))
                );
            }
            // Password hash sync records of the Sync account stand alone.
            if recs
                .iter()
                .any(|e| matches!(&e.actor, Actor::User { upn, .. } if upn.starts_with("Sync_")))
            {
                assert!(recs.iter().all(|e| e.service != SSPR));
            }
        }
        assert_eq!(successes, 60);
        // The throttled user without a block record: six flows starting within 40 minutes.
        let jun: Vec<DateTime<Utc>> = {
            let fl = flows(&events);
            let mut starts: Vec<DateTime<Utc>> = by_corr
                .iter()
                .filter(|(c, _)| {
                    fl.get(**c)
                        .is_some_and(|f| f.user == "jun.kondo@contoso.co.jp" && f.kind == "reset")
                })
                .map(|(_, recs)| recs.iter().map(|e| e.time).min().expect("records"))
                .collect();
            starts.sort();
            starts
        };
        assert_eq!(jun.len(), 6);
        assert!(jun[5] - jun[0] < TimeDelta::minutes(40));
        assert!(!events.iter().any(|e| {
            e.activity == BLOCKED
                && e.targets
                    .iter()
                    .any(|t| t.upn.as_deref() == Some("jun.kondo@contoso.co.jp"))
        }));
    }

    #[test]
    fn fixture_expectations_follow_the_definitions() {
        let events = format_fixture_events();
        let actual = flows(&events);
        let expected = format_fixture_expected_flows();
        let expected_map: BTreeMap<String, Flow> = expected
            .iter()
            .map(|x| {
                (
                    x.correlation_id.to_owned(),
                    Flow {
                        user: x.user.to_owned(),
                        kind: x.kind,
                        outcome: x.outcome,
                    },
                )
            })
            .collect();
        assert_eq!(actual, expected_map);
        for kind_outcome in [
            ("reset", "succeeded"),
            ("reset", "failed"),
            ("reset", "abandoned"),
            ("reset", "blocked"),
            ("change", "succeeded"),
            ("change", "failed"),
            ("admin_reset", "succeeded"),
            ("admin_reset", "failed"),
            ("unlock", "succeeded"),
        ] {
            assert!(
                expected.iter().any(|x| (x.kind, x.outcome) == kind_outcome),
                "{kind_outcome:?}"
            );
        }
        // The trailing space of the insufficient-methods reason survives.
        assert!(
            events
                .iter()
                .any(|e| e.reason == R_NOT_REGISTERED && e.reason.ends_with(' '))
        );
    }

    #[test]
    fn portal_header_has_86_columns_and_the_legacy_one_81() {
        assert_eq!(
            audit_formats::portal_csv_header(PortalCsvLayout::Current86, "Date (UTC)").len(),
            86
        );
        let legacy = audit_formats::portal_csv_header(PortalCsvLayout::Legacy, "Date (UTC)");
        assert_eq!(legacy.len(), 81);
        assert!(!legacy.iter().any(|h| h == "User Agent"
            || h.starts_with("ActorHome")
            || h.starts_with("ActorServicePrincipal")));

        let dir = temp_dir("header");
        let files = write_format_fixtures(&dir).expect("fixtures written");
        let current = dir.join("portal_current_utf8bom.csv");
        assert!(files.contains(&current));
        let bytes = fs::read(&current).expect("readable");
        assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
        let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
        let header_line = text.split("\r\n").next().expect("header line");
        assert!(header_line.starts_with("\"Date (UTC)\",\"CorrelationId\""));
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        assert_eq!(reader.headers().expect("header").len(), 86);
        assert_eq!(reader.records().count(), format_fixture_events().len());

        let sjis = fs::read(dir.join("portal_excel_resave_shift_jis.csv")).expect("readable");
        let (decoded, _, had_errors) = encoding_rs::SHIFT_JIS.decode(&sjis);
        assert!(!had_errors);
        assert!(decoded.starts_with("日付 (UTC),CorrelationId,"));
        assert!(decoded.contains("山田 太郎") && decoded.contains("2026/10/04 23:41"));
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn writers_are_deterministic() {
        let (a, b) = (temp_dir("det-a"), temp_dir("det-b"));
        let files_a = write_format_fixtures(&a).expect("written");
        let files_b = write_format_fixtures(&b).expect("written");
        assert_eq!(files_a.len(), 16);
        assert!(files_a.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(snapshot(&a, &files_a), snapshot(&b, &files_b));
        assert_eq!(
            files_a
                .iter()
                .filter(|f| f.starts_with(a.join("graph_pages")))
                .count(),
            3
        );
        let _ = fs::remove_dir_all(&a);
        let _ = fs::remove_dir_all(&b);
    }

    #[test]
    fn sample_files_are_deterministic_small_and_overlap_by_one_day() {
        let (a, b) = (temp_dir("sample-a"), temp_dir("sample-b"));
        let files_a = write_sample(&a).expect("written");
        let files_b = write_sample(&b).expect("written");
        // 7 audit files, 3 Graph pages, 2 registration snapshots, 1 licence list, 2 Connect-server logs
        assert_eq!(files_a.len(), 15);
        assert_eq!(snapshot(&a, &files_a), snapshot(&b, &files_b));
        let size = |evtx: bool| -> u64 {
            files_a
                .iter()
                .filter(|f| f.extension().is_some_and(|e| e == "evtx") == evtx)
                .map(|f| fs::metadata(f).expect("metadata").len())
                .sum()
        };
        assert!(
            size(false) < 2_000_000,
            "audit, registration and licence exports: {} bytes",
            size(false)
        );
        assert!(size(true) < 4_000_000, "event logs: {} bytes", size(true));
        // Records of 7 October are in both the CSV and the JSON file.
        let events = sample_month_events();
        let overlap: Vec<&SynthAuditEvent> = events
            .iter()
            .filter(|e| e.time >= jst(7, 0, 0) && e.time < jst(8, 0, 0))
            .collect();
        assert!(!overlap.is_empty());
        let csv = String::from_utf8_lossy(
            &fs::read(a.join("AuditLogs_2026-10-01_2026-10-07.csv")).expect("csv"),
        )
        .into_owned();
        let json =
            fs::read_to_string(a.join("AuditLogs_2026-10-07_2026-10-10.json")).expect("json");
        assert!(json.contains(&overlap[0].id));
        assert!(csv.contains(&overlap[0].correlation_id));
        let _ = fs::remove_dir_all(&a);
        let _ = fs::remove_dir_all(&b);
    }

    /// Relevant rows (those the report keeps) over all rows of a tenant's audit log.
    fn relevant_share(share_tenths: Option<u16>) -> f64 {
        let spec = crate::synth::tenant::TenantSpec {
            users: 300,
            days: 7,
            seed: 3,
            single_csv: true,
            sspr_share_tenths: share_tenths,
        };
        let mut total = 0usize;
        let cloud = tenant_cloud(&spec, |chunk| {
            total += chunk.len();
            Ok(())
        })
        .expect("in memory");
        cloud.relevant.len() as f64 / total as f64
    }

    #[test]
    fn sspr_share_sets_the_share_of_relevant_rows() {
        for (tenths, want) in [(100u16, 0.10), (70, 0.07), (500, 0.5)] {
            let got = relevant_share(Some(tenths));
            assert!((got - want).abs() < 0.002, "{tenths}: {got}");
        }
        // Without the option: three other rows per person and day, as before.
        let default = relevant_share(None);
        assert!((0.05..0.15).contains(&default), "{default}");
    }
}

// ---------------------------------------------------------------------------------------------
// Synthetic tenants of any size (`sspr-report synth`)
// ---------------------------------------------------------------------------------------------

/// Given and family names the synthetic staff are made of.
const GIVEN: [&str; 24] = [
    "taro", "hanako", "ichiro", "yuki", "kenji", "akiko", "hiroshi", "naoko", "takeshi", "megumi",
    "daisuke", "emi", "shota", "ayaka", "kazuki", "mai", "ryo", "sakura", "yuta", "misaki",
    "kenta", "nanami", "takuya", "haruka",
];
const FAMILY: [&str; 24] = [
    "yamada",
    "sato",
    "suzuki",
    "takahashi",
    "tanaka",
    "watanabe",
    "ito",
    "nakamura",
    "kobayashi",
    "kato",
    "yoshida",
    "yamaguchi",
    "matsumoto",
    "inoue",
    "kimura",
    "hayashi",
    "shimizu",
    "yamazaki",
    "mori",
    "abe",
    "ikeda",
    "hashimoto",
    "yamashita",
    "ishikawa",
];
/// Registered gates by pattern (the same codes as [`STAFF`]).
const GATE_PATTERNS: [&str; 8] = ["NS", "S", "NC", "SE", "N", "CS", "SQ", "SV"];

/// What a synthetic tenant's cloud side holds, besides the audit records already handed out.
pub(super) struct TenantCloud {
    /// The SSPR-relevant records (flows, evidence, registrations), time-sorted: what the
    /// on-prem log and the truth are built from.
    pub relevant: Vec<SynthAuditEvent>,
    /// Users Entra Connect syncs, as the on-prem log names them.
    pub connect_users: Vec<(String, String, String)>,
    /// People (upn, display, id, provisioning code `C`/`S`/`O`, Graph method names, required).
    pub people: Vec<TenantPerson>,
    /// Throttling by construction: users with a block record, users blocked by too many SMS
    /// codes, and users with a burst of attempts but no block record.
    pub block_users: Vec<String>,
    /// Users whose flow ended "blocked for 24 hours" (no Blocked record).
    pub sms_blocked_users: Vec<String>,
    /// Users with six attempts in 40 minutes and no block record.
    pub burst_users: Vec<String>,
    /// Users with a failed reset for lack of a licence.
    pub license_failed_users: Vec<String>,
    /// Registration events emitted (time, user, method as the audit log words it).
    pub registrations: Vec<(DateTime<Utc>, String, &'static str)>,
}

/// One person of a synthetic tenant, for the directory exports.
#[derive(Debug, Clone)]
pub(super) struct TenantPerson {
    pub id: String,
    pub upn: String,
    pub display: String,
    pub given: String,
    pub family: String,
    /// `C` Entra Connect, `S` Cloud Sync, `O` cloud-only.
    pub prov: char,
    pub graph_methods: Vec<&'static str>,
    pub required: usize,
    pub admin: bool,
    /// Licence class: `E3`, `O365` (no P1), `NONE`, `STD` (Business Standard), `E5`, `P2`.
    pub licence: &'static str,
}

fn graph_method(g: Gate) -> &'static str {
    match g {
        Gate::AppNotification => "microsoftAuthenticatorPush",
        Gate::AppCode => "softwareOneTimePasscode",
        Gate::Sms | Gate::Voice => "mobilePhone",
        Gate::Email => "email",
        Gate::Questions => "securityQuestion",
    }
}

impl Directory {
    /// A tenant of `users` staff (plus the two administrators, groups, apps and devices of the
    /// sample): 90 % synced by Entra Connect, 5 % by Cloud Sync, 5 % cloud-only.
    fn synthetic(rng: &mut Rng, users: usize) -> Self {
        let mut d = Directory::new(rng);
        let mut seen: HashMap<String, usize> = HashMap::new();
        d.staff = (0..users)
            .map(|i| {
                let given = GIVEN[i % GIVEN.len()];
                let family = FAMILY[(i / GIVEN.len() + i * 7) % FAMILY.len()];
                let base = format!("{given}.{family}");
                let n = seen.entry(base.clone()).or_default();
                *n += 1;
                let upn = if *n == 1 {
                    format!("{base}@{DOMAIN}")
                } else {
                    format!("{base}{}@{DOMAIN}", *n)
                };
                let prov = match i % 20 {
                    7 => Provisioning::CloudSync,
                    13 => Provisioning::CloudOnly,
                    _ => Provisioning::Connect,
                };
                let methods = if i % 97 == 5 {
                    Vec::new()
                } else {
                    GATE_PATTERNS[i % GATE_PATTERNS.len()]
                        .chars()
                        .filter_map(Gate::from_code)
                        .collect()
                };
                Person {
                    given: GIVEN[i % GIVEN.len()],
                    id: rng.guid(),
                    typed: upn.clone(),
                    upn,
                    display: format!("{} {}", capitalize(family), capitalize(given)),
                    home_ip: format!("198.51.{}.{}", (i / 250) % 256, 1 + i % 250),
                    office_ip: ["203.0.113.10", "203.0.113.11", "203.0.113.40"][i % 3],
                    prov,
                    methods,
                    required: if i % 9 == 0 { 2 } else { 1 },
                }
            })
            .collect();
        d
    }
}

/// Generates a tenant of `users` people over `days` days from 1 October 2026 (JST), handing
/// the audit records to `sink` one day at a time (time-sorted within the day), so that a tenant
/// of millions of records never sits in memory; keeps the SSPR-relevant records.
///
/// Per day each person starts an SSPR flow with probability 3.5 % (at most one a day), of a
/// kind and ending drawn from realistic weights; a few people per 211 are throttled (a burst
/// and a block record, or a burst and none), one per 307 is blocked for wrong SMS codes, people
/// without a licence fail for it, synced people's resets fail during the writeback outage on
/// day `days / 3` (09:40–10:50), some people register methods (some the same one twice a day);
/// every person-day adds about three records of other services, or as many as make the
/// relevant records `spec.sspr_share_tenths` of the day's records.
pub(super) fn tenant_cloud(
    spec: &super::tenant::TenantSpec,
    mut sink: impl FnMut(Vec<SynthAuditEvent>) -> io::Result<()>,
) -> io::Result<TenantCloud> {
    let (users, days) = (spec.users, spec.days);
    let mut rng = Rng::new(spec.seed);
    let dir = Directory::synthetic(&mut rng, users);
    let mut g = Gen::new(rng);
    let licence_of = |i: usize, p: &Person| -> &'static str {
        if p.prov == Provisioning::CloudOnly {
            "STD"
        } else if i % 53 == 9 {
            "NONE"
        } else if i % 41 == 3 {
            "O365"
        } else {
            "E3"
        }
    };
    let outage_day = (days / 3).max(2);
    let special_day = |i: usize| 1 + ((i * 13) % days as usize) as u32;
    let mut cloud = TenantCloud {
        relevant: Vec::new(),
        connect_users: Vec::new(),
        people: Vec::new(),
        block_users: Vec::new(),
        sms_blocked_users: Vec::new(),
        burst_users: Vec::new(),
        license_failed_users: Vec::new(),
        registrations: Vec::new(),
    };
    let is_relevant = |e: &SynthAuditEvent| {
        e.service == SSPR
            || e.service == AUTH_METHODS
            || (e.service == CORE
                && matches!(
                    e.activity.as_str(),
                    "Reset user password"
                        | "Change user password"
                        | "Update StsRefreshTokenValidFrom Timestamp"
                        | "Set force change user password"
                ))
    };
    let mut license_failed = std::collections::BTreeSet::new();
    let mut sms_blocked = std::collections::BTreeSet::new();
    for day in 1..=days {
        for (i, p) in dir.staff.iter().enumerate() {
            let licence = licence_of(i, p);
            // Throttling scenarios on the person's special day, and nothing else that day.
            if day == special_day(i) && i % 211 == 7 {
                for (k, minute) in [0u32, 8, 17, 25, 34].into_iter().enumerate() {
                    let gate = if k % 2 == 0 { Gate::Sms } else { Gate::Voice };
                    let (c, t) = (g.corr(), g.at(day, 10, minute));
                    g.journey(p, &c, t, &[gate], End::AbandonAtGate(0));
                }
                let (c, t) = (g.corr(), g.at(day, 10, 41));
                g.blocked(p, &c, t);
                cloud.block_users.push(p.upn.to_lowercase());
                continue;
            }
            if day == special_day(i) && i % 211 == 11 {
                for minute in [0u32, 6, 13, 21, 28, 39] {
                    let (c, t) = (g.corr(), g.at(day, 13, minute));
                    g.journey(p, &c, t, &[Gate::Sms], End::AbandonAtGate(0));
                }
                cloud.burst_users.push(p.upn.to_lowercase());
                continue;
            }
            if day == special_day(i) && i % 307 == 5 && p.methods.contains(&Gate::Sms) {
                let (c, t) = (g.corr(), g.at(day, 14, 5));
                g.journey(p, &c, t, &[Gate::Sms], End::SmsBlocked);
                sms_blocked.insert(p.upn.to_lowercase());
                continue;
            }
            // The writeback outage: synced people who try to reset in that hour fail.
            if day == outage_day && p.prov == Provisioning::Connect && i % 50 == 1 {
                let minute = 41 + g.rng.below(68) as u32;
                let t = g.at(day, 9 + minute / 60, minute % 60);
                let end = End::AfterPassword {
                    final_reason: Some(R_ONPREM_CONN_CODE),
                    progress_reason: Some(R_ONPREM_UNREACHABLE),
                };
                g.reset(p, t, end);
                continue;
            }
            // Registrations: a few people a day, some register the same method twice.
            if g.rng.chance(0.004) {
                let minute = g.rng.below(60) as u32;
                let t = g.at(day, 11, minute);
                let set: &[&'static str] = match i % 4 {
                    0 => &[M_SMS],
                    1 => &[M_APP_BOTH],
                    2 => &[M_APP_BOTH, M_SMS],
                    _ => &[M_APP_CODE],
                };
                let all_required = i % 3 == 0;
                g.registration(p, t, set, all_required);
                for m in set {
                    cloud.registrations.push((t, p.upn.to_lowercase(), m));
                }
                if all_required {
                    cloud
                        .registrations
                        .push((t, p.upn.to_lowercase(), "all required"));
                }
                if i % 5 == 0 {
                    let minute = g.rng.below(60) as u32;
                    let t2 = g.at(day, 16, minute);
                    g.registration(p, t2, &set[..1], false);
                    cloud.registrations.push((t2, p.upn.to_lowercase(), set[0]));
                }
                continue;
            }
            if !g.rng.chance(0.035) {
                continue;
            }
            let hour = *g.rng.pick(&HOURS);
            let minute = g.rng.below(60) as u32;
            let t = g.at(day, hour, minute);
            if licence == "NONE" && p.prov != Provisioning::CloudOnly {
                g.reset(p, t, End::EarlyFail(R_LICENSE));
                license_failed.insert(p.upn.to_lowercase());
                continue;
            }
            let roll = g.rng.below(100);
            match roll {
                0..=49 => {
                    g.reset(p, t, End::Success);
                }
                50..=54 => {
                    g.reset(p, t, End::BannedThenSuccess);
                }
                55..=59 => {
                    g.reset(p, t, End::AbandonAtOptions);
                }
                60..=64 => {
                    g.reset(p, t, End::AbandonAtGate(0));
                }
                65..=67 => {
                    g.reset(p, t, End::AbandonBeforePassword);
                }
                68..=70 => {
                    g.reset(p, t, End::EarlyFail(R_NOT_REGISTERED));
                }
                71..=72 => {
                    g.reset(p, t, End::CancelAtGate(0));
                }
                73..=74 => {
                    let end = End::AfterPassword {
                        final_reason: Some(R_FUZZY),
                        progress_reason: None,
                    };
                    g.reset(p, t, end);
                }
                75..=86 => {
                    let c = g.corr();
                    g.change(p, &c, t, None);
                }
                87..=89 => {
                    let c = g.corr();
                    g.change(p, &c, t, Some(R_FUZZY_ALT));
                }
                90..=95 => {
                    let c = g.corr();
                    g.admin_reset(dir.helpdesk(), p, &c, t, None);
                }
                _ if p.prov == Provisioning::Connect => {
                    g.reset(p, t, End::Unlock);
                }
                _ => {
                    g.reset(p, t, End::Success);
                }
            }
        }
        // Everything else a directory logs: attribute exports by the sync account, device
        // check-ins, group self-service, helpdesk edits, consent.
        let noise = match spec.sspr_share_tenths {
            None => dir.staff.len() * 3,
            Some(tenths) => {
                let relevant = g.events.iter().filter(|e| is_relevant(e)).count() as u64;
                let tenths = u64::from(tenths.clamp(1, 1000));
                // relevant / (relevant + noise) = tenths / 1000, rounded to the nearest row.
                ((relevant * (1000 - tenths) + tenths / 2) / tenths) as usize
            }
        };
        for _ in 0..noise {
            let roll = g.rng.below(100);
            let p = &dir.staff[g.rng.below(dir.staff.len() as u64) as usize];
            let (hour, minute) = (g.rng.below(24) as u32, g.rng.below(60) as u32);
            let t = g.at(day, hour, minute);
            match roll {
                0..=49 if p.prov == Provisioning::Connect => g.sync_update_user(p, t),
                0..=79 => {
                    let device = g.rng.below(dir.devices.len() as u64) as usize;
                    g.update_device(&dir, device, t)
                }
                80..=89 => g.ssgm(p, t),
                90..=96 => g.admin_update_user(dir.helpdesk(), p, t),
                _ => g.consent(&dir, p, t),
            }
        }
        let mut chunk = std::mem::take(&mut g.events);
        sort_events(&mut chunk);
        cloud
            .relevant
            .extend(chunk.iter().filter(|e| is_relevant(e)).cloned());
        sink(chunk)?;
    }
    sort_events(&mut cloud.relevant);
    cloud.license_failed_users = license_failed.into_iter().collect();
    cloud.sms_blocked_users = sms_blocked.into_iter().collect();
    let staff = dir.staff.iter().enumerate().map(|(i, p)| (i, p, false));
    let admins = dir.admins.iter().map(|p| (0, p, true));
    for (i, p, admin) in staff.chain(admins) {
        if p.prov == Provisioning::Connect {
            cloud
                .connect_users
                .push((p.upn.clone(), p.id.clone(), p.display.clone()));
        }
        let mut graph: Vec<&'static str> = Vec::new();
        for gate in &p.methods {
            let m = graph_method(*gate);
            if !graph.contains(&m) {
                graph.push(m);
            }
        }
        let (given, family) = match p.upn.split_once('@').and_then(|(l, _)| l.split_once('.')) {
            Some((g, f)) => (
                capitalize(g),
                capitalize(f.trim_end_matches(char::is_numeric)),
            ),
            None => (capitalize(p.given), String::new()),
        };
        cloud.people.push(TenantPerson {
            id: p.id.clone(),
            upn: p.upn.clone(),
            display: p.display.clone(),
            given,
            family,
            prov: match p.prov {
                Provisioning::Connect => 'C',
                Provisioning::CloudSync => 'S',
                Provisioning::CloudOnly => 'O',
            },
            graph_methods: graph,
            required: p.required,
            admin,
            licence: if admin {
                if p.prov == Provisioning::CloudOnly {
                    "P2"
                } else {
                    "E5"
                }
            } else {
                licence_of(i, p)
            },
        });
    }
    Ok(cloud)
}
