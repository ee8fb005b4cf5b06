//! Writers for the directory exports beside the audit log: registration details (portal CSV and
//! workbook, Graph `userRegistrationDetails`, a script's flattened CSV of it, the beta
//! `credentialUserRegistrationDetails`), registration usage records (`userCredentialUsageDetails`
//! / `userEventsSummary`), and licences (admin center Active users CSV, Graph users with
//! `assignedLicenses`, `subscribedSkus`, `licenseDetails`). Shapes follow formats.md §2.7, §3, §4.

use super::audit_formats::{TextEncoding, encode_text};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::fs;
use std::io;
use std::path::Path;

const GRAPH: &str = "https://graph.microsoft.com";

/// One user's registration state as the registration report shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthRegistration {
    /// User object id.
    pub id: String,
    /// UPN as the directory spells it.
    pub upn: String,
    /// Display name.
    pub display: String,
    /// Holds an admin role.
    pub is_admin: bool,
    /// Registered enough methods for SSPR.
    pub sspr_registered: bool,
    /// Allowed to use SSPR.
    pub sspr_enabled: bool,
    /// Registered methods as Graph `methodsRegistered` names (`mobilePhone`, `email`, …).
    pub methods: Vec<&'static str>,
    /// The report's refresh time.
    pub updated: DateTime<Utc>,
}

impl SynthRegistration {
    fn sspr_capable(&self) -> bool {
        self.sspr_registered && self.sspr_enabled
    }

    fn mfa_capable(&self) -> bool {
        self.methods
            .iter()
            .any(|m| !matches!(*m, "email" | "securityQuestion"))
    }
}

/// The portal's display name of a Graph method name (formats.md §3.1).
fn portal_method(graph: &str) -> &'static str {
    match graph {
        "mobilePhone" => "Mobile phone",
        "alternateMobilePhone" => "Alternate Mobile Phone",
        "officePhone" => "Office phone",
        "email" => "Email",
        "securityQuestion" => "Security questions",
        "microsoftAuthenticatorPush" => "Microsoft Authenticator app",
        "softwareOneTimePasscode" => "Software OATH token",
        "hardwareOneTimePasscode" => "Hardware OATH token",
        "fido2" => "FIDO2 security key",
        "temporaryAccessPass" => "Temporary Access Pass",
        "windowsHelloForBusiness" => "Windows Hello for Business",
        _ => "Microsoft Passwordless phone sign-in",
    }
}

/// The beta `authMethods` name of a Graph method name (formats.md §3.3).
fn credential_method(graph: &str) -> Option<&'static str> {
    Some(match graph {
        "mobilePhone" => "mobilePhone",
        "officePhone" => "officePhone",
        "alternateMobilePhone" => "alternateMobilePhone",
        "email" => "email",
        "securityQuestion" => "securityQuestion",
        "microsoftAuthenticatorPush" => "appNotification",
        "softwareOneTimePasscode" => "appCode",
        _ => return None,
    })
}

fn flag_word(v: bool, yes: &'static str, no: &'static str) -> &'static str {
    if v { yes } else { no }
}

