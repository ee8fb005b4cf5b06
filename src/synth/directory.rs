//! The per-format fixtures of registration and licence exports (`fixtures/directory/`): one small
//! tenant — six people and the sync account — written in every registration and licence format,
//! so tests can check that each format tells the same story, and where a format cannot (an Active
//! users CSV does not show disabled service plans), that the report says what it can.

use super::directory_formats::{
    self as formats, LicenseNames, SynthLicense, SynthLicensedUser, SynthRegistration, SynthSku,
    SynthUsageEvent,
};
use super::sample::products;
use chrono::{DateTime, TimeZone, Utc};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Service plan id of `AAD_PREMIUM` (Entra ID P1).
const AAD_PREMIUM: &str = "41781fb2-bc02-4b7c-bd55-b576c07bb09d";
const MFA_PREMIUM: &str = "8a256a2b-b617-496d-b51b-e76466e88db0";
const EXCHANGE_S_ENTERPRISE: &str = "efb87545-963c-4e0d-99df-69c6916d9eb0";

/// A tenant-specific bundle no built-in table knows; its `subscribedSkus` entry shows it
/// includes Entra ID P1.
fn custom_bundle() -> SynthLicense {
    SynthLicense {
        sku_id: "9b2e7c1a-4d3f-4e8a-b5c6-0d1e2f3a4b5c",
        part_number: "CONTOSO_CUSTOM_BUNDLE",
        product: "Contoso Custom Bundle",
        disabled_plans: vec![],
    }
}

/// The tenant's subscriptions with their service plans.
pub fn skus() -> Vec<SynthSku> {
    let e3 = products::m365_e3();
    let o365 = products::o365_e3();
    let standard = products::business_standard();
    let custom = custom_bundle();
    vec![
        SynthSku {
            sku_id: e3.sku_id,
            part_number: e3.part_number,
            plans: vec![
                (AAD_PREMIUM, "AAD_PREMIUM"),
                (MFA_PREMIUM, "MFA_PREMIUM"),
                (EXCHANGE_S_ENTERPRISE, "EXCHANGE_S_ENTERPRISE"),
            ],
            prepaid: 50,
            consumed: 3,
        },
        SynthSku {
            sku_id: o365.sku_id,
            part_number: o365.part_number,
            plans: vec![(EXCHANGE_S_ENTERPRISE, "EXCHANGE_S_ENTERPRISE")],
            prepaid: 10,
            consumed: 1,
        },
        SynthSku {
            sku_id: standard.sku_id,
            part_number: standard.part_number,
            plans: vec![(EXCHANGE_S_ENTERPRISE, "EXCHANGE_S_ENTERPRISE")],
            prepaid: 5,
            consumed: 1,
        },
        SynthSku {
            sku_id: custom.sku_id,
            part_number: custom.part_number,
            plans: vec![(AAD_PREMIUM, "AAD_PREMIUM"), (MFA_PREMIUM, "MFA_PREMIUM")],
            prepaid: 5,
            consumed: 1,
        },
    ]
}

fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 10, day, hour, minute, 0)
        .single()
        .unwrap_or_default()
}

struct Person {
    id: &'static str,
    upn: &'static str,
    display: &'static str,
    synced: bool,
    licenses: Vec<SynthLicense>,
    methods: Vec<&'static str>,
    required: usize,
}

