//! One vocabulary of authentication methods. The portal's "Methods registered" column, Graph's
//! `methodsRegistered` and `authMethod` enums, and the audit log's reason wording
//! (`User registered Mobile Phone SMS.`) all name the same few methods differently; reports
//! count them under one name each, the portal's display name (formats.md §3.1–§3.4).
//!
//! Strings nobody documented are kept as they are (trimmed): an unknown method is still a method.

/// Method name of the "all required security info" registrations (design §4).
pub const ALL_REQUIRED: &str = "all required";

/// Canonical method names (the portal's "Methods registered" values, plus two the portal lacks).
pub mod name {
    /// Microsoft Authenticator push notifications (and its codes).
    pub const AUTHENTICATOR: &str = "Microsoft Authenticator app";
    /// Passwordless sign-in with Microsoft Authenticator.
    pub const PASSWORDLESS_PHONE: &str = "Microsoft Passwordless phone sign-in";
    /// Mobile phone: SMS or voice call.
    pub const MOBILE_PHONE: &str = "Mobile phone";
    /// A second mobile phone (voice).
    pub const ALTERNATE_MOBILE_PHONE: &str = "Alternate mobile phone";
    /// Office phone (voice).
    pub const OFFICE_PHONE: &str = "Office phone";
    /// Email one-time code (SSPR only).
    pub const EMAIL: &str = "Email";
    /// Security questions (SSPR only).
    pub const SECURITY_QUESTIONS: &str = "Security questions";
    /// Any TOTP app that is not Microsoft Authenticator.
    pub const SOFTWARE_OATH: &str = "Software OATH token";
    /// Hardware TOTP token.
    pub const HARDWARE_OATH: &str = "Hardware OATH token";
    /// FIDO2 security key.
    pub const FIDO2: &str = "FIDO2 security key";
    /// Device-bound passkey (Authenticator, Windows Hello or key).
    pub const PASSKEY_DEVICE_BOUND: &str = "Passkey (device-bound)";
    /// Synced passkey.
    pub const PASSKEY_SYNCED: &str = "Passkey (synced)";
    /// Windows Hello for Business.
    pub const WINDOWS_HELLO: &str = "Windows Hello for Business";
    /// Temporary Access Pass.
    pub const TAP: &str = "Temporary Access Pass";
    /// Certificate-based authentication.
    pub const CERTIFICATE: &str = "Certificate-based authentication";
    /// macOS Platform SSO Secure Enclave key.
    pub const MACOS_SECURE_ENCLAVE: &str = "macOS Secure Enclave key";
    /// Legacy app password.
    pub const APP_PASSWORD: &str = "App password";
}

use name::*;