fn csv_text(rows: &[Vec<String>]) -> io::Result<String> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for r in rows {
        w.write_record(r)?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

fn graph_page(context: &str, items: Vec<Value>) -> io::Result<String> {
    let doc = json!({ "@odata.context": context, "value": items });
    let mut text = serde_json::to_string_pretty(&doc).map_err(io::Error::other)?;
    text.push('\n');
    Ok(text)
}

fn ticks(t: DateTime<Utc>) -> String {
    super::audit_formats::z7(t)
}

const PORTAL_REGISTRATION_HEADER: [&str; 9] = [
    "User principal name",
    "Name",
    "MFA Capable",
    "Passwordless Capable",
    "SSPR Registered",
    "SSPR Enabled",
    "SSPR Capable",
    "Methods registered",
    "Last Updated Time",
];

fn portal_registration_cells(r: &SynthRegistration) -> Vec<String> {
    let methods: Vec<&str> = r.methods.iter().map(|m| portal_method(m)).collect();
    vec![
        r.upn.clone(),
        r.display.clone(),
        flag_word(r.mfa_capable(), "Capable", "Not Capable").into(),
        "Not Capable".into(),
        flag_word(r.sspr_registered, "Registered", "Not Registered").into(),
        flag_word(r.sspr_enabled, "Enabled", "Not Enabled").into(),
        flag_word(r.sspr_capable(), "Capable", "Not Capable").into(),
        methods.join(", "),
        r.updated.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    ]
}

/// The portal's "User registration details" download as CSV (UTF-8 with BOM, CRLF).
pub fn write_registration_csv(
    rows: &[SynthRegistration],
    path: &Path,
    encoding: TextEncoding,
) -> io::Result<()> {
    let mut table = vec![
        PORTAL_REGISTRATION_HEADER
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>(),
    ];
    table.extend(rows.iter().map(portal_registration_cells));
    fs::write(path, encode_text(&csv_text(&table)?, encoding)?)
}

/// The same download saved as a workbook: a title row above the table (as a report export
/// has), `Last Updated Time` a real date cell.
pub fn write_registration_xlsx(rows: &[SynthRegistration], path: &Path) -> io::Result<()> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| io::Error::other(e.to_string());
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(2026, 11, 2)
        .and_then(|d| d.and_hms(9, 0, 0))
        .map_err(err)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let date_format = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let sheet = workbook.add_worksheet();
    sheet.set_name("User registration details").map_err(err)?;
    sheet
        .write_string(0, 0, "User registration details")
        .map_err(err)?;
    for (c, name) in PORTAL_REGISTRATION_HEADER.iter().enumerate() {
        sheet.write_string(2, c as u16, *name).map_err(err)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = u32::try_from(i + 3).map_err(io::Error::other)?;
        let cells = portal_registration_cells(r);
        for (c, value) in cells.iter().enumerate().take(8) {
            sheet
                .write_string(row, c as u16, value.as_str())
                .map_err(err)?;
        }
        let serial = r.updated.timestamp_millis() as f64 / 86_400_000.0 + 25_569.0;
        sheet
            .write_number_with_format(row, 8, serial, &date_format)
            .map_err(err)?;
    }
    workbook.save(path).map_err(err)
}

fn graph_registration(r: &SynthRegistration) -> Value {
    json!({
        "id": r.id,
        "userPrincipalName": r.upn,
        "userDisplayName": r.display,
        "userType": "member",
        "isAdmin": r.is_admin,
        "isSsprRegistered": r.sspr_registered,
        "isSsprEnabled": r.sspr_enabled,
        "isSsprCapable": r.sspr_capable(),
        "isMfaRegistered": r.mfa_capable(),
        "isMfaCapable": r.mfa_capable(),
        "isPasswordlessCapable": false,
        "methodsRegistered": r.methods,
        "isSystemPreferredAuthenticationMethodEnabled": true,
        "systemPreferredAuthenticationMethods": if r.methods.contains(&"microsoftAuthenticatorPush") { json!(["push"]) } else if r.methods.contains(&"mobilePhone") { json!(["sms"]) } else { json!([]) },
        "userPreferredMethodForSecondaryAuthentication": if r.methods.contains(&"microsoftAuthenticatorPush") { "push" } else if r.methods.contains(&"mobilePhone") { "sms" } else { "none" },
        "lastUpdatedDateTime": ticks(r.updated),
    })
}

/// Graph `userRegistrationDetails`, one list page.
pub fn write_registration_graph(rows: &[SynthRegistration], path: &Path) -> io::Result<()> {
    let items = rows.iter().map(graph_registration).collect();
    fs::write(
        path,
        graph_page(
            &format!(
                "{GRAPH}/v1.0/$metadata#reports/authenticationMethods/userRegistrationDetails"
            ),
            items,
        )?,
    )
}