/// Six people: taro (E3, registered), hanako (Office 365 E3 only: no P1), ichiro (E3 with the
/// AAD_PREMIUM plan disabled), yuki (no licence, nothing registered), mai (cloud-only, Business
/// Standard), kenji (the custom bundle).
fn people() -> Vec<Person> {
    let mut e3_without_p1 = products::m365_e3();
    e3_without_p1.disabled_plans = vec![AAD_PREMIUM];
    vec![
        Person {
            id: "0c1d2e3f-1111-4a5b-8c6d-000000000001",
            upn: "taro.yamada@contoso.co.jp",
            display: "山田 太郎",
            synced: true,
            licenses: vec![products::m365_e3()],
            methods: vec!["mobilePhone", "microsoftAuthenticatorPush"],
            required: 1,
        },
        Person {
            id: "0c1d2e3f-1111-4a5b-8c6d-000000000002",
            upn: "hanako.sato@contoso.co.jp",
            display: "佐藤 花子",
            synced: true,
            licenses: vec![products::o365_e3()],
            methods: vec!["mobilePhone", "email"],
            required: 2,
        },
        Person {
            id: "0c1d2e3f-1111-4a5b-8c6d-000000000003",
            upn: "Ichiro.Suzuki@contoso.co.jp",
            display: "Suzuki Ichiro",
            synced: true,
            licenses: vec![e3_without_p1],
            methods: vec!["softwareOneTimePasscode"],
            required: 1,
        },
        Person {
            id: "0c1d2e3f-1111-4a5b-8c6d-000000000004",
            upn: "yuki.takahashi@contoso.co.jp",
            display: "高橋 由紀",
            synced: true,
            licenses: vec![],
            methods: vec![],
            required: 1,
        },
        Person {
            id: "0c1d2e3f-1111-4a5b-8c6d-000000000005",
            upn: "mai.hayashi@contoso.co.jp",
            display: "林 舞",
            synced: false,
            licenses: vec![products::business_standard()],
            methods: vec!["email", "securityQuestion"],
            required: 2,
        },
        Person {
            id: "0c1d2e3f-1111-4a5b-8c6d-000000000006",
            upn: "kenji.tanaka@contoso.co.jp",
            display: "田中 健二",
            synced: true,
            licenses: vec![custom_bundle()],
            methods: vec!["officePhone"],
            required: 1,
        },
    ]
}

/// Registration details of the six (all enabled for SSPR), refreshed on 31 October.
pub fn registrations() -> Vec<SynthRegistration> {
    people()
        .into_iter()
        .map(|p| SynthRegistration {
            id: p.id.into(),
            upn: p.upn.into(),
            display: p.display.into(),
            is_admin: false,
            sspr_registered: !p.methods.is_empty() && p.methods.len() >= p.required,
            sspr_enabled: true,
            methods: p.methods,
            updated: at(31, 21, 4),
        })
        .collect()
}

/// The licence list of the six, plus the sync account.
pub fn licensed_users() -> Vec<SynthLicensedUser> {
    let mut users: Vec<SynthLicensedUser> = people()
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let (first, last) = p
                .upn
                .split('@')
                .next()
                .and_then(|l| l.split_once('.'))
                .unwrap_or(("", ""));
            SynthLicensedUser {
                id: p.id.into(),
                upn: p.upn.into(),
                display: p.display.into(),
                first_last: (first.into(), last.into()),
                department: ["営業部", "経理部", "情報システム部"][i % 3],
                city: "東京都千代田区",
                synced: p.synced,
                licenses: p.licenses,
                created: at(1, 0, 0) - chrono::TimeDelta::days(300 + i as i64),
            }
        })
        .collect();
    users.push(SynthLicensedUser {
        id: "6e2d9a41-3c7b-4f80-b15e-0a9c8d7e6f52".into(),
        upn: "Sync_CONNECT01_3f9c2e7a1b5d@contosojp.onmicrosoft.com".into(),
        display: "On-Premises Directory Synchronization Service Account".into(),
        first_last: (String::new(), String::new()),
        department: "",
        city: "",
        synced: false,
        licenses: vec![],
        created: at(1, 0, 0) - chrono::TimeDelta::days(900),
    });
    users
}

