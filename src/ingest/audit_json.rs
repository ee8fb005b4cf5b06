//! Audit records in JSON: the portal download and Graph `directoryAudit` (camelCase), Log
//! Analytics exports (PascalCase, with `InitiatedBy`/`TargetResources`/`AdditionalDetails` as
//! JSON text inside a string), and Event Hub / diagnostic-settings lines (`properties.*`).
//! Keys are matched case-insensitively: real payloads spell `type` as `Type` now and then.

use crate::ingest::json_keep::{Checked, Keep, KeepPart, KeySeed};
use crate::ingest::record::FieldValues;
use chrono::{DateTime, Utc};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// Which JSON record shape a record has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonShape {
    /// Graph `directoryAudit` / portal download.
    Graph,
    /// Log Analytics `AuditLogs` row.
    LogAnalytics,
    /// Diagnostic-settings line with the Graph record under `properties`.
    EventHub,
}

impl JsonShape {
    /// Human name for `inspect`.
    pub fn label(self) -> &'static str {
        match self {
            JsonShape::Graph => "directoryAudit records (portal JSON / Graph)",
            JsonShape::LogAnalytics => "Log Analytics AuditLogs",
            JsonShape::EventHub => "Event Hub / diagnostic settings",
        }
    }
}

/// Why a JSON record could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonRecordError {
    /// Not valid JSON.
    Syntax(String),
    /// Valid JSON, but not an audit record (no activity or time member).
    NotAudit,
}

/// Gets a member by case-insensitive name.
pub fn get_ci<'a>(obj: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    obj.get(name).or_else(|| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// The first of `names` whose member is a non-blank string or a number, as text.
fn text_ci(obj: &Map<String, Value>, names: &[&str]) -> Option<String> {
    names
        .iter()
        .find_map(|n| get_ci(obj, n).and_then(scalar_text))
}

/// Text of a non-blank string or of a number.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// UPN of `initiatedBy.user`.
pub fn actor_upn(initiated_by: &Value) -> Option<String> {
    let user = initiated_by
        .as_object()
        .and_then(|o| get_ci(o, "user"))?
        .as_object()?;
    text_ci(user, &["userPrincipalName"])
}

/// IP address of `initiatedBy.user` (an app has none).
pub fn actor_ip(initiated_by: &Value) -> Option<String> {
    let user = initiated_by
        .as_object()
        .and_then(|o| get_ci(o, "user"))?
        .as_object()?;
    text_ci(user, &["ipAddress"])
}

/// The record's IP address: the initiating user's; an Event Hub line without it names the
/// caller's at its top (`callerIpAddress`, given here as `caller`), taken only for a user, as
/// the other formats of the same record know no address of an app.
fn record_ip(initiated_by: &Value, caller: Option<String>) -> Option<String> {
    let user = initiated_by.as_object().and_then(|o| get_ci(o, "user"))?;
    if !user.is_object() {
        return None;
    }
    actor_ip(initiated_by).or(caller)
}

/// UPN of the first target of type User (or untyped) that has one.
pub fn target_upn(targets: &Value) -> Option<String> {
    targets.as_array()?.iter().find_map(|t| {
        let t = t.as_object()?;
        let kind = text_ci(t, &["type"]).unwrap_or_default();
        if !kind.is_empty() && !kind.eq_ignore_ascii_case("user") {
            return None;
        }
        text_ci(t, &["userPrincipalName"])
    })
}

/// Value of the `OnPremisesAgent` additional detail.
pub fn onprem_agent(details: &Value) -> Option<String> {
    details.as_array()?.iter().find_map(|d| {
        let d = d.as_object()?;
        let key = text_ci(d, &["key"])?;
        if key.eq_ignore_ascii_case("OnPremisesAgent") {
            text_ci(d, &["value"])
        } else {
            None
        }
    })
}

/// Reads one record's JSON into field values.
///
/// Only the members asked for are kept ([`read_members`]); they answer as the members of
/// serde_json's whole ordered tree did, and a test holds the two readings to each other.
pub fn parse_record(bytes: &[u8]) -> Result<(JsonShape, FieldValues), JsonRecordError> {
    let mut top = read_members(bytes)?;
    // The record's own members: `properties` of an Event Hub line (then `outer` is the line's
    // top, asked where `properties` lacks a member), else the top itself.
    let nested = match top.get_mut("properties") {
        Some(Member::Object(p)) if p.has("activityDisplayName") => Some(std::mem::take(p)),
        _ => None,
    };
    let (shape, mut obj, mut outer) = match nested {
        Some(p) => (JsonShape::EventHub, p, Some(top)),
        None if top.has("OperationName") || top.has("TimeGenerated") => {
            (JsonShape::LogAnalytics, top, None)
        }
        None => (JsonShape::Graph, top, None),
    };
    // Each member's text is taken out (no copy). No two fields share a name, in any case (a
    // field asking for another's member would find it emptied: the odd-records test, whose
    // names are all of these, would show it).
    let mut text = |names: &[&str], outer_names: &[&str]| {
        obj.take_text(names)
            .or_else(|| outer.as_mut().unwrap_or(&mut obj).take_text(outer_names))
    };
    let activity = text(
        &["activityDisplayName", "OperationName"],
        &["operationName"],
    );
    let time = text(&["activityDateTime", "TimeGenerated"], &["time"]);
    let reason = text(
        &["resultReason", "ResultDescription"],
        &["resultDescription"],
    );
    let result = text(&["result", "ResultType"], &["resultType"]);
    let correlation_id = text(&["correlationId"], &["correlationId"]);
    let id = text(&["id"], &[]);
    let service = text(&["loggedByService"], &[]);
    if activity.is_none() && time.is_none() {
        return Err(JsonRecordError::NotAudit);
    }
    // A member taken stays named (its text emptied).
    if !obj.has("loggedByService") && !obj.has("correlationId") {
        return Err(JsonRecordError::NotAudit);
    }
    // Only an Event Hub line has a top apart from its record, and only there is this read.
    let caller_ip = outer
        .as_mut()
        .and_then(|top| top.take_text(&["callerIpAddress"]));
    let initiated_by = obj.structured("initiatedBy", Nested::InitiatedBy);
    let fields = FieldValues {
        id,
        time: time.unwrap_or_default(),
        service: service.unwrap_or_default(),
        activity: activity.unwrap_or_default(),
        result: result.unwrap_or_default(),
        reason: reason.unwrap_or_default(),
        correlation_id: correlation_id.unwrap_or_default(),
        actor_upn: initiated_by.as_deref().and_then(actor_upn),
        ip: initiated_by
            .as_deref()
            .and_then(|i| record_ip(i, caller_ip)),
        target_upn: obj
            .structured("targetResources", Nested::TargetResources)
            .as_deref()
            .and_then(target_upn),
        onprem_agent: obj
            .structured("additionalDetails", Nested::AdditionalDetails)
            .as_deref()
            .and_then(onprem_agent),
        // JSON exports write ISO 8601 times; a slash date is read month first.
        day_order: Default::default(),
    };
    Ok((shape, fields))
}