/// Graph `userRegistrationDetails` flattened to CSV by a script (`methodsRegistered` joined
/// with `, `, booleans as `True`/`False`), the way community exporters write it.
pub fn write_registration_flat_csv(rows: &[SynthRegistration], path: &Path) -> io::Result<()> {
    let tf = |v: bool| flag_word(v, "True", "False").to_string();
    let mut table = vec![
        [
            "userPrincipalName",
            "userDisplayName",
            "isAdmin",
            "isMfaRegistered",
            "isSsprRegistered",
            "isSsprEnabled",
            "isSsprCapable",
            "methodsRegistered",
            "lastUpdatedDateTime",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>(),
    ];
    for r in rows {
        table.push(vec![
            r.upn.clone(),
            r.display.clone(),
            tf(r.is_admin),
            tf(r.mfa_capable()),
            tf(r.sspr_registered),
            tf(r.sspr_enabled),
            tf(r.sspr_capable()),
            r.methods.join(", "),
            ticks(r.updated),
        ]);
    }
    fs::write(path, csv_text(&table)?)
}

/// The beta `credentialUserRegistrationDetails` list page (no refresh time in this shape).
pub fn write_credential_registration(rows: &[SynthRegistration], path: &Path) -> io::Result<()> {
    let items = rows
        .iter()
        .map(|r| {
            let methods: Vec<&str> = r
                .methods
                .iter()
                .filter_map(|m| credential_method(m))
                .collect();
            json!({
                "id": r.id,
                "userPrincipalName": r.upn,
                "userDisplayName": r.display,
                "authMethods": methods,
                "isRegistered": r.sspr_registered,
                "isEnabled": r.sspr_enabled,
                "isCapable": r.sspr_capable(),
                "isMfaRegistered": r.mfa_capable(),
            })
        })
        .collect();
    fs::write(
        path,
        graph_page(
            &format!("{GRAPH}/beta/$metadata#reports/credentialUserRegistrationDetails"),
            items,
        )?,
    )
}

/// One record of `userCredentialUsageDetails` / `userEventsSummary`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthUsageEvent {
    /// Record id.
    pub id: String,
    /// `registration` or `reset`.
    pub feature: &'static str,
    /// UPN.
    pub upn: String,
    /// Display name.
    pub display: String,
    /// `isSuccess`.
    pub success: bool,
    /// `authMethod` (`mobileSMS`, `appNotification`, `email`, …).
    pub auth_method: &'static str,
    /// `failureReason`; empty on success.
    pub failure_reason: &'static str,
    /// `eventDateTime`.
    pub time: DateTime<Utc>,
}

/// A `userCredentialUsageDetails` (or, with `successor`, `userEventsSummary`) list page.
pub fn write_usage_events(
    events: &[SynthUsageEvent],
    path: &Path,
    successor: bool,
) -> io::Result<()> {
    let items = events
        .iter()
        .map(|e| {
            json!({
                "id": e.id,
                "feature": e.feature,
                "userPrincipalName": e.upn,
                "userDisplayName": e.display,
                "isSuccess": e.success,
                "authMethod": e.auth_method,
                "failureReason": if e.failure_reason.is_empty() { Value::Null } else { json!(e.failure_reason) },
                "eventDateTime": e.time.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            })
        })
        .collect();
    let context = if successor {
        format!("{GRAPH}/beta/$metadata#reports/authenticationMethods/userEventsSummary")
    } else {
        format!("{GRAPH}/beta/$metadata#reports/userCredentialUsageDetails")
    };
    fs::write(path, graph_page(&context, items)?)
}

/// One licence of a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthLicense {
    /// `skuId`.
    pub sku_id: &'static str,
    /// `skuPartNumber`.
    pub part_number: &'static str,
    /// Product name in the admin center.
    pub product: &'static str,
    /// `disabledPlans` (service plan ids).
    pub disabled_plans: Vec<&'static str>,
}

