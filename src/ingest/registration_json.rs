//! Registration data from Microsoft Graph, as JSON pages (`{"value": […]}`), bare arrays or
//! lines: `userRegistrationDetails` (v1.0, one row per user, `methodsRegistered` a list),
//! the deprecated beta `credentialUserRegistrationDetails` (`authMethods`, `isRegistered`,
//! `isEnabled`, `isCapable`), and the per-event `userCredentialUsageDetails` / its successor
//! `userEventsSummary` (`feature`, `authMethod`, `isSuccess`, `eventDateTime`). Formats.md §2.7,
//! §3.2, §3.3.

use super::audit_json::get_ci;
use super::json_keep::Keep;
use super::timestamp;
use crate::model::audit::{Origin, user_key};
use crate::model::methods;
use crate::model::registration::{SnapshotRow, UsageEvent, UsageFeature, parse_flag};
use serde_json::{Map, Value};

/// Which registration record a JSON object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationShape {
    /// `userRegistrationDetails`.
    Details,
    /// `credentialUserRegistrationDetails`.
    CredentialDetails,
    /// `userCredentialUsageDetails` / `userEventsSummary`.
    Usage,
}

impl RegistrationShape {
    /// Format name for `inspect`.
    pub fn label(self) -> &'static str {
        match self {
            RegistrationShape::Details => "Graph userRegistrationDetails",
            RegistrationShape::CredentialDetails => {
                "Graph credentialUserRegistrationDetails (beta)"
            }
            RegistrationShape::Usage => {
                "Graph userCredentialUsageDetails / userEventsSummary (beta)"
            }
        }
    }
}

/// Recognises a registration record by its members.
pub fn classify(v: &Value) -> Option<RegistrationShape> {
    let o = v.as_object()?;
    let has = |n: &str| get_ci(o, n).is_some();
    if has("feature") && has("authMethod") && has("eventDateTime") {
        return Some(RegistrationShape::Usage);
    }
    if !has("userPrincipalName") {
        return None;
    }
    if has("isSsprRegistered") || has("isSsprEnabled") || has("methodsRegistered") {
        return Some(RegistrationShape::Details);
    }
    if has("authMethods") && (has("isRegistered") || has("isEnabled") || has("isCapable")) {
        return Some(RegistrationShape::CredentialDetails);
    }
    None
}

/// A user's key, or why there is none: `Ok(None)` for a service identity.
pub(super) fn user_of(o: &Map<String, Value>) -> Result<Option<String>, String> {
    let upn = match get_ci(o, "userPrincipalName") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim(),
        _ => return Err("missing userPrincipalName".into()),
    };
    Ok(user_key(Some(upn)))
}

fn flag(o: &Map<String, Value>, name: &str) -> Result<Option<bool>, String> {
    match get_ci(o, name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::String(s)) => parse_flag(s).map_err(|e| format!("{name}: {e}")),
        Some(other) => Err(format!("{name}: {other} is not true or false")),
    }
}

fn string_list(o: &Map<String, Value>, name: &str) -> Result<Vec<String>, String> {
    match get_ci(o, name) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::String(s) if !s.trim().is_empty() => out.push(methods::canonical(s)),
                    Value::String(_) => {}
                    other => return Err(format!("{name}: {other} is not a method name")),
                }
            }
            out.sort();
            out.dedup();
            Ok(out)
        }
        // An exporter that flattened the list into one string.
        Some(Value::String(s)) => Ok(methods::split_list(s)),
        Some(other) => Err(format!("{name}: {other} is not a list")),
    }
}