/// Names a record is asked for, on the record object (the top, or `properties` of an Event Hub
/// line); matched in any case.
const RECORD_NAMES: [&str; 14] = [
    "activityDisplayName",
    "OperationName",
    "activityDateTime",
    "TimeGenerated",
    "loggedByService",
    "correlationId",
    "resultReason",
    "ResultDescription",
    "id",
    "result",
    "ResultType",
    "initiatedBy",
    "targetResources",
    "additionalDetails",
];

/// Most members asked for that one object may hold before the record is read as a whole tree
/// instead (a real record holds each name once: 16 at most).
const MAX_WANTED_MEMBERS: usize = 64;

/// Names asked for only at the top of an Event Hub line (`properties` is read apart).
const TOP_NAMES: [&str; 2] = ["time", "callerIpAddress"];

/// The members of one object that [`parse_record`] asks for, in document order. A name
/// written twice keeps its first place and its last value, as in serde_json's ordered map,
/// so lookups answer as [`get_ci`] on the whole tree did.
#[derive(Debug, Default)]
struct Members<'de> {
    entries: Vec<(Cow<'de, str>, Member<'de>)>,
}

#[derive(Debug)]
enum Member<'de> {
    Value(Value),
    /// `properties` at the top, when it is an object.
    Object(Members<'de>),
    /// `properties` at the top, when it is anything else.
    NotObject,
}

impl<'de> Members<'de> {
    fn insert(&mut self, key: Cow<'de, str>, member: Member<'de>) {
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some((_, slot)) => *slot = member,
            None => self.entries.push((key, member)),
        }
    }

    /// Where the member of this exact name is, else the first whose name matches in any case.
    fn position(&self, name: &str) -> Option<usize> {
        let entries = &self.entries;
        entries.iter().position(|(k, _)| k == name).or_else(|| {
            entries
                .iter()
                .position(|(k, _)| k.eq_ignore_ascii_case(name))
        })
    }

    fn get(&self, name: &str) -> Option<&Member<'de>> {
        let at = self.position(name)?;
        self.entries.get(at).map(|(_, m)| m)
    }

    fn get_mut(&mut self, name: &str) -> Option<&mut Member<'de>> {
        let at = self.position(name)?;
        self.entries.get_mut(at).map(|(_, m)| m)
    }

    /// The text of the first of `names` whose member is a non-blank string or a number,
    /// taken out (no copy): the member stays, holding an empty string.
    fn take_text(&mut self, names: &[&str]) -> Option<String> {
        names.iter().find_map(|n| match self.get_mut(n)? {
            Member::Value(Value::String(s)) if !s.trim().is_empty() => Some(std::mem::take(s)),
            Member::Value(v) => scalar_text(v),
            _ => None,
        })
    }

    fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// A member that is an object or array, or a string holding one (Log Analytics dynamic
    /// columns), with the parts `nested` keeps. `properties` is never asked for this way.
    fn structured(&self, name: &str, nested: Nested) -> Option<Cow<'_, Value>> {
        match self.get(name)? {
            Member::Value(Value::String(s)) => nested.read_text(s).map(Cow::Owned),
            Member::Value(Value::Null) | Member::Object(_) | Member::NotObject => None,
            Member::Value(other) => Some(Cow::Borrowed(other)),
        }
    }

    /// The members asked for of an object already read whole (the slow way).
    fn from_map(map: Map<String, Value>, top: bool) -> Members<'static> {
        let mut members = Members::default();
        for (key, value) in map {
            let member = if top && key.eq_ignore_ascii_case("properties") {
                match value {
                    Value::Object(p) => Member::Object(Members::from_map(p, false)),
                    _ => Member::NotObject,
                }
            } else if wanted(&key, top) {
                Member::Value(value)
            } else {
                continue;
            };
            members.entries.push((Cow::Owned(key), member));
        }
        members
    }
}

/// Whether a member of this name is asked for.
fn wanted(key: &str, top: bool) -> bool {
    let is = |n: &&str| key.eq_ignore_ascii_case(n);
    RECORD_NAMES.iter().any(is) || (top && TOP_NAMES.iter().any(is))
}