/// Usage records: taro registers a phone and resets with it, hanako fails a reset, yuki's
/// registration fails.
pub fn usage_events() -> Vec<SynthUsageEvent> {
    let ev =
        |n: u32, feature, upn: &str, display: &str, success, method, reason, t| SynthUsageEvent {
            id: format!("7f3a2b1c-0000-4000-8000-{n:012}"),
            feature,
            upn: upn.into(),
            display: display.into(),
            success,
            auth_method: method,
            failure_reason: reason,
            time: t,
        };
    vec![
        ev(
            1,
            "registration",
            "taro.yamada@contoso.co.jp",
            "山田 太郎",
            true,
            "mobileSMS",
            "",
            at(2, 1, 10),
        ),
        ev(
            2,
            "registration",
            "taro.yamada@contoso.co.jp",
            "山田 太郎",
            true,
            "appNotification",
            "",
            at(2, 1, 12),
        ),
        ev(
            3,
            "reset",
            "taro.yamada@contoso.co.jp",
            "山田 太郎",
            true,
            "mobileSMS",
            "",
            at(9, 0, 30),
        ),
        ev(
            4,
            "reset",
            "hanako.sato@contoso.co.jp",
            "佐藤 花子",
            false,
            "email",
            "UserNotProperlyConfigured",
            at(12, 2, 0),
        ),
        ev(
            5,
            "registration",
            "yuki.takahashi@contoso.co.jp",
            "高橋 由紀",
            false,
            "mobileSMS",
            "InvalidPhoneNumber",
            at(20, 5, 45),
        ),
        ev(
            6,
            "registration",
            "hanako.sato@contoso.co.jp",
            "佐藤 花子",
            true,
            "email",
            "",
            at(21, 3, 5),
        ),
    ]
}

/// Writes `fixtures/directory/`: the registration details in five shapes, the licence list in
/// five, usage records in both APIs; returns the files written, sorted.
pub fn write_directory_fixtures(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let reg_dir = dir.join("registrations");
    let lic_dir = dir.join("licenses");
    let usage_dir = dir.join("usage");
    for d in [&reg_dir, &lic_dir, &usage_dir] {
        fs::create_dir_all(d)?;
    }
    let regs = registrations();
    let users = licensed_users();
    let skus = skus();
    let mut files = Vec::new();
    let mut add = |p: PathBuf| {
        files.push(p.clone());
        p
    };
    use super::audit_formats::TextEncoding;
    formats::write_registration_csv(
        &regs,
        &add(reg_dir.join("portal.csv")),
        TextEncoding::Utf8Bom,
    )?;
    formats::write_registration_csv(
        &regs,
        &add(reg_dir.join("portal_utf16.csv")),
        TextEncoding::Utf16LeBom,
    )?;
    formats::write_registration_xlsx(&regs, &add(reg_dir.join("portal.xlsx")))?;
    formats::write_registration_graph(&regs, &add(reg_dir.join("userRegistrationDetails.json")))?;
    formats::write_registration_flat_csv(
        &regs,
        &add(reg_dir.join("userRegistrationDetails_flat.csv")),
    )?;
    formats::write_credential_registration(
        &regs,
        &add(reg_dir.join("credentialUserRegistrationDetails.json")),
    )?;

    formats::write_active_users(
        &users,
        &add(lic_dir.join("ActiveUsers.csv")),
        LicenseNames::Friendly,
        "contosojp",
    )?;
    formats::write_active_users(
        &users,
        &add(lic_dir.join("ActiveUsers_skuid.csv")),
        LicenseNames::AccountSkuId,
        "contosojp",
    )?;
    formats::write_graph_users(&users, &add(lic_dir.join("users.json")), None)?;
    formats::write_graph_users(
        &users,
        &add(lic_dir.join("users_licenseDetails.json")),
        Some(&skus),
    )?;
    formats::write_subscribed_skus(
        &skus,
        &add(lic_dir.join("subscribedSkus.json")),
        super::TENANT_ID,
    )?;
    if let Some(kenji) = users.iter().find(|u| u.upn.starts_with("kenji")) {
        formats::write_license_details(
            kenji,
            &skus,
            &add(lic_dir.join("licenseDetails_kenji.json")),
        )?;
    }

    let usage = usage_events();
    formats::write_usage_events(
        &usage,
        &add(usage_dir.join("userCredentialUsageDetails.json")),
        false,
    )?;
    formats::write_usage_events(&usage, &add(usage_dir.join("userEventsSummary.json")), true)?;
    files.sort();
    Ok(files)
}