fn text(o: &Map<String, Value>, name: &str) -> Option<String> {
    match get_ci(o, name)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

/// The members [`snapshot_row`] reads, of either shape: a snapshot record is read keeping only
/// these ([`super::json_keep::read_members_kept`]); the MFA flags, preferred methods and the
/// like build no tree (the whole trees were most of a 50,000-user snapshot's reading). A member
/// read but not listed would show in the test that holds the rows to the whole trees': its
/// fixture records carry every member Graph writes.
pub(super) const SNAPSHOT_MEMBERS: [(&str, Keep); 11] = [
    ("userPrincipalName", Keep::Whole),
    ("userDisplayName", Keep::Whole),
    ("lastUpdatedDateTime", Keep::Whole),
    ("isSsprRegistered", Keep::Whole),
    ("isSsprEnabled", Keep::Whole),
    ("isSsprCapable", Keep::Whole),
    ("methodsRegistered", Keep::Whole),
    ("isRegistered", Keep::Whole),
    ("isEnabled", Keep::Whole),
    ("isCapable", Keep::Whole),
    ("authMethods", Keep::Whole),
];

/// One snapshot row (`Details` or `CredentialDetails`); `Ok(None)` for a service identity.
pub fn snapshot_row(
    v: &Value,
    shape: RegistrationShape,
    origin: Origin,
) -> Result<Option<SnapshotRow>, String> {
    let o = v.as_object().ok_or("not a JSON object")?;
    let Some(user) = user_of(o)? else {
        return Ok(None);
    };
    let (registered, enabled, capable, list) = match shape {
        RegistrationShape::CredentialDetails => {
            ("isRegistered", "isEnabled", "isCapable", "authMethods")
        }
        _ => (
            "isSsprRegistered",
            "isSsprEnabled",
            "isSsprCapable",
            "methodsRegistered",
        ),
    };
    let updated_at = match text(o, "lastUpdatedDateTime") {
        Some(t) => Some(timestamp::parse_utc(&t).ok_or_else(|| {
            format!(
                "lastUpdatedDateTime '{}' is not a timestamp",
                super::record::shorten(&t)
            )
        })?),
        None => None,
    };
    Ok(Some(SnapshotRow {
        user,
        display_name: text(o, "userDisplayName"),
        sspr_registered: flag(o, registered)?,
        sspr_enabled: flag(o, enabled)?,
        sspr_capable: flag(o, capable)?,
        methods: string_list(o, list)?,
        updated_at,
        origin,
    }))
}

/// One usage record; `Ok(None)` for a service identity.
pub fn usage_event(v: &Value, origin: Origin) -> Result<Option<UsageEvent>, String> {
    let o = v.as_object().ok_or("not a JSON object")?;
    let Some(user) = user_of(o)? else {
        return Ok(None);
    };
    let feature = match text(o, "feature")
        .as_deref()
        .map(str::to_lowercase)
        .as_deref()
    {
        Some("registration") => UsageFeature::Registration,
        Some("reset") => UsageFeature::Reset,
        Some(other) => {
            return Err(format!(
                "feature '{other}' is neither registration nor reset"
            ));
        }
        None => return Err("missing feature".into()),
    };
    let time_text = text(o, "eventDateTime").ok_or("missing eventDateTime")?;
    let time = timestamp::parse_utc(&time_text).ok_or_else(|| {
        format!(
            "eventDateTime '{}' is not a timestamp",
            super::record::shorten(&time_text)
        )
    })?;
    let success = flag(o, "isSuccess")?.ok_or("missing isSuccess")?;
    let method = text(o, "authMethod")
        .map(|m| methods::canonical(&m))
        .unwrap_or_else(|| "unknown".into());
    Ok(Some(UsageEvent {
        user,
        feature,
        success,
        method,
        time,
        origin,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> Origin {
        Origin {
            file: 0,
            location: "record 1".into(),
        }
    }

    #[test]
    fn graph_registration_details_example() {
        // The list API's documented example record (formats.md §3.2).
        let v: Value = serde_json::from_str(
            r#"{"id": "c8096958-797c-44fa-8fde-a6fb62567cf0", "userPrincipalName": "BiancaP@Contoso.com",
             "userDisplayName": "Bianca Pisani", "isAdmin": false,
             "isSsprRegistered": true, "isSsprEnabled": false, "isSsprCapable": false,
             "isMfaRegistered": true, "isMfaCapable": true, "isPasswordlessCapable": false,
             "lastUpdatedDateTime": "2023-03-13T19:15:41.6195833Z",
             "methodsRegistered": ["mobilePhone", "microsoftAuthenticatorPush", "softwareOneTimePasscode"],
             "isSystemPreferredAuthenticationMethodEnabled": true, "systemPreferredAuthenticationMethods": ["push"],
             "userPreferredMethodForSecondaryAuthentication": "voiceMobile", "userType": "member"}"#,
        )
        .expect("json");
        assert_eq!(classify(&v), Some(RegistrationShape::Details));
        let r = snapshot_row(&v, RegistrationShape::Details, origin())
            .expect("row")
            .expect("a user");
        assert_eq!(r.user, "biancap@contoso.com");
        assert_eq!(
            (r.sspr_registered, r.sspr_enabled, r.sspr_capable),
            (Some(true), Some(false), Some(false))
        );
        assert_eq!(
            r.methods,
            [
                "Microsoft Authenticator app",
                "Mobile phone",
                "Software OATH token"
            ]
            .map(String::from)
        );
    }

    #[test]
    fn credential_details_and_usage_records() {
        let v: Value = serde_json::from_str(
            r#"{"id":"1","userPrincipalName":"a@x.jp","userDisplayName":"A","authMethods":["email","mobilePhone"],
                "isRegistered":true,"isEnabled":true,"isCapable":true,"isMfaRegistered":false}"#,
        )
        .expect("json");
        assert_eq!(classify(&v), Some(RegistrationShape::CredentialDetails));
        let r = snapshot_row(&v, RegistrationShape::CredentialDetails, origin())
            .expect("row")
            .expect("user");
        assert_eq!(r.methods, ["Email", "Mobile phone"].map(String::from));
        let u: Value = serde_json::from_str(
            r#"{"id":"2","feature":"registration","userPrincipalName":"a@x.jp","userDisplayName":"A",
                "isSuccess":true,"authMethod":"mobileSMS","failureReason":null,"eventDateTime":"2026-10-02T04:10:00Z"}"#,
        )
        .expect("json");
        assert_eq!(classify(&u), Some(RegistrationShape::Usage));
        let e = usage_event(&u, origin()).expect("event").expect("user");
        assert_eq!(
            (e.feature, e.success, e.method.as_str()),
            (UsageFeature::Registration, true, "Mobile phone")
        );
    }

    #[test]
    fn malformed_records_say_what_is_wrong() {
        let v: Value =
            serde_json::from_str(r#"{"userPrincipalName":"a@x.jp","isSsprRegistered":"often"}"#)
                .expect("json");
        let err = snapshot_row(&v, RegistrationShape::Details, origin()).expect_err("bad flag");
        assert!(err.contains("isSsprRegistered"), "{err}");
        let u: Value = serde_json::from_str(
            r#"{"feature":"login","authMethod":"sms","eventDateTime":"x","userPrincipalName":"a@x.jp","isSuccess":true}"#,
        )
        .expect("json");
        assert!(
            usage_event(&u, origin())
                .expect_err("feature")
                .contains("login")
        );
    }

    /// A snapshot record and what its row reads as, through the kept members or the whole
    /// tree; errors included.
    fn row_read(bytes: &[u8], shape: RegistrationShape, kept: bool) -> String {
        let read = if kept {
            super::super::json_keep::read_members_kept(bytes, &SNAPSHOT_MEMBERS)
        } else {
            serde_json::from_slice::<Value>(bytes)
        };
        match read {
            Ok(v) => format!("{:?}", snapshot_row(&v, shape, origin())),
            Err(e) => format!("not JSON: {e}"),
        }
    }

    /// Names of both shapes in odd cases, written twice, and names no row reads.
    const NAMES: [&str; 20] = [
        "userPrincipalName",
        "UserPrincipalName",
        "userprincipalname",
        "userDisplayName",
        "lastUpdatedDateTime",
        "LastUpdatedDateTime",
        "isSsprRegistered",
        "IsSsprRegistered",
        "isSsprEnabled",
        "isSsprCapable",
        "methodsRegistered",
        "isRegistered",
        "isEnabled",
        "isCapable",
        "authMethods",
        "AuthMethods",
        "isMfaRegistered",
        "systemPreferredAuthenticationMethods",
        "id",
        "user\\u0050rincipalName",
    ];

    const VALUES: [&str; 18] = [
        r#""taro.yamada@contoso.co.jp""#,
        r#""Sync_CONNECT01_3f9c@contoso.onmicrosoft.com""#,
        r#""  ""#,
        r#""2026-10-14T21:00:00.0000000Z""#,
        r#""yesterday""#,
        "true",
        "false",
        r#""True""#,
        r#""often""#,
        "null",
        "1",
        "1e400",
        r#"["mobilePhone","microsoftAuthenticatorPush"]"#,
        r#"["email","  ",7]"#,
        "[]",
        r#"{"methodsRegistered":["email"]}"#,
        r#""\u5c71\u7530 \"q\"""#,
        "[[[[]]]]",
    ];

    /// Registration details (both shapes), from the fixtures and random odd records, whole,
    /// cut short and followed by junk: the kept members give every row and every error the
    /// whole tree gave.
    #[test]
    fn snapshot_rows_read_from_kept_members_are_the_whole_trees() {
        use crate::ingest::json_stream::JsonRecords;
        let mut records: Vec<Vec<u8>> = Vec::new();
        for name in [
            "userRegistrationDetails.json",
            "credentialUserRegistrationDetails.json",
        ] {
            let path = format!(
                "{}/fixtures/directory/registrations/{name}",
                env!("CARGO_MANIFEST_DIR")
            );
            let bytes = std::fs::read(path).expect("fixture");
            let mut stream = JsonRecords::new(&bytes[..], false);
            while let Some(Ok(raw)) = stream.next_record() {
                records.push(raw.bytes);
            }
        }
        assert!(records.len() >= 4, "{} fixture records", records.len());
        let mut rng = crate::synth::Rng::new(7);
        for _ in 0..6_000 {
            let mut record = String::from("{");
            for k in 0..rng.below(12) {
                let name = NAMES[rng.below(NAMES.len() as u64) as usize];
                let value = VALUES[rng.below(VALUES.len() as u64) as usize];
                let comma = if k > 0 { "," } else { "" };
                record.push_str(&format!("{comma}\n  \"{name}\": {value}"));
            }
            record.push('}');
            records.push(record.into_bytes());
        }
        records.push(b"[1,2]".to_vec());
        records.push(b"\"text\"".to_vec());
        let (mut rows, mut errors) = (0, 0);
        for record in &records {
            let n = record.len();
            let cut = record[..n * 2 / 3].to_vec();
            let junk = [&record[..], b" x"].concat();
            for bytes in [record, &cut, &junk] {
                for shape in [
                    RegistrationShape::Details,
                    RegistrationShape::CredentialDetails,
                ] {
                    let whole = row_read(bytes, shape, false);
                    assert_eq!(
                        row_read(bytes, shape, true),
                        whole,
                        "{}",
                        String::from_utf8_lossy(bytes)
                    );
                    rows += usize::from(whole.starts_with("Ok(Some"));
                    errors += usize::from(whole.starts_with("Err"));
                }
            }
        }
        assert!(rows > 500 && errors > 1_000, "{rows} rows, {errors} errors");
    }
}
