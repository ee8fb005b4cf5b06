//! Reading a JSON value keeping only the parts asked for: the rest is read and checked as
//! serde_json reads it into a [`Value`] (same syntax, number range and nesting limit, so the
//! same records fail) but builds no tree. Audit records keep a dozen members of dozens, with
//! their structures' few fields; directory records (registration details, licences) keep the
//! members their rows are made of.

use serde::de::{Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// What of a value is kept. The readers of the kept values (the audit fields'
/// [`super::audit_json::actor_upn`], a snapshot row's [`super::registration_json::snapshot_row`],
/// …) look up members by name in any case; a kept object holds every member whose name matches
/// one kept, in order, so they answer on it as on the whole tree.
#[derive(Debug, Clone, Copy)]
pub(super) enum Keep {
    /// The value whole.
    Whole,
    /// Of an object, the members of these names (any case), each kept as said.
    Members(&'static [(&'static str, Keep)]),
    /// Of an array, every element kept as said.
    Elements(&'static Keep),
}

/// Reads a value keeping what `Keep` says: the whole value, or a part of it (an audit record's
/// [`super::audit_json::Nested`] structure, a snapshot record's members). A string is kept as
/// it is (it may hold the structure as JSON text); where an object or array stands that is not
/// asked for, or a number or literal where a structure is, null is kept: the readers take
/// nothing from it either way.
pub(super) struct KeepPart(pub(super) Keep);

impl<'de> DeserializeSeed<'de> for KeepPart {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        match self.0 {
            Keep::Whole => Value::deserialize(d),
            _ => d.deserialize_any(self),
        }
    }
}

impl<'de> Visitor<'de> for KeepPart {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let Keep::Members(names) = self.0 else {
            return Checked.visit_map(map).map(|_| Value::Null);
        };
        let mut kept = Map::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match names.iter().find(|(n, _)| key.eq_ignore_ascii_case(n)) {
                Some(&(_, keep)) => {
                    let value = map.next_value_seed(KeepPart(keep))?;
                    // As serde_json's own map: a name written twice keeps its first place
                    // and its last value.
                    kept.insert(key.into_owned(), value);
                }
                None => {
                    map.next_value::<Checked>()?;
                }
            }
        }
        Ok(Value::Object(kept))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let Keep::Elements(element) = self.0 else {
            return Checked.visit_seq(seq).map(|_| Value::Null);
        };
        let mut kept = Vec::new();
        while let Some(value) = seq.next_element_seed(KeepPart(*element))? {
            kept.push(value);
        }
        Ok(Value::Array(kept))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
}

/// A member name, borrowed from the record unless it holds escapes.
pub(super) struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v))
    }
}

/// A value that is read and checked exactly as serde_json reads it into a [`Value`] (same
/// syntax, number range and nesting limit, so the same records fail), but not kept.
pub(super) struct Checked;

impl<'de> Deserialize<'de> for Checked {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Checked, D::Error> {
        d.deserialize_any(Checked)
    }
}

impl<'de> Visitor<'de> for Checked {
    type Value = Checked;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Checked, A::Error> {
        while map.next_key::<Checked>()?.is_some() {
            map.next_value::<Checked>()?;
        }
        Ok(Checked)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Checked, A::Error> {
        while seq.next_element::<Checked>()?.is_some() {}
        Ok(Checked)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_str<E>(self, _: &str) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_unit<E>(self) -> Result<Checked, E> {
        Ok(Checked)
    }
}

/// The members of a top-level object named in `names` (any case), each kept as said, in a
/// [`Value`] that answers lookups of those names ([`super::audit_json::get_ci`]) as the whole
/// tree does: every spelling kept, in order, a name written twice in its first place with its
/// last value. Anything else than an object reads as null or a string, which no reader takes
/// for an object either. Bytes that are not one JSON value are read whole, so the error is
/// serde_json's own.
pub(super) fn read_members_kept(
    bytes: &[u8],
    names: &'static [(&'static str, Keep)],
) -> serde_json::Result<Value> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    KeepPart(Keep::Members(names))
        .deserialize(&mut de)
        .and_then(|value| de.end().map(|()| value))
        .or_else(|_| serde_json::from_slice(bytes))
}