/// One user of a licence list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthLicensedUser {
    /// User object id.
    pub id: String,
    /// UPN.
    pub upn: String,
    /// Display name.
    pub display: String,
    /// Given and family name (admin center columns).
    pub first_last: (String, String),
    /// Department.
    pub department: &'static str,
    /// City.
    pub city: &'static str,
    /// Synced from on-premises AD (`DirSyncEnabled`).
    pub synced: bool,
    /// Licences.
    pub licenses: Vec<SynthLicense>,
    /// When the account was created.
    pub created: DateTime<Utc>,
}

/// How the admin center writes `Licenses`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LicenseNames {
    /// Product names joined with `+`.
    Friendly,
    /// The older `tenant:SKU_PART` form joined with `+`.
    AccountSkuId,
}

/// The Microsoft 365 admin center "Active users → Export users" CSV: alphabetical columns,
/// `True`/`False`, `yyyy-MM-dd HH:mm:ssZ` times, UTF-8 with BOM (formats.md §4.4).
pub fn write_active_users(
    users: &[SynthLicensedUser],
    path: &Path,
    names: LicenseNames,
    tenant: &str,
) -> io::Result<()> {
    let header = [
        "Block credential",
        "City",
        "Country/Region",
        "Department",
        "DirSyncEnabled",
        "Display name",
        "First name",
        "Last dirsync time",
        "Last name",
        "Last password change time stamp",
        "License assignment details",
        "Licenses",
        "Object Id",
        "Password never expires",
        "Preferred language",
        "Proxy addresses",
        "Usage location",
        "User principal name",
        "When created",
    ];
    let mut table = vec![header.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    let time = |t: DateTime<Utc>| t.format("%Y-%m-%d %H:%M:%SZ").to_string();
    for u in users {
        let licenses = if u.licenses.is_empty() {
            "Unlicensed".to_string()
        } else {
            u.licenses
                .iter()
                .map(|l| match names {
                    LicenseNames::Friendly => l.product.to_string(),
                    LicenseNames::AccountSkuId => format!("{tenant}:{}", l.part_number),
                })
                .collect::<Vec<_>>()
                .join("+")
        };
        let details: Vec<&str> = u.licenses.iter().map(|l| l.product).collect();
        table.push(vec![
            "False".into(),
            u.city.into(),
            "Japan".into(),
            u.department.into(),
            flag_word(u.synced, "True", "False").into(),
            u.display.clone(),
            u.first_last.0.clone(),
            if u.synced {
                "2026-10-31 23:30:12Z".into()
            } else {
                String::new()
            },
            u.first_last.1.clone(),
            time(u.created),
            details.join(", "),
            licenses,
            u.id.clone(),
            "False".into(),
            "ja-JP".into(),
            format!("SMTP:{}", u.upn),
            "JP".into(),
            u.upn.clone(),
            time(u.created),
        ]);
    }
    fs::write(
        path,
        encode_text(&csv_text(&table)?, TextEncoding::Utf8Bom)?,
    )
}

/// Graph users with `assignedLicenses` and `onPremisesSyncEnabled` (`$select`), optionally with
/// `licenseDetails` expanded (`plans` gives each SKU's service plans for the expansion).
pub fn write_graph_users(
    users: &[SynthLicensedUser],
    path: &Path,
    expand_details_with: Option<&[SynthSku]>,
) -> io::Result<()> {
    let items = users
        .iter()
        .map(|u| {
            let assigned: Vec<Value> = u
                .licenses
                .iter()
                .map(|l| json!({ "disabledPlans": l.disabled_plans, "skuId": l.sku_id }))
                .collect();
            let mut obj = json!({
                "id": u.id,
                "userPrincipalName": u.upn,
                "displayName": u.display,
                "accountEnabled": true,
                "onPremisesSyncEnabled": if u.synced { json!(true) } else { Value::Null },
                "assignedLicenses": assigned,
            });
            if let (Some(skus), Some(map)) = (expand_details_with, obj.as_object_mut()) {
                let details: Vec<Value> = u
                    .licenses
                    .iter()
                    .map(|l| {
                        let plans: Vec<Value> = skus
                            .iter()
                            .find(|s| s.sku_id == l.sku_id)
                            .map(|s| {
                                s.plans
                                    .iter()
                                    .map(|(id, name)| {
                                        let status = if l.disabled_plans.contains(id) {
                                            "Disabled"
                                        } else {
                                            "Success"
                                        };
                                        json!({ "servicePlanId": id, "servicePlanName": name,
                                                "provisioningStatus": status, "appliesTo": "User" })
                                    })
                                    .collect()
                            })
                            .unwrap_or_default();
                        json!({ "id": format!("{}_{}", u.id, l.sku_id), "skuId": l.sku_id,
                                "skuPartNumber": l.part_number, "servicePlans": plans })
                    })
                    .collect();
                map.insert("licenseDetails".into(), Value::Array(details));
            }
            obj
        })
        .collect();
    let context = if expand_details_with.is_some() {
        format!(
            "{GRAPH}/v1.0/$metadata#users(id,userPrincipalName,displayName,accountEnabled,onPremisesSyncEnabled,assignedLicenses,licenseDetails())"
        )
    } else {
        format!(
            "{GRAPH}/v1.0/$metadata#users(id,userPrincipalName,displayName,accountEnabled,onPremisesSyncEnabled,assignedLicenses)"
        )
    };
    fs::write(path, graph_page(&context, items)?)
}

/// One SKU the tenant subscribes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthSku {
    /// `skuId`.
    pub sku_id: &'static str,
    /// `skuPartNumber`.
    pub part_number: &'static str,
    /// `(servicePlanId, servicePlanName)`.
    pub plans: Vec<(&'static str, &'static str)>,
    /// `prepaidUnits.enabled`.
    pub prepaid: u32,
    /// `consumedUnits`.
    pub consumed: u32,
}