/// Every known spelling, reduced by [`key`], and the canonical name it stands for.
const SPELLINGS: &[(&str, &str)] = &[
    // Portal "Methods registered" display names (ED-AMA) and the legacy portal's "Data registered".
    ("microsoftauthenticatorapp", AUTHENTICATOR),
    ("microsoftpasswordlessphonesignin", PASSWORDLESS_PHONE),
    ("mobilephone", MOBILE_PHONE),
    ("authenticationphone", MOBILE_PHONE),
    ("alternatemobilephone", ALTERNATE_MOBILE_PHONE),
    ("officephone", OFFICE_PHONE),
    ("email", EMAIL),
    ("alternateemail", EMAIL),
    ("securityquestions", SECURITY_QUESTIONS),
    ("softwareoathtoken", SOFTWARE_OATH),
    ("hardwareoathtoken", HARDWARE_OATH),
    ("fido2securitykey", FIDO2),
    ("windowshelloforbusiness", WINDOWS_HELLO),
    ("temporaryaccesspass", TAP),
    ("certificatebasedauthentication", CERTIFICATE),
    // Graph `methodsRegistered` / `usageAuthMethod` / `authMethods` enum members (formats.md §2.7, §3.2, §3.3).
    ("microsoftauthenticatorpush", AUTHENTICATOR),
    ("microsoftauthenticatorpasswordless", PASSWORDLESS_PHONE),
    ("softwareonetimepasscode", SOFTWARE_OATH),
    ("hardwareonetimepasscode", HARDWARE_OATH),
    ("onetimepasscode", SOFTWARE_OATH),
    ("fido2", FIDO2),
    ("fido", FIDO2),
    ("passkeydevicebound", PASSKEY_DEVICE_BOUND),
    ("passkeydeviceboundauthenticator", PASSKEY_DEVICE_BOUND),
    ("passkeydeviceboundwindowshello", PASSKEY_DEVICE_BOUND),
    ("passkeysynced", PASSKEY_SYNCED),
    ("macossecureenclavekey", MACOS_SECURE_ENCLAVE),
    ("securityquestion", SECURITY_QUESTIONS),
    ("mobilesms", MOBILE_PHONE),
    ("mobilecall", MOBILE_PHONE),
    ("sms", MOBILE_PHONE),
    ("voicemobile", MOBILE_PHONE),
    ("alternatemobilecall", ALTERNATE_MOBILE_PHONE),
    ("voicealternatemobile", ALTERNATE_MOBILE_PHONE),
    ("voiceoffice", OFFICE_PHONE),
    ("appnotification", AUTHENTICATOR),
    // A code from an authenticator app is what Graph lists as `softwareOneTimePasscode`.
    ("appcode", SOFTWARE_OATH),
    ("push", AUTHENTICATOR),
    ("apppassword", APP_PASSWORD),
    // "Registration and reset events" view (ED-AMA).
    ("phonecall", MOBILE_PHONE),
    ("officecall", OFFICE_PHONE),
    // Audit reason wording: `User registered <method>.` (formats.md §3.4).
    ("mobilephonesms", MOBILE_PHONE),
    ("mobilephonecall", MOBILE_PHONE),
    ("alternatemobilephonecall", ALTERNATE_MOBILE_PHONE),
    ("officephonecall", OFFICE_PHONE),
    ("authenticatorappwithnotification", AUTHENTICATOR),
    ("authenticatorappwithcode", SOFTWARE_OATH),
    ("authenticatorappwithnotificationandcode", AUTHENTICATOR),
    ("passwordlessmicrosoftauthenticator", PASSWORDLESS_PHONE),
    ("passkeyinmicrosoftauthenticator", PASSKEY_DEVICE_BOUND),
    ("emailaddress", EMAIL),
    ("temporaryaccesspassmethodforuser", TAP),
];

/// Spelling reduced to lower-case letters and digits: `Mobile Phone SMS` → `mobilephonesms`,
/// `mobilePhone` → `mobilephone`, `FIDO2 security key` → `fido2securitykey`.
fn key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `name` is a canonical method name (or `all required`): a documented method, not a
/// text kept as written.
pub fn is_known(name: &str) -> bool {
    name == ALL_REQUIRED || SPELLINGS.iter().any(|(_, canon)| *canon == name)
}

/// The canonical name of one method spelling; unknown spellings come back trimmed, as they are.
pub fn canonical(text: &str) -> String {
    let trimmed = text.trim().trim_end_matches('.').trim();
    let k = key(trimmed);
    SPELLINGS
        .iter()
        .find(|(spelling, _)| *spelling == k)
        .map(|(_, canon)| (*canon).to_string())
        .unwrap_or_else(|| trimmed.to_string())
}

