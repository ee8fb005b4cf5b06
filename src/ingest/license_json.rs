//! Licence data from Microsoft Graph (formats.md §4.3): users with `assignedLicenses`
//! (`skuId`, `disabledPlans`) and `onPremisesSyncEnabled`, optionally with `licenseDetails`
//! expanded; and SKU descriptions — `subscribedSkus` or a user's `licenseDetails` page — that
//! tell which service plans a SKU holds.

use super::audit_json::get_ci;
use super::registration_json::user_of;
use crate::model::audit::Origin;
use crate::model::license::{AssignedLicense, LicenseRow, PlanState, SkuInfo};
use serde_json::{Map, Value};

/// Which licence record a JSON object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LicenseShape {
    /// A user with `assignedLicenses` (or expanded `licenseDetails`).
    User,
    /// A SKU with its `servicePlans` (`subscribedSkus` or `licenseDetails`).
    Sku,
}

impl LicenseShape {
    /// Format name for `inspect`.
    pub fn label(self) -> &'static str {
        match self {
            LicenseShape::User => "Graph users with assignedLicenses",
            LicenseShape::Sku => "Graph subscribedSkus / licenseDetails",
        }
    }
}

/// Recognises a licence record by its members.
pub fn classify(v: &Value) -> Option<LicenseShape> {
    let o = v.as_object()?;
    let has = |n: &str| get_ci(o, n).is_some();
    if has("userPrincipalName") && (has("assignedLicenses") || has("licenseDetails")) {
        return Some(LicenseShape::User);
    }
    if has("skuId") && has("servicePlans") {
        return Some(LicenseShape::Sku);
    }
    None
}

fn guid(o: &Map<String, Value>, name: &str) -> Option<String> {
    match get_ci(o, name)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_lowercase()),
        _ => None,
    }
}

fn part_number(o: &Map<String, Value>) -> Option<String> {
    match get_ci(o, "skuPartNumber")? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_uppercase()),
        _ => None,
    }
}

fn array<'a>(o: &'a Map<String, Value>, name: &str) -> Result<&'a [Value], String> {
    match get_ci(o, name) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(format!("{name}: {} is not a list", short(other))),
    }
}

fn short(v: &Value) -> String {
    super::record::shorten(&v.to_string())
}

/// Service plans of a SKU or licence detail: `(id, name, provisioned)`.
fn plans(o: &Map<String, Value>) -> Result<Vec<(String, String, bool)>, String> {
    let mut out = Vec::new();
    for p in array(o, "servicePlans")? {
        let p = p
            .as_object()
            .ok_or_else(|| format!("servicePlans: {} is not a plan", short(p)))?;
        let id = guid(p, "servicePlanId").unwrap_or_default();
        let name = match get_ci(p, "servicePlanName") {
            Some(Value::String(s)) => s.trim().to_string(),
            _ => String::new(),
        };
        if id.is_empty() && name.is_empty() {
            return Err("servicePlans: a plan without servicePlanId and servicePlanName".into());
        }
        let enabled = !matches!(get_ci(p, "provisioningStatus"),
            Some(Value::String(s)) if s.trim().eq_ignore_ascii_case("Disabled"));
        out.push((id, name, enabled));
    }
    Ok(out)
}

/// One SKU description.
pub fn sku(v: &Value, origin: Origin) -> Result<SkuInfo, String> {
    let o = v.as_object().ok_or("not a JSON object")?;
    let sku_id = guid(o, "skuId");
    let part = part_number(o);
    if sku_id.is_none() && part.is_none() {
        return Err("missing skuId and skuPartNumber".into());
    }
    Ok(SkuInfo {
        sku_id,
        part_number: part,
        plans: plans(o)?
            .into_iter()
            .map(|(id, name, _)| (id, name))
            .collect(),
        origin,
    })
}