/// Reads an object's members: those asked for into values, the others only checked.
struct MembersSeed {
    top: bool,
}

impl<'de> DeserializeSeed<'de> for MembersSeed {
    type Value = Members<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Members<'de>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for MembersSeed {
    type Value = Members<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
        let mut members = Members::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let member = if self.top && key.eq_ignore_ascii_case("properties") {
                map.next_value_seed(PropertiesSeed)?
            } else if wanted(&key, self.top) {
                let keep = Nested::of_member(&key).map_or(Keep::Whole, Nested::keep);
                Member::Value(map.next_value_seed(KeepPart(keep))?)
            } else {
                map.next_value::<Checked>()?;
                continue;
            };
            if members.entries.len() >= MAX_WANTED_MEMBERS {
                // Each insert looks through the kept names: a hostile record of 100,000
                // spellings of one wanted name would take quadratic time. The whole-tree
                // reading, linear, takes such a record instead.
                return Err(serde::de::Error::custom("too many members asked for"));
            }
            members.insert(key, member);
        }
        Ok(members)
    }
}

/// A member holding a structure that fields are taken from: only the parts those fields read
/// are kept, the rest is read and checked ([`Checked`]) but builds no tree. Building whole
/// trees of them (`targetResources` with its `modifiedProperties` above all) was some 60 % of
/// [`parse_record`]'s time on the 50,000-person tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nested {
    /// `initiatedBy`: `user` with its `userPrincipalName` and `ipAddress`.
    InitiatedBy,
    /// `targetResources`: of each target, `type` and `userPrincipalName`.
    TargetResources,
    /// `additionalDetails`: of each detail, `key` and `value`.
    AdditionalDetails,
}

impl Nested {
    /// The structure a member of this name holds, if it is one of these (any case).
    fn of_member(name: &str) -> Option<Nested> {
        [
            ("initiatedBy", Nested::InitiatedBy),
            ("targetResources", Nested::TargetResources),
            ("additionalDetails", Nested::AdditionalDetails),
        ]
        .into_iter()
        .find(|(n, _)| name.eq_ignore_ascii_case(n))
        .map(|(_, nested)| nested)
    }

    fn keep(self) -> Keep {
        const WHOLE: Keep = Keep::Whole;
        const USER: Keep = Keep::Members(&[("userPrincipalName", WHOLE), ("ipAddress", WHOLE)]);
        const TARGET: Keep = Keep::Members(&[("type", WHOLE), ("userPrincipalName", WHOLE)]);
        const DETAIL: Keep = Keep::Members(&[("key", WHOLE), ("value", WHOLE)]);
        match self {
            Nested::InitiatedBy => Keep::Members(&[("user", USER)]),
            Nested::TargetResources => Keep::Elements(&TARGET),
            Nested::AdditionalDetails => Keep::Elements(&DETAIL),
        }
    }

    /// The structure written as JSON text (Log Analytics), with the parts kept; `None` where
    /// `serde_json::from_str` fails.
    pub fn read_text(self, text: &str) -> Option<Value> {
        let mut de = serde_json::Deserializer::from_str(text);
        let value = KeepPart(self.keep()).deserialize(&mut de).ok()?;
        de.end().ok()?;
        Some(value)
    }
}

/// The top-level `properties`: its members when it is an object.
struct PropertiesSeed;

impl<'de> DeserializeSeed<'de> for PropertiesSeed {
    type Value = Member<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Member<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for PropertiesSeed {
    type Value = Member<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Member<'de>, A::Error> {
        MembersSeed { top: false }
            .visit_map(map)
            .map(Member::Object)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Member<'de>, A::Error> {
        Checked.visit_seq(seq).map(|_| Member::NotObject)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Member<'de>, E> {
        Ok(Member::NotObject)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Member<'de>, E> {
        Ok(Member::NotObject)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Member<'de>, E> {
        Ok(Member::NotObject)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Member<'de>, E> {
        Ok(Member::NotObject)
    }

    fn visit_str<E>(self, _: &str) -> Result<Member<'de>, E> {
        Ok(Member::NotObject)
    }

    fn visit_unit<E>(self) -> Result<Member<'de>, E> {
        Ok(Member::NotObject)
    }
}

/// The top-level members of a record: read in one pass with no tree of the members not asked
/// for; a record that is not one JSON object (or is not valid JSON, when the error must be
/// serde_json's own) is read the slow way.
fn read_members(bytes: &[u8]) -> Result<Members<'_>, JsonRecordError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let fast = MembersSeed { top: true }
        .deserialize(&mut de)
        .and_then(|m| de.end().map(|()| m));
    if let Ok(members) = fast {
        return Ok(members);
    }
    match serde_json::from_slice(bytes) {
        Err(e) => Err(JsonRecordError::Syntax(e.to_string())),
        Ok(Value::Object(top)) => Ok(Members::from_map(top, true)),
        Ok(_) => Err(JsonRecordError::NotAudit),
    }
}