/// Graph `subscribedSkus`.
pub fn write_subscribed_skus(skus: &[SynthSku], path: &Path, tenant_id: &str) -> io::Result<()> {
    let items = skus
        .iter()
        .map(|s| {
            let plans: Vec<Value> = s
                .plans
                .iter()
                .map(|(id, name)| json!({ "servicePlanId": id, "servicePlanName": name,
                                          "provisioningStatus": "Success", "appliesTo": "User" }))
                .collect();
            json!({
                "accountName": "Contoso Japan",
                "accountId": tenant_id,
                "appliesTo": "User",
                "capabilityStatus": "Enabled",
                "consumedUnits": s.consumed,
                "id": format!("{tenant_id}_{}", s.sku_id),
                "prepaidUnits": { "enabled": s.prepaid, "suspended": 0, "warning": 0, "lockedOut": 0 },
                "servicePlans": plans,
                "skuId": s.sku_id,
                "skuPartNumber": s.part_number,
                "subscriptionIds": [],
            })
        })
        .collect();
    fs::write(
        path,
        graph_page(&format!("{GRAPH}/v1.0/$metadata#subscribedSkus"), items)?,
    )
}

/// Graph `GET /users/{id}/licenseDetails` of one user.
pub fn write_license_details(
    user: &SynthLicensedUser,
    skus: &[SynthSku],
    path: &Path,
) -> io::Result<()> {
    let items = user
        .licenses
        .iter()
        .filter_map(|l| skus.iter().find(|s| s.sku_id == l.sku_id).map(|s| (l, s)))
        .map(|(l, s)| {
            let plans: Vec<Value> = s
                .plans
                .iter()
                .map(|(id, name)| {
                    let status = if l.disabled_plans.contains(id) {
                        "Disabled"
                    } else {
                        "Success"
                    };
                    json!({ "servicePlanId": id, "servicePlanName": name,
                            "provisioningStatus": status, "appliesTo": "User" })
                })
                .collect();
            json!({ "id": format!("{}_{}", user.id, s.sku_id), "skuId": s.sku_id,
                    "skuPartNumber": s.part_number, "servicePlans": plans })
        })
        .collect();
    fs::write(
        path,
        graph_page(
            &format!("{GRAPH}/v1.0/$metadata#users('{}')/licenseDetails", user.id),
            items,
        )?,
    )
}