/// One user's licences; `Ok(None)` for a service identity.
pub fn user(v: &Value, origin: Origin) -> Result<Option<LicenseRow>, String> {
    let o = v.as_object().ok_or("not a JSON object")?;
    let Some(user) = user_of(o)? else {
        return Ok(None);
    };
    // Graph returns `null`, not `false`, for a cloud-only user; a missing property (not in
    // `$select`) says nothing.
    let synced = match get_ci(o, "onPremisesSyncEnabled") {
        None => None,
        Some(Value::Null) => Some(false),
        Some(Value::Bool(b)) => Some(*b),
        Some(other) => {
            return Err(format!(
                "onPremisesSyncEnabled: {} is not true or false",
                short(other)
            ));
        }
    };
    let mut licenses: Vec<AssignedLicense> = Vec::new();
    for a in array(o, "assignedLicenses")? {
        let a = a
            .as_object()
            .ok_or_else(|| format!("assignedLicenses: {} is not a licence", short(a)))?;
        let sku_id = guid(a, "skuId").ok_or("assignedLicenses: a licence without skuId")?;
        let mut disabled = Vec::new();
        for d in array(a, "disabledPlans")? {
            match d {
                Value::String(s) => disabled.push(s.trim().to_lowercase()),
                other => return Err(format!("disabledPlans: {} is not a plan id", short(other))),
            }
        }
        licenses.push(AssignedLicense {
            sku_id: Some(sku_id),
            disabled_plans: disabled,
            ..AssignedLicense::default()
        });
    }
    // `$expand=licenseDetails`: the user's own plan states, and the part numbers.
    for d in array(o, "licenseDetails")? {
        let d = d
            .as_object()
            .ok_or_else(|| format!("licenseDetails: {} is not a licence", short(d)))?;
        let sku_id = guid(d, "skuId");
        let plan_states: Vec<PlanState> = plans(d)?
            .into_iter()
            .map(|(id, name, enabled)| PlanState { id, name, enabled })
            .collect();
        let existing = licenses
            .iter_mut()
            .find(|l| sku_id.is_some() && l.sku_id == sku_id);
        match existing {
            Some(l) => {
                l.part_number = part_number(d);
                l.plans = plan_states;
            }
            None => licenses.push(AssignedLicense {
                sku_id,
                part_number: part_number(d),
                plans: plan_states,
                ..AssignedLicense::default()
            }),
        }
    }
    let display_name = match get_ci(o, "displayName") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    };
    Ok(Some(LicenseRow {
        user,
        display_name,
        synced,
        licenses,
        origin,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::license::{AAD_PREMIUM_PLAN_ID, Entitlement, SkuCatalog};

    fn origin() -> Origin {
        Origin {
            file: 0,
            location: "record 1".into(),
        }
    }

    #[test]
    fn user_with_disabled_p1_plan() {
        let v: Value = serde_json::from_str(&format!(
            r#"{{"id":"9","userPrincipalName":"Kenta.Ikeda@contoso.co.jp","displayName":"池田 健太",
                "onPremisesSyncEnabled":true,
                "assignedLicenses":[{{"disabledPlans":["{AAD_PREMIUM_PLAN_ID}"],"skuId":"05e9a617-0261-4cee-bb44-138d3ef5d965"}}]}}"#
        ))
        .expect("json");
        assert_eq!(classify(&v), Some(LicenseShape::User));
        let row = user(&v, origin()).expect("row").expect("user");
        assert_eq!(row.synced, Some(true));
        assert_eq!(row.entitlement(&SkuCatalog::default()), Entitlement::NoP1);
        assert_eq!(row.label(&SkuCatalog::default()), "SPE_E3");
    }

    #[test]
    fn subscribed_sku_and_expanded_details() {
        let s: Value = serde_json::from_str(
            r#"{"capabilityStatus":"Enabled","consumedUnits":3,"id":"t_x","skuId":"078D2B04-F1BD-4111-BBD4-B4B1B354CEF4",
                "skuPartNumber":"AAD_PREMIUM","appliesTo":"User","prepaidUnits":{"enabled":5},
                "servicePlans":[{"servicePlanId":"41781fb2-bc02-4b7c-bd55-b576c07bb09d","servicePlanName":"AAD_PREMIUM","provisioningStatus":"Success","appliesTo":"User"}]}"#,
        )
        .expect("json");
        assert_eq!(classify(&s), Some(LicenseShape::Sku));
        let info = sku(&s, origin()).expect("sku");
        assert_eq!(
            info.sku_id.as_deref(),
            Some("078d2b04-f1bd-4111-bbd4-b4b1b354cef4")
        );
        let v: Value = serde_json::from_str(
            r#"{"userPrincipalName":"a@x.jp","assignedLicenses":[{"skuId":"aaaaaaaa-1111-2222-3333-444444444444","disabledPlans":[]}],
                "licenseDetails":[{"id":"l1","skuId":"aaaaaaaa-1111-2222-3333-444444444444","skuPartNumber":"CONTOSO_BUNDLE",
                  "servicePlans":[{"servicePlanId":"41781fb2-bc02-4b7c-bd55-b576c07bb09d","servicePlanName":"AAD_PREMIUM","provisioningStatus":"Disabled","appliesTo":"User"}]}]}"#,
        )
        .expect("json");
        let row = user(&v, origin()).expect("row").expect("user");
        assert_eq!(
            row.licenses.len(),
            1,
            "details merge into the assigned licence"
        );
        assert_eq!(row.entitlement(&SkuCatalog::default()), Entitlement::NoP1);
    }

    #[test]
    fn malformed_users_are_errors() {
        let v: Value = serde_json::from_str(
            r#"{"userPrincipalName":"a@x.jp","assignedLicenses":[{"disabledPlans":[]}]}"#,
        )
        .expect("json");
        assert!(user(&v, origin()).expect_err("no sku").contains("skuId"));
        let v: Value =
            serde_json::from_str(r#"{"userPrincipalName":"a@x.jp","assignedLicenses":"E3"}"#)
                .expect("json");
        assert!(
            user(&v, origin())
                .expect_err("not a list")
                .contains("not a list")
        );
    }
}