/// Cheap test on a record's bytes before parsing it: could it be SSPR-relevant at all?
/// Records of other services (most of a real log) are counted and dropped here.
///
/// True when the record holds `Password Management`, `Authentication Methods` or `"SSPR"`,
/// or `Directory` with `assword` or `StsRefreshToken`; all six are looked for in one pass.
/// No needle can hide another from the leftmost-first search: a match hides another only when
/// the other starts inside it, and the only needle that starts inside another is `assword`
/// inside `Password Management`, which is enough on its own.
pub fn may_be_relevant(bytes: &[u8]) -> bool {
    use aho_corasick::{AhoCorasick, MatchKind};
    use std::sync::LazyLock;
    const NEEDLES: [&str; 6] = [
        "Password Management",
        "Authentication Methods",
        "\"SSPR\"",
        "Directory",
        "assword",
        "StsRefreshToken",
    ];
    // Built once; leftmost-first, as only that kind of search gets the SIMD prefilter.
    static SEARCH: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(NEEDLES)
            .ok()
    });
    // Six fixed needles always build; were it ever not so, the six separate searches answer.
    let Some(search) = SEARCH.as_ref() else {
        return may_be_relevant_by_needles(bytes);
    };
    let (mut directory, mut password_or_sts) = (false, false);
    for found in search.find_iter(bytes) {
        match found.pattern().as_usize() {
            0..=2 => return true,
            3 => directory = true,
            _ => password_or_sts = true,
        }
        if directory && password_or_sts {
            return true;
        }
    }
    false
}

/// [`may_be_relevant`] as six separate searches: its fallback, and the reference its test
/// holds the one-pass search to.
fn may_be_relevant_by_needles(bytes: &[u8]) -> bool {
    use memchr::memmem::find;
    let has = |needle: &[u8]| find(bytes, needle).is_some();
    if has(b"Password Management") || has(b"Authentication Methods") || has(b"\"SSPR\"") {
        return true;
    }
    has(b"Directory") && (has(b"assword") || has(b"StsRefreshToken"))
}

/// The event time of a record that is not parsed (for coverage), found by a byte search.
pub fn quick_time(bytes: &[u8]) -> Option<DateTime<Utc>> {
    use memchr::memmem::Finder;
    use std::sync::LazyLock;
    static KEYS: LazyLock<[Finder<'static>; 3]> = LazyLock::new(|| {
        [
            Finder::new(b"ctivityDateTime\""),
            Finder::new(b"imeGenerated\""),
            Finder::new(b"\"time\""),
        ]
    });
    for key in KEYS.iter() {
        let Some(at) = key.find(bytes) else { continue };
        let rest = &bytes[at + key.needle().len()..];
        let rest = trim_ascii_start(rest).strip_prefix(b":")?;
        let rest = trim_ascii_start(rest).strip_prefix(b"\"")?;
        let end = memchr::memchr(b'"', rest)?;
        let text = std::str::from_utf8(&rest[..end]).ok()?;
        return crate::ingest::timestamp::parse_utc(text);
    }
    None
}