/// Splits a flattened method list (`Mobile phone, Microsoft Authenticator app`; exporters join
/// with `, ` or `;`) into canonical names, sorted and without repeats.
pub fn split_list(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .split([',', ';', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty() && !s.eq_ignore_ascii_case("none"))
        .map(canonical)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The method a registration audit event names (design §4): `User registered Mobile Phone SMS.`
/// → `Mobile phone`; `Admin registered temporary access pass method for user` → `Temporary
/// Access Pass`; the "all required" and legacy SSPR activities count as [`ALL_REQUIRED`].
pub fn of_audit_event(activity: &str, reason: &str) -> String {
    let act = activity.trim().to_lowercase();
    if act.contains("all required") || act.contains("self-service password reset") {
        return ALL_REQUIRED.into();
    }
    let r = reason.trim().trim_end_matches('.').trim();
    for prefix in ["User registered ", "Admin registered "] {
        if r.len() > prefix.len() && r.is_char_boundary(prefix.len()) {
            let (head, rest) = r.split_at(prefix.len());
            if head.eq_ignore_ascii_case(prefix) {
                let rest = rest.trim();
                // Compared on the original text: lower-casing may change byte lengths (K → k).
                const SUFFIX: &str = " method for user";
                let rest = match rest.len().checked_sub(SUFFIX.len()) {
                    Some(n)
                        if rest.is_char_boundary(n) && rest[n..].eq_ignore_ascii_case(SUFFIX) =>
                    {
                        &rest[..n]
                    }
                    _ => rest,
                };
                return canonical(rest);
            }
        }
    }
    if r.is_empty() {
        "unknown".into()
    } else {
        canonical(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_source_names_the_same_method_the_same_way() {
        for spelling in [
            "Mobile phone",
            "mobilePhone",
            "mobileSMS",
            "Mobile Phone SMS",
            "sms",
            "Phone Call",
        ] {
            assert_eq!(canonical(spelling), MOBILE_PHONE, "{spelling}");
        }
        for spelling in [
            "Microsoft Authenticator app",
            "microsoftAuthenticatorPush",
            "appNotification",
            "Authenticator App with Notification and Code",
            "Authenticator App with Notification",
        ] {
            assert_eq!(canonical(spelling), AUTHENTICATOR, "{spelling}");
        }
        for spelling in [
            "softwareOneTimePasscode",
            "appCode",
            "Authenticator App with Code",
        ] {
            assert_eq!(canonical(spelling), SOFTWARE_OATH, "{spelling}");
        }
        assert_eq!(canonical("fido2"), FIDO2);
        assert_eq!(canonical("Security questions"), SECURITY_QUESTIONS);
        assert_eq!(canonical("securityQuestion"), SECURITY_QUESTIONS);
        assert_eq!(canonical("Alternate email"), EMAIL);
    }

    #[test]
    fn unknown_methods_stay_as_written() {
        assert_eq!(canonical("  quantumToken "), "quantumToken");
    }

    #[test]
    fn lists_split_sorted_and_unique() {
        assert_eq!(
            split_list("Mobile phone, Microsoft Authenticator app; mobilePhone"),
            vec![AUTHENTICATOR.to_string(), MOBILE_PHONE.to_string()]
        );
        assert!(split_list(" ").is_empty());
        assert!(split_list("None").is_empty());
    }

    #[test]
    fn methods_from_audit_reasons() {
        assert_eq!(
            of_audit_event(
                "User registered security info",
                "User registered Mobile Phone SMS."
            ),
            MOBILE_PHONE
        );
        assert_eq!(
            of_audit_event(
                "Admin registered security info",
                "Admin registered temporary access pass method for user"
            ),
            TAP
        );
        assert_eq!(
            of_audit_event(
                "User registered all required security info",
                "User registered all required security info."
            ),
            ALL_REQUIRED
        );
        assert_eq!(
            of_audit_event("User registered for self-service password reset", ""),
            ALL_REQUIRED
        );
        assert_eq!(
            of_audit_event("User registered security info", ""),
            "unknown"
        );
        // Characters whose lower case is shorter (the Kelvin sign) must not panic.
        assert_eq!(
            of_audit_event(
                "User registered security info",
                "User registered a\u{212A} method for user"
            ),
            "a\u{212A}"
        );
        // Multi-byte text right after a prefix-length cut must not panic.
        assert_eq!(
            of_audit_event("User registered security info", "ユーザーが登録しました"),
            "ユーザーが登録しました"
        );
    }
}
