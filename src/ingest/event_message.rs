//! The identity keys of an on-premises writeback event live inside its message text:
//! `TrackingId: …`, the UPN after `Details:` (start events) or `UserPrincipalName:` (with or
//! without the colon), `cloudAnchor: User_…`, `AdminUpn: …`, and `hr=80230619, message=…` for
//! failures. A rendering made where the source is not registered wraps the text in "The
//! description for Event ID … cannot be found" (or its Japanese form); that wrapper is removed.

pub use crate::model::onprem::ParsedMessage;

/// A key searched for in every event of a log, with its searcher built once: memchr's
/// prebuilt substring search is several times cheaper than `str::find` per call.
struct Key(std::sync::LazyLock<memchr::memmem::Finder<'static>>);

macro_rules! key {
    ($name:ident = $text:expr) => {
        static $name: Key = Key(std::sync::LazyLock::new(|| {
            memchr::memmem::Finder::new($text)
        }));
    };
}

key!(UNREGISTERED_JA = "の説明が見つかりません");
key!(WRAPPER_EN = "The following information was included with the event:");
key!(WRAPPER_JA = "イベントには次の情報が含まれています:");
key!(TRACKING_ID = "TrackingId");
key!(CLOUD_ANCHOR = "cloudAnchor");
key!(ADMIN_UPN = "AdminUpn");
key!(USER_PRINCIPAL_NAME = "UserPrincipalName");
key!(DETAILS = "Details");
key!(HR = "hr=");
key!(FACILITY_CODE = "0x8023");
key!(MESSAGE = "message=");
key!(CONTEXT = ", Context");
key!(BAIL = "BAIL:");

impl Key {
    fn find(&self, text: &str) -> Option<usize> {
        self.0.find(text.as_bytes())
    }

    fn len(&self) -> usize {
        self.0.needle().len()
    }
}

/// Removes Windows' "description cannot be found" wrapper and returns the insertion strings.
pub fn strip_wrapper(message: &str) -> &str {
    let m = message.trim();
    let unregistered =
        m.starts_with("The description for Event ID") || UNREGISTERED_JA.find(m).is_some();
    if !unregistered {
        return m;
    }
    for marker in [&WRAPPER_EN, &WRAPPER_JA] {
        if let Some(at) = marker.find(m) {
            let rest = m[at + marker.len()..].trim();
            // Some renderings add a note after the values.
            let rest = rest
                .split("\n\nThe message resource is present")
                .next()
                .unwrap_or(rest)
                .trim();
            return rest;
        }
    }
    m
}

/// [`strip_wrapper`] of an owned message, reusing its buffer: most messages have no
/// wrapper, and copying every message again would cost as much as reading it.
pub fn strip_wrapper_owned(mut message: String) -> String {
    let stripped = strip_wrapper(&message);
    if stripped.len() == message.len() {
        return message;
    }
    // `strip_wrapper` returns a part of its argument: its offset is a pointer difference.
    let start = stripped.as_ptr() as usize - message.as_ptr() as usize;
    let end = start + stripped.len();
    message.truncate(end);
    message.drain(..start);
    message
}

/// The token after `key` (a `,`/whitespace-terminated word), skipping an optional `:`.
fn token_after(text: &str, key: &Key) -> Option<String> {
    let mut from = 0;
    while let Some(rel) = key.find(&text[from..]) {
        let at = from + rel;
        from = at + key.len();
        // The key must start a word (`UserPrincipalName`, not `AdminUserPrincipalName`).
        if at > 0
            && text[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric())
        {
            continue;
        }
        let rest = text[from..].trim_start();
        let rest = rest.strip_prefix(':').unwrap_or(rest).trim_start();
        let end = rest
            .find(|c: char| c.is_whitespace() || c == ',' || c == ';')
            .unwrap_or(rest.len());
        if end > 0 {
            return Some(rest[..end].to_string());
        }
    }
    None
}

fn looks_like_upn(s: &str) -> bool {
    let at = s.find('@');
    at.is_some_and(|i| i > 0 && i + 1 < s.len()) && !s.contains(' ')
}

fn hex_code(digits: &str) -> Option<String> {
    let d = digits.trim_start_matches("0x").trim_start_matches("0X");
    let hex: String = d.chars().take_while(char::is_ascii_hexdigit).collect();
    (hex.len() == 8).then(|| format!("0x{}", hex.to_ascii_uppercase()))
}

/// Parses the message of an event (`event_id` picks the start-event rule for `Details:`).
pub fn parse(message: &str, event_id: u32) -> ParsedMessage {
    parse_stripped(strip_wrapper(message), event_id)
}

/// [`parse`] of a message whose wrapper [`strip_wrapper`] has already removed.
pub fn parse_stripped(text: &str, event_id: u32) -> ParsedMessage {
    let mut out = ParsedMessage {
        tracking_id: token_after(text, &TRACKING_ID),
        cloud_anchor: token_after(text, &CLOUD_ANCHOR),
        admin_upn: token_after(text, &ADMIN_UPN)
            .filter(|u| looks_like_upn(u))
            .map(|u| u.to_lowercase()),
        ..ParsedMessage::default()
    };
    out.upn = token_after(text, &USER_PRINCIPAL_NAME)
        .filter(|u| looks_like_upn(u))
        .or_else(|| {
            // Start events: `…Start, Details: <upn>`; later events put a Context there instead.
            matches!(event_id, 31001 | 31006 | 31009)
                .then(|| token_after(text, &DETAILS))
                .flatten()
                .filter(|u| looks_like_upn(u))
        })
        .map(|u| u.to_lowercase());
    if let Some(at) = HR.find(text) {
        out.hr_code = hex_code(&text[at + 3..]);
    } else if let Some(at) = FACILITY_CODE.find(text) {
        out.hr_code = hex_code(&text[at..]);
    }
    if let Some(at) = MESSAGE.find(text) {
        let rest = &text[at + MESSAGE.len()..];
        let end = CONTEXT
            .find(rest)
            .or_else(|| memchr::memchr(b'\n', rest.as_bytes()))
            .unwrap_or(rest.len());
        let msg = rest[..end].trim().trim_end_matches(',').trim();
        if !msg.is_empty() {
            out.error_text = Some(msg.to_string());
        }
    } else if let Some(line) = BAIL
        .find(text)
        .and_then(|_| text.lines().find(|l| l.trim_start().starts_with("BAIL:")))
    {
        out.error_text = Some(line.trim().to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_event_without_tracking_id() {
        let p = parse(
            "PasswordResetRequestStart, Details: User1@Contoso.com",
            31001,
        );
        assert_eq!(p.upn.as_deref(), Some("user1@contoso.com"));
        assert_eq!(p.tracking_id, None);
    }

    #[test]
    fn success_event_with_context() {
        let p = parse(
            "TrackingId: 5d1c1a2b-0f3e-4c8a-9b7d-2e6f8a9c0b1d, PasswordResetSuccess, Details: Context: cloudAnchor: User_0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9, SourceAnchorValue: dGVzdA==, UserPrincipalName: user1@contoso.com, unblockUser: True",
            31002,
        );
        assert_eq!(
            p.tracking_id.as_deref(),
            Some("5d1c1a2b-0f3e-4c8a-9b7d-2e6f8a9c0b1d")
        );
        assert_eq!(p.upn.as_deref(), Some("user1@contoso.com"));
        assert_eq!(
            p.cloud_anchor.as_deref(),
            Some("User_0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9")
        );
    }

    #[test]
    fn admin_reset_without_colon_and_admin_upn() {
        let p = parse(
            "TrackingId: abc, ResetUserPasswordByAdminSuccess, Details: Context: cloudAnchor: User_1, SourceAnchorValue: x, AdminUpn: Admin@contoso.com, UserPrincipalName hanako@contoso.com, ForcePasswordChange: False",
            31010,
        );
        assert_eq!(p.upn.as_deref(), Some("hanako@contoso.com"));
        assert_eq!(p.admin_upn.as_deref(), Some("admin@contoso.com"));
        let start = parse(
            "TrackingId: abc, ResetUserPasswordByAdminStart, Details: hanako@contoso.com",
            31009,
        );
        assert_eq!(start.upn.as_deref(), Some("hanako@contoso.com"));
    }

    #[test]
    fn failure_with_hr_code() {
        let p = parse(
            "TrackingId: t1, PasswordResetFail, UserPrincipalName: u@x.jp, Details: Microsoft.CredentialManagement.OnPremisesPasswordReset.Shared.PasswordResetException: Synchronization Engine returned an error hr=80230619, message=A restriction prevents the password from being changed to the current one specified., Context: cloudAnchor: User_1",
            33008,
        );
        assert_eq!(p.hr_code.as_deref(), Some("0x80230619"));
        assert_eq!(
            p.error_text.as_deref(),
            Some(
                "A restriction prevents the password from being changed to the current one specified."
            )
        );
        let adsync = parse(
            "An unexpected error has occurred during a password set operation.\nBAIL: MMS(4924): admaexport.cpp(2837): 0x80230619 (A restriction prevents the password from being changed)",
            6329,
        );
        assert_eq!(adsync.hr_code.as_deref(), Some("0x80230619"));
        assert!(adsync.error_text.is_some_and(|t| t.starts_with("BAIL:")));
    }

    #[test]
    fn wrappers_are_stripped() {
        let en = "The description for Event ID 31001 from source PasswordResetService cannot be found. Either the component that raises this event is not installed on your local computer or the installation is corrupted.\r\n\r\nIf the event originated on another computer, the display information had to be saved with the event.\r\n\r\nThe following information was included with the event: \r\n\r\nPasswordResetRequestStart, Details: taro@contoso.co.jp\r\n";
        assert_eq!(
            strip_wrapper(en),
            "PasswordResetRequestStart, Details: taro@contoso.co.jp"
        );
        assert_eq!(parse(en, 31001).upn.as_deref(), Some("taro@contoso.co.jp"));
        let ja = "ソース \"PasswordResetService\" からのイベント ID 31001 の説明が見つかりません。このイベントを発生させるコンポーネントがローカル コンピューターにインストールされていないか、インストールが壊れています。\r\n\r\nイベントには次の情報が含まれています: \r\n\r\nPasswordResetRequestStart, Details: hanako@contoso.co.jp";
        assert_eq!(
            parse(ja, 31001).upn.as_deref(),
            Some("hanako@contoso.co.jp")
        );
    }

    #[test]
    fn nothing_to_find() {
        assert_eq!(parse("", 31019), ParsedMessage::default());
        assert_eq!(parse("Details: not-an-upn", 31001).upn, None);
        assert_eq!(
            parse("x AdminUserPrincipalName: a@b.c", 31002).upn,
            None,
            "word boundary"
        );
    }
}
