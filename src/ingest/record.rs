//! The format-independent last step of parsing: raw field values, however they were found, become
//! an [`AuditRecord`] or a reject reason.

use crate::ingest::timestamp;
use crate::model::audit::{AuditRecord, AuditResult, Origin, Relevance};

/// The values one audit record needs, as text, before validation.
#[derive(Debug, Default, Clone)]
pub struct FieldValues {
    /// Audit `id`, when the format has one.
    pub id: Option<String>,
    /// Event time as written.
    pub time: String,
    /// `loggedByService`.
    pub service: String,
    /// `activityDisplayName`.
    pub activity: String,
    /// `result`.
    pub result: String,
    /// `resultReason`, or `ResultDescription` where that is the one filled.
    pub reason: String,
    /// `correlationId`.
    pub correlation_id: String,
    /// Initiating user's UPN.
    pub actor_upn: Option<String>,
    /// First user target's UPN.
    pub target_upn: Option<String>,
    /// Initiating user's IP address.
    pub ip: Option<String>,
    /// `OnPremisesAgent` additional detail.
    pub onprem_agent: Option<String>,
    /// How `a/b/yyyy` dates of this file read.
    pub day_order: timestamp::DayOrder,
}

/// Longest text kept of one field (bytes). No audit field or event message comes near it; a
/// longer one is hostile or broken, and keeping it whole would be copied into every report file.
pub const MAX_TEXT: usize = 16 * 1024;

/// Cuts `text` to [`MAX_TEXT`] bytes (at a character boundary), saying how long it was.
/// `true` when it was cut.
pub fn cap(text: &mut String) -> bool {
    if text.len() <= MAX_TEXT {
        return false;
    }
    let mut end = MAX_TEXT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let total = text.len();
    text.truncate(end);
    text.push_str(&format!("… [cut: {total} bytes]"));
    true
}

impl FieldValues {
    /// Cuts every over-long field; `true` when any was.
    pub fn cap_all(&mut self) -> bool {
        let mut cut = false;
        for s in [
            &mut self.time,
            &mut self.service,
            &mut self.activity,
            &mut self.result,
            &mut self.reason,
            &mut self.correlation_id,
        ] {
            cut |= cap(s);
        }
        for s in [
            &mut self.id,
            &mut self.actor_upn,
            &mut self.target_upn,
            &mut self.ip,
            &mut self.onprem_agent,
        ]
        .into_iter()
        .flatten()
        {
            cut |= cap(s);
        }
        cut
    }
}

fn non_empty(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Validates the values of a relevant record. `Err` carries the reject reason.
pub fn into_record(
    f: FieldValues,
    relevance: Relevance,
    origin: Origin,
    strings: &mut Interner,
) -> Result<AuditRecord, String> {
    let time_text = f.time.trim();
    if time_text.is_empty() {
        return Err("missing date".into());
    }
    let time = timestamp::parse_utc_ordered(time_text, f.day_order)
        .ok_or_else(|| format!("date '{}' is not a timestamp", shorten(time_text)))?;
    let activity = f.activity.trim();
    if activity.is_empty() {
        return Err("missing activity".into());
    }
    let correlation_id = f.correlation_id.trim().to_lowercase();
    if correlation_id.is_empty() && relevance != Relevance::Registration {
        return Err("missing CorrelationId: the record cannot be joined to its flow".into());
    }
    Ok(AuditRecord {
        id: non_empty(f.id).map(String::into_boxed_str),
        time,
        service: strings.get(f.service.trim()),
        activity: strings.get(activity),
        result: AuditResult::parse(&f.result),
        reason: strings.get(f.reason.trim()),
        correlation_id: strings.get(&correlation_id),
        actor_upn: non_empty(f.actor_upn).map(|u| strings.get(&u)),
        target_upn: non_empty(f.target_upn).map(|u| strings.get(&u)),
        ip: non_empty(f.ip).map(|ip| strings.get(&ip)),
        onprem_agent: non_empty(f.onprem_agent).map(String::into_boxed_str),
        relevance,
        origin,
    })
}

/// One shared copy of each distinct text (services, activities, step texts) per reader.
#[derive(Debug, Default)]
pub struct Interner {
    // The set holds the shared copies themselves (found by `&str`): one copy of each text.
    // It is never listed, so its order cannot reach an output.
    seen: crate::model::FastSet<std::sync::Arc<str>>,
}

impl Interner {
    /// The shared copy of `text`.
    pub fn get(&mut self, text: &str) -> std::sync::Arc<str> {
        if let Some(shared) = self.seen.get(text) {
            return std::sync::Arc::clone(shared);
        }
        // Free text (a rare unique reason) is kept too: the set stays small next to the records.
        let shared: std::sync::Arc<str> = std::sync::Arc::from(text);
        self.seen.insert(std::sync::Arc::clone(&shared));
        shared
    }
}

/// Cuts a value for an error message (a 50 MB field must not end up in rejects.csv).
pub fn shorten(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        return s.to_string();
    }
    let cut: String = s.chars().take(MAX).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(ip: Option<&str>) -> FieldValues {
        FieldValues {
            time: "2026-10-03T09:15:00Z".into(),
            service: "Self-service Password Management".into(),
            activity: "Reset password (self-service)".into(),
            correlation_id: "c1".into(),
            ip: ip.map(String::from),
            ..FieldValues::default()
        }
    }

    fn origin() -> Origin {
        Origin {
            file: 0,
            location: "line 2".into(),
        }
    }

    #[test]
    fn ip_is_kept_as_written_and_shared_and_blank_is_none() {
        let mut strings = Interner::default();
        let mut read = |ip| {
            into_record(fields(ip), Relevance::Flow, origin(), &mut strings)
                .expect("valid")
                .ip
        };
        let (a, b) = (read(Some(" 203.0.113.10 ")), read(Some("203.0.113.10")));
        assert_eq!(a.as_deref(), Some("203.0.113.10"));
        let (a, b) = (a.expect("a"), b.expect("b"));
        assert!(
            std::sync::Arc::ptr_eq(&a, &b),
            "one copy per distinct address"
        );
        assert_eq!(read(Some("  ")), None);
        assert_eq!(read(None), None);
        assert_eq!(
            read(Some("<not an address>")).as_deref(),
            Some("<not an address>"),
            "evidence is kept as written"
        );
    }

    #[test]
    fn an_over_long_ip_is_capped() {
        let mut f = fields(Some(&"1".repeat(MAX_TEXT + 10)));
        assert!(f.cap_all());
        assert!(f.ip.is_some_and(|ip| ip.len() < MAX_TEXT + 40));
    }
}