fn trim_ascii_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A member that is an object or array, or a string holding one, as it was read.
    fn structured_reference(obj: &Map<String, Value>, name: &str) -> Option<Value> {
        match get_ci(obj, name)? {
            Value::String(s) => serde_json::from_str(s).ok(),
            Value::Null => None,
            other => Some(other.clone()),
        }
    }

    /// The record's IP address, as it was read.
    fn record_ip_reference(
        initiated_by: &Value,
        shape: JsonShape,
        top: &Map<String, Value>,
    ) -> Option<String> {
        let user = initiated_by.as_object().and_then(|o| get_ci(o, "user"))?;
        if !user.is_object() {
            return None;
        }
        actor_ip(initiated_by).or_else(|| match shape {
            JsonShape::EventHub => text_ci(top, &["callerIpAddress"]),
            JsonShape::Graph | JsonShape::LogAnalytics => None,
        })
    }

    /// The reading as it was, through serde_json's whole tree: the reference for [`parse_record`].
    fn parse_record_reference(bytes: &[u8]) -> Result<(JsonShape, FieldValues), JsonRecordError> {
        let value: Value =
            serde_json::from_slice(bytes).map_err(|e| JsonRecordError::Syntax(e.to_string()))?;
        let Value::Object(top) = value else {
            return Err(JsonRecordError::NotAudit);
        };
        let nested = match get_ci(&top, "properties") {
            Some(Value::Object(p)) if get_ci(p, "activityDisplayName").is_some() => Some(p),
            _ => None,
        };
        let (shape, obj) = match nested {
            Some(p) => (JsonShape::EventHub, p),
            None if get_ci(&top, "OperationName").is_some()
                || get_ci(&top, "TimeGenerated").is_some() =>
            {
                (JsonShape::LogAnalytics, &top)
            }
            None => (JsonShape::Graph, &top),
        };
        let activity = text_ci(obj, &["activityDisplayName", "OperationName"])
            .or_else(|| text_ci(&top, &["operationName"]));
        let time = text_ci(obj, &["activityDateTime", "TimeGenerated"])
            .or_else(|| text_ci(&top, &["time"]));
        if activity.is_none() && time.is_none() {
            return Err(JsonRecordError::NotAudit);
        }
        if get_ci(obj, "loggedByService").is_none() && get_ci(obj, "correlationId").is_none() {
            return Err(JsonRecordError::NotAudit);
        }
        let reason = text_ci(obj, &["resultReason", "ResultDescription"])
            .or_else(|| text_ci(&top, &["resultDescription"]))
            .unwrap_or_default();
        let initiated_by = structured_reference(obj, "initiatedBy");
        let fields = FieldValues {
            id: text_ci(obj, &["id"]),
            time: time.unwrap_or_default(),
            service: text_ci(obj, &["loggedByService"]).unwrap_or_default(),
            activity: activity.unwrap_or_default(),
            result: text_ci(obj, &["result", "ResultType"])
                .or_else(|| text_ci(&top, &["resultType"]))
                .unwrap_or_default(),
            reason,
            correlation_id: text_ci(obj, &["correlationId"])
                .or_else(|| text_ci(&top, &["correlationId"]))
                .unwrap_or_default(),
            actor_upn: initiated_by.as_ref().and_then(actor_upn),
            ip: initiated_by
                .as_ref()
                .and_then(|i| record_ip_reference(i, shape, &top)),
            target_upn: structured_reference(obj, "targetResources")
                .as_ref()
                .and_then(target_upn),
            onprem_agent: structured_reference(obj, "additionalDetails")
                .as_ref()
                .and_then(onprem_agent),
            // JSON exports write ISO 8601 times; a slash date is read month first.
            day_order: Default::default(),
        };
        Ok((shape, fields))
    }

    /// The new reading and the old of one record must be the same, errors included.
    fn assert_read_as_before(bytes: &[u8], what: &str) {
        assert_eq!(
            format!("{:?}", parse_record(bytes)),
            format!("{:?}", parse_record_reference(bytes)),
            "{what}: {}",
            String::from_utf8_lossy(bytes)
        );
    }

    /// A record of hundreds of spellings of one wanted name (a hostile file: each kept name
    /// is compared with the next) is read through the whole tree past the bound, and reads as
    /// it did.
    #[test]
    fn a_record_of_many_spellings_of_a_name_reads_as_before() {
        let mut record = String::from("{\"loggedByService\":\"Self-service Password Management\"");
        for n in 0..300u32 {
            let name: String = "activityDisplayName"
                .chars()
                .enumerate()
                .map(|(i, c)| match n >> (i % 9) & 1 {
                    1 => c.to_ascii_uppercase(),
                    _ => c.to_ascii_lowercase(),
                })
                .collect();
            record.push_str(&format!(",\"{name}{n}\":1,\"{name}\":\"v{n}\""));
        }
        record.push('}');
        let mut de = serde_json::Deserializer::from_slice(record.as_bytes());
        assert!(
            MembersSeed { top: true }.deserialize(&mut de).is_err(),
            "the one-pass reading stops at the bound"
        );
        assert_read_as_before(record.as_bytes(), "many spellings");
        assert!(parse_record(record.as_bytes()).is_ok());
    }

    /// Every record of every JSON fixture, whole, cut short and followed by junk, reads as
    /// it did through the whole tree.
    #[test]
    fn the_members_reader_reads_every_fixture_as_the_tree_did() {
        use crate::ingest::json_stream::{JsonRecords, looks_like_json_lines};
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
        let mut dirs = vec![std::path::PathBuf::from(root)];
        let mut files = Vec::new();
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("fixtures") {
                let path = entry.expect("entry").path();
                let ext = path.extension().and_then(|e| e.to_str());
                if path.is_dir() {
                    dirs.push(path);
                } else if matches!(ext, Some("json" | "ndjson" | "jsonl")) {
                    files.push(path);
                }
            }
        }
        let (mut records, mut audit) = (0, 0);
        for path in &files {
            let bytes = std::fs::read(path).expect("read");
            let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
            let lines = looks_like_json_lines(&String::from_utf8_lossy(text));
            let mut stream = JsonRecords::new(text, lines);
            let what = path.display().to_string();
            while let Some(next) = stream.next_record() {
                let Ok(raw) = next else { continue };
                records += 1;
                audit += usize::from(parse_record_reference(&raw.bytes).is_ok());
                assert_read_as_before(&raw.bytes, &what);
                let n = raw.bytes.len();
                for cut in [n / 3, n - 1] {
                    assert_read_as_before(&raw.bytes[..cut], &what);
                }
                let junk = [&raw.bytes[..], b" x"].concat();
                assert_read_as_before(&junk, &what);
            }
        }
        assert!(
            files.len() >= 20 && records >= 300 && audit >= 100,
            "{} files, {records} records, {audit} audit records",
            files.len()
        );
    }

    /// Member names asked for, in the case exports write them and in odd ones, escaped, and
    /// names not asked for.
    const ODD_NAMES: [&str; 38] = [
        "activityDisplayName",
        "ACTIVITYDISPLAYNAME",
        "activitydisplayname",
        "OperationName",
        "operationName",
        "activityDateTime",
        "TimeGenerated",
        "time",
        "Time",
        "loggedByService",
        "LoggedByService",
        "correlationId",
        "CorrelationId",
        "resultReason",
        "ResultDescription",
        "resultDescription",
        "id",
        "Id",
        "ID",
        "\\u0069d",
        "I\\u0044",
        "result",
        "Result",
        "ResultType",
        "resultType",
        "initiatedBy",
        "InitiatedBy",
        "targetResources",
        "TargetResources",
        "additionalDetails",
        "AdditionalDetails",
        "callerIpAddress",
        "CallerIPAddress",
        "properties",
        "Properties",
        "propert\\u0069es",
        "category",
        "\\u00e9t\\u00e9",
    ];

    /// Values: text, blank text, numbers (one past f64), null, literals, escapes, and the
    /// subtrees read (initiating user, targets, details) as trees and as JSON text.
    const ODD_VALUES: [&str; 27] = [
        r#""Reset password (self-service)""#,
        r#""Self-service Password Management""#,
        r#""2026-10-03T09:15:00Z""#,
        r#""  ""#,
        r#""""#,
        "12",
        "-1.5e3",
        "1e400",
        "18446744073709551616",
        "null",
        "true",
        "[]",
        "{}",
        r#""caf\u00e9 \"q\" \\ \n""#,
        r#""\ud83d\ude00""#,
        r#"{"user":{"userPrincipalName":"a@b.jp","ipAddress":"198.51.100.8"}}"#,
        r#"{"User":{"UserPrincipalName":"c@d.jp"},"user":{"ipAddress":"192.0.2.1"},"app":null}"#,
        r#"{"app":{"displayName":"Sync"},"user":null}"#,
        r#""{\"user\":{\"userPrincipalName\":\"e@f.jp\",\"ipAddress\":\"2001:db8::5\"}}""#,
        r#"[{"type":"User","userPrincipalName":"t@u.jp"}]"#,
        r#"[{"Type":"Group","userPrincipalName":"g@u.jp"},{"userPrincipalName":"v@u.jp"}]"#,
        r#""[{\"type\":\"User\",\"userPrincipalName\":\"w@u.jp\"}]""#,
        r#"[{"key":"OnPremisesAgent","value":"None"}]"#,
        r#"[{"Key":"onpremisesagent","Value":7},{"key":"OnPremisesAgent","value":"x"}]"#,
        r#""not json""#,
        "[1,[2,[3,{\"a\":[]}]]]",
        "\"\\u12\"",
    ];

    /// A random object of [`ODD_NAMES`] (some written twice) and [`ODD_VALUES`], with objects
    /// inside, spaced at random.
    fn odd_object(rng: &mut crate::synth::Rng, depth: u32) -> String {
        let space = |rng: &mut crate::synth::Rng| [" ", "", "\n  ", ""][rng.below(4) as usize];
        let mut out = String::from("{");
        for k in 0..rng.below(14) {
            if k > 0 {
                out.push(',');
            }
            out.push_str(space(rng));
            let name = ODD_NAMES[rng.below(ODD_NAMES.len() as u64) as usize];
            out.push_str(&format!("\"{name}\"{}:{}", space(rng), space(rng)));
            if depth < 2 && rng.chance(0.15) {
                out.push_str(&odd_object(rng, depth + 1));
            } else {
                out.push_str(ODD_VALUES[rng.below(ODD_VALUES.len() as u64) as usize]);
            }
        }
        out.push_str(space(rng));
        out.push('}');
        out
    }

    /// Odd case, names written twice, nested `properties`, numbers, nulls and escapes: the
    /// members reader answers as the whole tree did, on good records and broken ones.
    #[test]
    fn the_members_reader_reads_odd_records_as_the_tree_did() {
        let mut rng = crate::synth::Rng::new(23);
        let mut read = 0;
        for case in 0..30_000 {
            let mut record = odd_object(&mut rng, 0);
            match rng.below(12) {
                0 => record.truncate(rng.below(record.len() as u64 + 1) as usize),
                1 => record = format!("[{record}]"),
                2 => record.push_str(" }"),
                3 => record = record.replacen(':', "", 1),
                _ => {}
            }
            // A cut may fall inside a character: the bytes, not the text, are read.
            assert_read_as_before(record.as_bytes(), &format!("case {case}"));
            read += usize::from(parse_record_reference(record.as_bytes()).is_ok());
        }
        for deep in [127, 128, 129, 300] {
            let record = format!(
                r#"{{"activityDisplayName":"x","correlationId":"c","category":{}1{}}}"#,
                "[".repeat(deep),
                "]".repeat(deep)
            );
            assert_read_as_before(record.as_bytes(), &format!("nesting {deep}"));
        }
        assert!(read > 1000, "only {read} records read");
    }

    /// Names met inside the structures read, in odd cases, and names not asked for.
    const NESTED_NAMES: [&str; 18] = [
        "user",
        "User",
        "app",
        "userPrincipalName",
        "USERPRINCIPALNAME",
        "ipAddress",
        "IpAddress",
        "type",
        "Type",
        "key",
        "Key",
        "value",
        "VALUE",
        "modifiedProperties",
        "displayName",
        "\\u0075ser",
        "us\\u0065rPrincipalName",
        "id",
    ];

    /// Scalars met there: text the fields are made of, blank text, numbers (one out of
    /// range), literals and escapes.
    const NESTED_SCALARS: [&str; 14] = [
        r#""a@b.jp""#,
        r#""User""#,
        r#""group""#,
        r#""OnPremisesAgent""#,
        r#""onpremisesagent""#,
        r#""198.51.100.8""#,
        r#""  ""#,
        r#""caf\u00e9 \"q\"""#,
        "7",
        "-1.5e3",
        "1e400",
        "null",
        "true",
        "18446744073709551616",
    ];

    /// A random value of [`NESTED_NAMES`] and [`NESTED_SCALARS`]: objects and arrays inside
    /// each other, names written twice.
    fn nested_value(rng: &mut crate::synth::Rng, depth: u32) -> String {
        let pick = |rng: &mut crate::synth::Rng, list: &[&str]| {
            list[rng.below(list.len() as u64) as usize].to_string()
        };
        // The top is a structure; below it, scalars (what fields are made of) come often, and
        // pairs shaped like a target or a detail.
        let kind = match depth {
            0 => 2 + rng.below(3),
            1..4 => rng.below(6),
            _ => 0,
        };
        match kind {
            0 | 1 => pick(rng, &NESTED_SCALARS),
            5 => {
                let (first, second) = [
                    ("key", "value"),
                    ("Key", "VALUE"),
                    ("type", "userPrincipalName"),
                    ("userPrincipalName", "ipAddress"),
                    ("IpAddress", "USERPRINCIPALNAME"),
                ][rng.below(5) as usize];
                let (mut a, b) = (pick(rng, &NESTED_SCALARS), pick(rng, &NESTED_SCALARS));
                if rng.chance(0.3) {
                    // The one key whose value is read.
                    a = r#""OnPremisesAgent""#.to_string();
                }
                format!("{{\"{first}\": {a}, \"{second}\": {b}}}")
            }
            2 | 3 => {
                let members: Vec<String> = (0..rng.below(5))
                    .map(|_| {
                        let name = pick(rng, &NESTED_NAMES);
                        format!("\"{name}\": {}", nested_value(rng, depth + 1))
                    })
                    .collect();
                format!("{{{}}}", members.join(","))
            }
            _ => {
                let elements: Vec<String> = (0..rng.below(4))
                    .map(|_| nested_value(rng, depth + 1))
                    .collect();
                format!("[{}]", elements.join(", "))
            }
        }
    }

    /// What the fields take from a structure: the same from the kept parts as from the tree.
    fn taken(nested: Nested, value: Option<&Value>) -> Vec<Option<String>> {
        match nested {
            Nested::InitiatedBy => {
                let user_is_object = value
                    .and_then(|v| v.as_object())
                    .and_then(|o| get_ci(o, "user"))
                    .is_some_and(Value::is_object);
                vec![
                    value.and_then(actor_upn),
                    value.and_then(actor_ip),
                    user_is_object.then(String::new),
                ]
            }
            Nested::TargetResources => vec![value.and_then(target_upn)],
            Nested::AdditionalDetails => vec![value.and_then(onprem_agent)],
        }
    }

    /// Random structures, whole, cut short and as JSON text inside a record: the kept parts
    /// give every field the whole tree gave, and fail where serde_json fails.
    #[test]
    fn the_kept_parts_of_a_structure_answer_as_the_tree() {
        let mut rng = crate::synth::Rng::new(29);
        // Fields answered: UPN, IP, user an object (initiatedBy); target UPN; on-prem agent.
        let (mut read, mut answered) = (0, [0; 5]);
        for case in 0..20_000 {
            let mut text = nested_value(&mut rng, 0);
            if rng.chance(0.1) {
                text.truncate(rng.below(text.len() as u64 + 1) as usize);
            }
            let tree: Option<Value> = serde_json::from_str(&text).ok();
            read += usize::from(tree.is_some());
            for (first, nested) in [
                (0, Nested::InitiatedBy),
                (3, Nested::TargetResources),
                (4, Nested::AdditionalDetails),
            ] {
                let kept = nested.read_text(&text);
                assert_eq!(kept.is_some(), tree.is_some(), "case {case}: {text}");
                let want = taken(nested, tree.as_ref());
                for (k, field) in want.iter().enumerate() {
                    answered[first + k] += usize::from(field.is_some());
                }
                assert_eq!(
                    taken(nested, kept.as_ref()),
                    want,
                    "case {case}, {nested:?}: {text}"
                );
            }
            let as_text = Value::String(text.clone()).to_string();
            for value in [&text, &as_text] {
                let record = format!(
                    r#"{{"activityDisplayName":"x","correlationId":"c","initiatedBy":{value},"targetResources":{value},"additionalDetails":{value}}}"#
                );
                assert_read_as_before(record.as_bytes(), &format!("case {case}"));
            }
        }
        assert!(
            read > 10_000 && answered.iter().all(|&n| n > 80),
            "{read} read, fields answered {answered:?}"
        );
        // Nesting about serde_json's limit of 128, inside each structure, whole and as text.
        for deep in [126, 127, 128, 129, 300] {
            let inner = format!("{}1{}", "[".repeat(deep), "]".repeat(deep));
            for text in [
                format!(r#"{{"user":{{"userPrincipalName":"a@b.jp","x":{inner}}}}}"#),
                format!(r#"[{{"type":"User","userPrincipalName":"a@b.jp","x":{inner}}}]"#),
                format!(r#"[{{"key":"OnPremisesAgent","value":"a","x":{inner}}}]"#),
            ] {
                let tree: Option<Value> = serde_json::from_str(&text).ok();
                for nested in [
                    Nested::InitiatedBy,
                    Nested::TargetResources,
                    Nested::AdditionalDetails,
                ] {
                    let kept = nested.read_text(&text);
                    assert_eq!(taken(nested, kept.as_ref()), taken(nested, tree.as_ref()));
                }
                let as_text = Value::String(text.clone()).to_string();
                for value in [&text, &as_text] {
                    let record = format!(
                        r#"{{"activityDisplayName":"x","correlationId":"c","initiatedBy":{value},"targetResources":{value},"additionalDetails":{value}}}"#
                    );
                    assert_read_as_before(record.as_bytes(), &format!("nesting {deep}"));
                }
            }
        }
    }

    /// Random records of needles, pieces of needles (their starts, ends and overlaps) and
    /// filler: the one-pass search answers as the six separate searches did.
    #[test]
    fn the_one_pass_prefilter_answers_as_the_six_searches() {
        let pieces: [&[u8]; 22] = [
            b"Password Management",
            b"Authentication Methods",
            b"\"SSPR\"",
            b"Directory",
            b"assword",
            b"StsRefreshToken",
            b"Password Managemen",
            b"Password",
            b"P",
            b"Authentication",
            b"\"SSPR",
            b"SSPR\"",
            b"\"",
            b"Director",
            b"irectory",
            b"asswor",
            b"StsRefresh",
            b"Token",
            b"Core Directory",
            b"{\"loggedByService\":\"",
            b" ",
            b"x",
        ];
        let mut rng = crate::synth::Rng::new(17);
        let (mut yes, mut no) = (0, 0);
        for case in 0..20_000 {
            let mut record = Vec::new();
            for _ in 0..rng.below(12) {
                record.extend_from_slice(pieces[rng.below(pieces.len() as u64) as usize]);
            }
            let expected = may_be_relevant_by_needles(&record);
            assert_eq!(
                may_be_relevant(&record),
                expected,
                "case {case}: {}",
                String::from_utf8_lossy(&record)
            );
            if expected { yes += 1 } else { no += 1 }
        }
        assert!(yes > 2000 && no > 2000, "both answers drawn: {yes} / {no}");
    }

    #[test]
    fn graph_record() {
        let rec = br#"{"id":"SSPR_x","activityDateTime":"2026-10-03T09:15:00.1234567Z","loggedByService":"Self-service Password Management",
          "activityDisplayName":"Reset password (by admin)","result":"success","resultReason":"Successfully completed reset.",
          "correlationId":"ABC","initiatedBy":{"app":null,"user":{"userPrincipalName":"admin@contoso.co.jp","ipAddress":"203.0.113.10"}},
          "targetResources":[{"Type":"User","userPrincipalName":"Taro.Yamada@contoso.co.jp"}],
          "additionalDetails":[{"key":"OnPremisesAgent","value":"None"}]}"#;
        let (shape, f) = parse_record(rec).expect("parses");
        assert_eq!(shape, JsonShape::Graph);
        assert_eq!(f.actor_upn.as_deref(), Some("admin@contoso.co.jp"));
        assert_eq!(f.ip.as_deref(), Some("203.0.113.10"));
        assert_eq!(f.target_upn.as_deref(), Some("Taro.Yamada@contoso.co.jp"));
        assert_eq!(f.onprem_agent.as_deref(), Some("None"));
        assert!(may_be_relevant(rec));
        assert_eq!(
            quick_time(rec).map(|t| t.to_rfc3339()),
            Some("2026-10-03T09:15:00.123456700+00:00".into())
        );
    }

    #[test]
    fn log_analytics_record_with_json_in_strings() {
        let rec = br#"{"TimeGenerated":"2026-10-03T09:15:01Z","ActivityDateTime":"2026-10-03T09:15:00Z","OperationName":"Self-service password reset flow activity progress",
          "LoggedByService":"Self-service Password Management","Result":"failure","ResultReason":"","ResultDescription":"User submitted their user ID",
          "CorrelationId":"c1","InitiatedBy":"{\"user\":{\"userPrincipalName\":\"a@b.jp\",\"ipAddress\":\"2001:db8::5\"}}","TargetResources":"[{\"type\":\"User\",\"userPrincipalName\":\"a@b.jp\"}]"}"#;
        let (shape, f) = parse_record(rec).expect("parses");
        assert_eq!(shape, JsonShape::LogAnalytics);
        assert_eq!(
            f.time, "2026-10-03T09:15:00Z",
            "ActivityDateTime wins over ingestion time"
        );
        assert_eq!(f.reason, "User submitted their user ID");
        assert_eq!(f.target_upn.as_deref(), Some("a@b.jp"));
        assert_eq!(f.ip.as_deref(), Some("2001:db8::5"), "from the JSON text");
    }

    #[test]
    fn event_hub_record() {
        let rec = br#"{"time":"2026-10-03T09:15:00Z","operationName":"Reset password (self-service)","category":"AuditLogs","correlationId":"c2",
          "callerIpAddress":"198.51.100.9",
          "properties":{"activityDateTime":"2026-10-03T09:15:00+00:00","activityDisplayName":"Reset password (self-service)",
          "loggedByService":"Self-service Password Management","result":"failure","resultReason":"OnPremisesConnectivityError",
          "initiatedBy":{"user":{"userPrincipalName":"x@y.jp","ipAddress":"198.51.100.8"}},
          "targetResources":[{"type":"User","userPrincipalName":"x@y.jp"}]}}"#;
        let (shape, f) = parse_record(rec).expect("parses");
        assert_eq!(shape, JsonShape::EventHub);
        assert_eq!(f.correlation_id, "c2");
        assert_eq!(f.reason, "OnPremisesConnectivityError");
        assert_eq!(
            f.ip.as_deref(),
            Some("198.51.100.8"),
            "the user's own first"
        );
        let text = std::str::from_utf8(rec).expect("utf-8");
        let without = text.replace(r#","ipAddress":"198.51.100.8""#, "");
        let (_, f) = parse_record(without.as_bytes()).expect("parses");
        assert_eq!(f.ip.as_deref(), Some("198.51.100.9"), "then the caller's");
        let by_app = text.replace(
            r#""user":{"userPrincipalName":"x@y.jp","ipAddress":"198.51.100.8"}"#,
            r#""app":{"displayName":"Sync"}"#,
        );
        let (_, f) = parse_record(by_app.as_bytes()).expect("parses");
        assert_eq!(
            f.ip, None,
            "an app has no address in the other formats either"
        );
    }

    #[test]
    fn non_audit_json() {
        assert_eq!(
            parse_record(br#"{"userPrincipalName":"a@b","methodsRegistered":[]}"#).err(),
            Some(JsonRecordError::NotAudit)
        );
        assert!(matches!(
            parse_record(b"{\"a\":"),
            Err(JsonRecordError::Syntax(_))
        ));
        assert!(!may_be_relevant(
            br#"{"loggedByService":"Core Directory","activityDisplayName":"Update user"}"#
        ));
    }
}
