//! Pseudonymization of the report output (`--pseudonymize KEY`).
//!
//! Reports often have to leave the team that runs SSPR — to the security team, an auditor, a
//! vendor — and those readers need patterns (who keeps failing, from which address), not
//! identities. So user principal names, display names and IP addresses in every output file are
//! replaced by keyed pseudonyms.
//!
//! The same key gives the same pseudonym in every run, so the reports of consecutive months still
//! line up (the same person stays `user-…` with the same digits); a different key gives unrelated
//! pseudonyms. The pseudonym is an HMAC rather than a plain hash because names and addresses are
//! easy to guess: anyone could hash `taro.yamada@contoso.co.jp` and compare, whereas without the
//! key nobody can test a guess. For the same reason the key must not be short.

use std::collections::HashMap;
use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Below this a key can be found by trying keys, and then every pseudonym by trying names.
const MIN_KEY_CHARS: usize = 8;

/// 6 bytes = 12 hex digits: collisions stay unlikely among the users of one tenant, and the
/// pseudonym stays short enough for a table column.
const DIGEST_BYTES: usize = 6;

/// Replaces personal data in report text by keyed pseudonyms.
///
/// `Debug` is written by hand: the derived one would print the registered display names
/// (personal data) into whatever log the value ends up in.
#[derive(Clone)]
pub struct Pseudonymizer {
    /// Keyed once; cloning the keyed state is cheaper than keying again for every value.
    mac: HmacSha256,
    /// Registered display names, longest first so that the longest name wins at a position.
    names: Vec<Name>,
    /// Indexes into `names` by their first two characters (every name has at least two), so
    /// `text()` tries only a handful of names per position however many are registered.
    by_start: HashMap<(char, char), Vec<usize>>,
    /// Input file names and their `file-…` pseudonyms, longest first (see `warning()`).
    files: Vec<(String, String)>,
}

#[derive(Clone)]
struct Name {
    text: String,
    /// Computed once at registration: `text()` may meet the same name in thousands of cells.
    pseudonym: String,
}

impl fmt::Debug for Pseudonymizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pseudonymizer")
            .field("key", &"<hidden>")
            .field("names", &self.names.len())
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Mail,
    Ip,
}

/// A byte range of the input to be replaced; always starts and ends at ASCII bytes (or the
/// ends of the string), hence on character boundaries.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    kind: Kind,
}

impl Pseudonymizer {
    /// A pseudonymizer with this key; `Err` (a message for the user) when the key is empty or
    /// shorter than 8 characters (a short key makes pseudonyms guessable by trying names).
    pub fn new(key: &str) -> Result<Self, String> {
        if key.trim().is_empty() {
            return Err(format!(
                "the --pseudonymize key is empty; give a secret of at least {MIN_KEY_CHARS} \
                 characters and keep it for the next runs"
            ));
        }
        if key.chars().count() < MIN_KEY_CHARS {
            return Err(format!(
                "the --pseudonymize key is shorter than {MIN_KEY_CHARS} characters; a short key \
                 can be found by trying, and then the pseudonyms by trying names"
            ));
        }
        let mac = <HmacSha256 as Mac>::new_from_slice(key.as_bytes())
            .map_err(|e| format!("the --pseudonymize key cannot be used: {e}"))?;
        Ok(Pseudonymizer {
            mac,
            names: Vec::new(),
            by_start: HashMap::new(),
            files: Vec::new(),
        })
    }

    /// Adds display names to recognise inside free text (names of fewer than 2 characters are ignored).
    pub fn add_names<I: IntoIterator<Item = S>, S: AsRef<str>>(&mut self, names: I) {
        let names: Vec<(String, String)> = names
            .into_iter()
            .map(|raw| raw.as_ref().trim().to_owned())
            // A one-character "name" would shred ordinary text.
            .filter(|text| text.chars().count() >= 2)
            .map(|text| {
                let pseudonym = self.name(&text);
                (text, pseudonym)
            })
            .collect();
        self.add_texts(names);
    }

    /// Adds texts to replace inside free text, each by its pseudonym.
    fn add_texts(&mut self, texts: Vec<(String, String)>) {
        for (text, pseudonym) in texts {
            if text.chars().count() < 2 {
                continue;
            }
            self.names.push(Name { text, pseudonym });
        }
        // Longest first; ties by text, so the order never depends on the order of registration.
        self.names.sort_by(|a, b| {
            b.text
                .len()
                .cmp(&a.text.len())
                .then_with(|| a.text.cmp(&b.text))
        });
        self.names.dedup_by(|a, b| a.text == b.text);
        self.by_start.clear();
        for (ix, name) in self.names.iter().enumerate() {
            let mut chars = name.text.chars();
            if let (Some(c1), Some(c2)) = (chars.next(), chars.next()) {
                self.by_start.entry((c1, c2)).or_default().push(ix);
            }
        }
    }

    /// Pseudonym of a user principal name / e-mail address: `user-` + 12 lower-case hex digits of
    /// HMAC-SHA-256(key, "upn:" + trimmed lower-cased address). Case and surrounding spaces do not matter.
    pub fn user(&self, upn: &str) -> String {
        // Entra ID compares UPNs case-insensitively, and the exports do not agree on case.
        self.pseudonym("user-", "upn:", &upn.trim().to_lowercase())
    }

    /// Pseudonym of a display name: `name-` + 12 hex digits of HMAC(key, "name:" + trimmed name).
    pub fn name(&self, name: &str) -> String {
        self.pseudonym("name-", "name:", name.trim())
    }

    /// Pseudonym of an IP address: `ip-` + 12 hex of HMAC(key, "ip:" + address as written, lower case).
    pub fn ip(&self, ip: &str) -> String {
        self.pseudonym("ip-", "ip:", &ip.trim().to_ascii_lowercase())
    }

    /// Free text with every e-mail-like address, IPv4 and IPv6 address and registered display
    /// name replaced by its pseudonym; everything else unchanged.
    pub fn text(&self, s: &str) -> String {
        let b = s.as_bytes();
        let want_mail = b.contains(&b'@');
        // IPv4 needs dots, IPv6 colons; most cells (counts, codes, dates) have neither.
        let want_ip = b.iter().any(|&c| c == b'.' || c == b':');
        if !want_mail && !want_ip && self.names.is_empty() {
            return s.to_owned();
        }

        // Addresses first: an address is replaced as a whole even when a registered name
        // happens to occur inside it, and its pseudonym then matches the `user` column.
        let mut spans = Vec::new();
        if want_mail {
            find_mails(b, &mut spans);
        }
        if want_ip {
            let mut ips = Vec::new();
            let mut lo = 0;
            for sp in &spans {
                find_ips(b, lo, sp.start, &mut ips);
                lo = sp.end;
            }
            find_ips(b, lo, b.len(), &mut ips);
            spans.extend(ips);
            spans.sort_by_key(|sp| sp.start);
        }

        let mut out = String::with_capacity(s.len() + 16);
        let mut pos = 0;
        for sp in &spans {
            let Some(found) = s.get(sp.start..sp.end) else {
                // Cannot happen (spans lie on ASCII bytes); the text then stays in the next gap.
                continue;
            };
            self.push_with_names(s, pos, sp.start, &mut out);
            out.push_str(&match sp.kind {
                Kind::Mail => self.user(found),
                Kind::Ip => self.ip(found),
            });
            pos = sp.end;
        }
        self.push_with_names(s, pos, s.len(), &mut out);
        out
    }

    /// One cell of a report table, knowing its column: columns `user` and `display_name` are
    /// pseudonymized as a whole (`user()` / `name()`; empty stays empty); every other column
    /// goes through `text()`.
    pub fn cell(&self, column: &str, value: &str) -> String {
        match column {
            // An empty cell means "unknown"; a pseudonym there would invent a person.
            "user" | "display_name" if value.trim().is_empty() => value.to_owned(),
            "user" => self.user(value),
            // Whole-cell, because most display names are not registered for free text.
            "display_name" => self.name(value),
            "warnings" | "warning" => self.warning(value),
            _ => self.text(value),
        }
    }

    /// One cell of the report table `table`. Matching personal data in free text can never be
    /// complete, so free text is kept only where it is known to be safe — a wording the catalog
    /// holds, an identifier of the expected shape, a method of the vocabulary — and anything
    /// else becomes [`Pseudonymizer::opaque`]: a keyed hash that still groups equal texts.
    /// Event messages are always hashed (their parsed fields have columns of their own), file
    /// names become `file-…`; the remaining columns are ours (counts, times, enums, remedies)
    /// and go through [`Pseudonymizer::cell`].
    pub fn table_cell(&self, table: &str, column: &str, value: &str) -> String {
        if value.is_empty() {
            return String::new();
        }
        match (table, column) {
            ("rejects.csv", "reason") | ("writeback_events.csv", "message") => self.opaque(value),
            ("rejects.csv", "location") => self.location(value),
            // A list's rows are named by their first field (coverage.sources: `onprem:<computer>`).
            ("summary.csv", "value" | "metric") => self.warning(value),
            // `Excel workbook, sheet 'Yamada Taro', …`: a sheet's name is the user's text.
            ("inputs.csv", "format") => self.quoted(value),
            ("failure_reasons.csv", "reason") | ("flows.csv", "failure_reason" | "last_step") => {
                self.reason(value)
            }
            ("license_gaps.csv", "reason") if is_code_word(value) => value.to_owned(),
            ("license_gaps.csv", "reason") => self.opaque(value),
            (_, "file") => self.file(value),
            (_, "correlation_id" | "tracking_id") if is_identifier(value) => value.to_owned(),
            (_, "correlation_id" | "tracking_id") => self.opaque(value),
            (_, "computer") if is_host_name(value) => value.to_owned(),
            (_, "computer") => self.opaque(value),
            (_, "methods" | "registered_methods") => value
                .split("; ")
                .map(|m| {
                    if crate::model::methods::is_known(m) {
                        m.to_owned()
                    } else {
                        self.opaque(m)
                    }
                })
                .collect::<Vec<_>>()
                .join("; "),
            _ => self.cell(column, value),
        }
    }

    /// A failure reason or progress step: kept when the catalog holds it word for word (or it
    /// is an error code), else [`Pseudonymizer::opaque`]. Chart labels use the same rule.
    pub fn reason(&self, text: &str) -> String {
        let code = !text.is_empty() && text.bytes().all(|b| b.is_ascii_hexdigit() || b == b'x');
        if code || crate::catalog::is_catalog_text(text) || text == NO_DETAIL_REASON {
            text.to_owned()
        } else {
            self.opaque(text)
        }
    }

    /// A keyed hash of any text: `text-` + 12 hex digits. Equal texts give equal hashes, so a
    /// pseudonymized table still groups them; the text itself cannot be read back or guessed.
    pub fn opaque(&self, text: &str) -> String {
        self.pseudonym("text-", "text:", text)
    }

    /// An input file's name: `file-` + 12 hex digits, then its extension when that is a short
    /// ASCII word (`.csv`), so a reader still sees what kind of file it was.
    pub fn file(&self, display: &str) -> String {
        let mut out = self.pseudonym("file-", "file:", display);
        if let Some((_, ext)) = display.rsplit_once('.')
            && (1..=5).contains(&ext.len())
            && ext.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            out.push('.');
            out.push_str(&ext.to_ascii_lowercase());
        }
        out
    }

    /// Each `'…'` of one of our sentences (the sheet names of a workbook's format) as a keyed
    /// hash; the sentence around them stays.
    fn quoted(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut parts = text.split('\'');
        if let Some(first) = parts.next() {
            out.push_str(first);
        }
        for (n, part) in parts.enumerate() {
            out.push('\'');
            // Inside quotes on odd pieces; a piece after the last closing quote stays.
            if n % 2 == 0 {
                out.push_str(&self.opaque(part));
            } else {
                out.push_str(part);
            }
        }
        out
    }

    /// Registers computer names that are not shaped like one (an Event Viewer CSV names its
    /// computer after the file: `APPLICATION_TYAMADA-LAPTOP`), so that a warning or a coverage
    /// source naming one shows its keyed hash, as writeback_events.csv does.
    pub fn add_computers<I: IntoIterator<Item = S>, S: AsRef<str>>(&mut self, names: I) {
        let mut files = std::mem::take(&mut self.files);
        files.extend(
            names
                .into_iter()
                .map(|n| n.as_ref().to_owned())
                .filter(|n| !n.is_empty() && !is_host_name(n))
                .map(|n| {
                    let hashed = self.opaque(&n);
                    (n, hashed)
                }),
        );
        files.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        files.dedup_by(|a, b| a.0 == b.0);
        self.files = files;
    }

    /// Registers input file names, so that a warning naming one shows its `file-…` pseudonym.
    pub fn add_files<I: IntoIterator<Item = S>, S: AsRef<str>>(&mut self, displays: I) {
        let mut files: Vec<(String, String)> = displays
            .into_iter()
            .map(|d| (d.as_ref().to_owned(), self.file(d.as_ref())))
            .filter(|(d, _)| !d.is_empty())
            .collect();
        files.extend(std::mem::take(&mut self.files));
        // Longest first, so `a/b.csv` is replaced before `b.csv`; ties by text.
        files.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        files.dedup_by(|a, b| a.0 == b.0);
        self.files = files;
    }

    /// One of our own sentences (a warning), which may name input files: those become their
    /// `file-…` pseudonyms first (a file name may hold an address), then [`Pseudonymizer::text`].
    pub fn warning(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for (display, pseudonym) in &self.files {
            if out.contains(display.as_str()) {
                out = out.replace(display.as_str(), pseudonym);
            }
        }
        self.text(&out)
    }

    /// A place in a file: `line 12`, `record 3 (line 40)`, `chunk 2`… are kept; a sheet's name
    /// (`sheet <name> row 7`) is the user's text and is hashed.
    fn location(&self, value: &str) -> String {
        if let Some(rest) = value.strip_prefix("sheet ")
            && let Some((sheet, row)) = rest.rsplit_once(" row ")
            && row.bytes().all(|b| b.is_ascii_digit())
        {
            return format!("sheet {} row {row}", self.opaque(sheet));
        }
        let plain = value.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b' ' | b'(' | b')')
        });
        if plain {
            value.to_owned()
        } else {
            self.opaque(value)
        }
    }

    /// Every string inside a JSON value through `text()` (object keys untouched).
    ///
    /// A string held directly under a key `user` or `display_name` (or in an array there) is
    /// treated as that column by [`Pseudonymizer::cell`], so JSON and tables agree.
    pub fn json(&self, value: &mut serde_json::Value) {
        use serde_json::Value;
        // An explicit stack: a deeply nested value built in code must not overflow the stack.
        let mut stack: Vec<(&str, &mut Value)> = vec![("", value)];
        while let Some((column, v)) = stack.pop() {
            match v {
                Value::String(s) => {
                    // Our sentences and labels (warnings, coverage sources) may name an input
                    // file or a computer named after one: those are replaced first.
                    let new = match column {
                        "user" | "display_name" => self.cell(column, s),
                        _ => self.warning(s),
                    };
                    *s = new;
                }
                Value::Array(items) => stack.extend(items.iter_mut().map(|item| (column, item))),
                Value::Object(map) => stack.extend(map.iter_mut().map(|(k, v)| (k.as_str(), v))),
                Value::Null | Value::Bool(_) | Value::Number(_) => {}
            }
        }
    }

    fn pseudonym(&self, prefix: &str, domain: &str, data: &str) -> String {
        let mut mac = self.mac.clone();
        // The domain prefix keeps the kinds apart: a name equal to an address does not get the
        // same digits.
        mac.update(domain.as_bytes());
        mac.update(data.as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut out = String::with_capacity(prefix.len() + 2 * DIGEST_BYTES);
        out.push_str(prefix);
        for byte in digest.iter().take(DIGEST_BYTES) {
            out.push(hex_digit(byte >> 4));
            out.push(hex_digit(byte & 0x0f));
        }
        out
    }

    /// Appends `s[lo..hi]` to `out` with registered display names replaced.
    fn push_with_names(&self, s: &str, lo: usize, hi: usize, out: &mut String) {
        let Some(gap) = s.get(lo..hi) else {
            return;
        };
        if self.names.is_empty() || gap.is_empty() {
            out.push_str(gap);
            return;
        }
        let mut copied = lo;
        let mut p = lo;
        while p < hi {
            let Some(rest) = s.get(p..hi) else {
                break;
            };
            let mut chars = rest.chars();
            let Some(c1) = chars.next() else {
                break;
            };
            let mut matched = None;
            if let Some(c2) = chars.next()
                && let Some(candidates) = self.by_start.get(&(c1, c2))
            {
                matched = candidates
                    .iter()
                    .filter_map(|&ix| self.names.get(ix))
                    .find(|n| rest.starts_with(&n.text) && word_bounded(s, p, p + n.text.len()));
            }
            match matched {
                Some(n) => {
                    out.push_str(s.get(copied..p).unwrap_or_default());
                    out.push_str(&n.pseudonym);
                    p += n.text.len();
                    copied = p;
                }
                None => p += c1.len_utf8(),
            }
        }
        out.push_str(s.get(copied..hi).unwrap_or_default());
    }
}

/// The reason of an on-prem failure without a detailed error event (written by the metrics).
const NO_DETAIL_REASON: &str = "failure without a detailed error event";

/// One of our own snake_case values (`writeback_without_p1`).
fn is_code_word(s: &str) -> bool {
    matches!(
        s,
        "sspr_failed_unlicensed" | "writeback_without_p1" | "sspr_enabled_unlicensed"
    )
}

/// A GUID-like identifier: hex digits and dashes (CorrelationId, TrackingId), or the
/// `SSPR_…`-style ids some exports carry — letters, digits, `_`, `-`, `.`, at most 100.
fn is_identifier(s: &str) -> bool {
    s.len() <= 100
        && s.bytes().any(|b| b.is_ascii_digit())
        && !s.contains('@')
        && s.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
}

/// A Windows computer name: letters, digits and `-`, at most 15 (NetBIOS), or a DNS name made
/// of such labels.
fn is_host_name(s: &str) -> bool {
    s.len() <= 63
        && s.split('.').all(|label| {
            (1..=15).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        && !s
            .split('.')
            .all(|label| label.bytes().all(|b| b.is_ascii_digit()))
}

fn hex_digit(nibble: u8) -> char {
    char::from_digit(u32::from(nibble), 16).unwrap_or('0')
}

/// Whether a name found at `s[start..end]` stands as a word of its own where that question
/// makes sense: `Ken` must not be cut out of `Token`. Only ASCII letters and digits count, as
/// Japanese text has no spaces between words and a name there is bounded by nothing.
fn word_bounded(s: &str, start: usize, end: usize) -> bool {
    let (Some(head), Some(tail)) = (s.get(..start), s.get(end..)) else {
        return false;
    };
    let Some(name) = s.get(start..end) else {
        return false;
    };
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let glued_left = alnum(name.chars().next()) && alnum(head.chars().next_back());
    let glued_right = alnum(name.chars().next_back()) && alnum(tail.chars().next());
    !glued_left && !glued_right
}

/// Characters of the part before `@`; `#` because guest UPNs read `taro_gmail.com#EXT#@…`,
/// `_` because service accounts read `Sync_CONNECT01_3f9c@…`.
fn is_local(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'\'' | b'-' | b'#')
}

fn is_domain(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-')
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Appends the e-mail-like addresses of `b`, in order and without overlap.
fn find_mails(b: &[u8], spans: &mut Vec<Span>) {
    // The part before `@` must not reach back into the previous address.
    let mut floor = 0;
    let mut from = 0;
    while let Some(off) = b
        .get(from..)
        .and_then(|rest| rest.iter().position(|&c| c == b'@'))
    {
        let at = from + off;
        let mut start = at;
        while start > floor && b.get(start - 1).is_some_and(|&c| is_local(c)) {
            start -= 1;
        }
        // Quotes around an address ('taro@…') are not part of it; keeping them would give the
        // same person a second pseudonym.
        while start < at && b.get(start).is_some_and(|&c| c == b'\'' || c == b'.') {
            start += 1;
        }
        let mut end = at + 1;
        while b.get(end).is_some_and(|&c| is_domain(c)) {
            end += 1;
        }
        // "… contact taro@contoso.co.jp." — the sentence's dot is not the address's.
        while end > at + 1 && b.get(end - 1).is_some_and(|&c| c == b'.' || c == b'-') {
            end -= 1;
        }
        let domain = b.get(at + 1..end).unwrap_or_default();
        let domain_ok = domain.contains(&b'.')
            && !matches!(domain.first(), None | Some(b'.' | b'-'))
            && !matches!(domain.last(), None | Some(b'.' | b'-'));
        if start < at && domain_ok {
            spans.push(Span {
                start,
                end,
                kind: Kind::Mail,
            });
            floor = end;
            from = end;
        } else {
            from = at + 1;
        }
    }
}

/// Appends the IPv4 and IPv6 addresses found in `b[lo..hi]`; the characters around the range
/// still count as neighbours.
fn find_ips(b: &[u8], lo: usize, hi: usize, spans: &mut Vec<Span>) {
    let mut i = lo;
    while i < hi {
        let prev = i.checked_sub(1).and_then(|k| b.get(k).copied());
        match ipv6_at(b, i, hi, prev).or_else(|| ipv4_at(b, i, hi, prev)) {
            Some(end) if end > i => {
                spans.push(Span {
                    start: i,
                    end,
                    kind: Kind::Ip,
                });
                i = end;
            }
            _ => i += 1,
        }
    }
}

/// End of a run of bytes satisfying `pred`, from `i`, not beyond `hi`.
fn run_end(b: &[u8], i: usize, hi: usize, pred: impl Fn(u8) -> bool) -> usize {
    let mut r = i;
    while r < hi && b.get(r).is_some_and(|&c| pred(c)) {
        r += 1;
    }
    r
}

/// An IPv4 address starting at `i`; returns its end. Neighbouring letters, digits or dots make
/// it part of something longer (a version `10.0.19045.1`, `1.2.3.4.5`); a colon after it is a
/// port and one before it a label (`IP:198.51.100.23`), so those do not prevent it.
fn ipv4_at(b: &[u8], i: usize, hi: usize, prev: Option<u8>) -> Option<usize> {
    if !b.get(i)?.is_ascii_digit() || prev.is_some_and(|p| is_word(p) || p == b'.') {
        return None;
    }
    let r = run_end(b, i, hi, |c| c.is_ascii_digit() || c == b'.');
    if b.get(r).is_some_and(|&c| is_word(c)) || (r == hi && r < b.len()) {
        return None;
    }
    let mut t = r;
    while t > i && b.get(t - 1) == Some(&b'.') {
        t -= 1;
    }
    valid_ipv4(b.get(i..t)?).then_some(t)
}

/// An IPv6 address starting at `i` (with an optional `%zone`); returns its end.
fn ipv6_at(b: &[u8], i: usize, hi: usize, prev: Option<u8>) -> Option<usize> {
    let first = *b.get(i)?;
    if !(first.is_ascii_hexdigit() || first == b':')
        || prev.is_some_and(|p| is_word(p) || p == b'.' || p == b':')
    {
        return None;
    }
    // Dots belong to the run for the `::ffff:192.0.2.1` form.
    let r = run_end(b, i, hi, |c| {
        c.is_ascii_hexdigit() || c == b':' || c == b'.'
    });
    if b.get(r) == Some(&b'%') && r < hi {
        let z = run_end(b, r + 1, hi, |c| is_word(c) || c == b'-' || c == b'.');
        let mut ze = z;
        while ze > r + 1 && b.get(ze - 1) == Some(&b'.') {
            ze -= 1;
        }
        if ze > r + 1 {
            if (z == hi && z < b.len()) || b.get(z).is_some_and(|&c| is_word(c)) {
                return None;
            }
            return valid_ipv6(b.get(i..r)?).then_some(ze);
        }
    }
    if b.get(r).is_some_and(|&c| is_word(c)) || (r == hi && r < b.len()) {
        return None;
    }
    let mut t = r;
    while t > i && b.get(t - 1) == Some(&b'.') {
        t -= 1;
    }
    // "… from fe80::1: timeout" — a single trailing colon is punctuation, `::` is not.
    if t >= i + 2 && b.get(t - 1) == Some(&b':') && b.get(t - 2) != Some(&b':') {
        t -= 1;
    }
    valid_ipv6(b.get(i..t)?).then_some(t)
}

fn valid_ipv4(tok: &[u8]) -> bool {
    let mut groups = 0;
    for g in tok.split(|&c| c == b'.') {
        groups += 1;
        if g.is_empty() || g.len() > 3 || !g.iter().all(u8::is_ascii_digit) {
            return false;
        }
        let value = g
            .iter()
            .fold(0u32, |acc, &c| acc * 10 + u32::from(c - b'0'));
        if value > 255 {
            return false;
        }
    }
    groups == 4
}

/// Times (`09:15:00`, `0:00`) have neither `::` nor eight groups, so they never pass.
fn valid_ipv6(tok: &[u8]) -> bool {
    let colons = tok.iter().filter(|&&c| c == b':').count();
    if colons < 2 || !tok.iter().any(u8::is_ascii_hexdigit) {
        return false;
    }
    let doubles = tok.windows(2).filter(|w| *w == b"::").count();
    if doubles > 1 {
        return false;
    }
    let compressed = doubles == 1;
    // A lone colon at either end is not an address; a `::` there is.
    if (tok.first() == Some(&b':') && !tok.starts_with(b"::"))
        || (tok.last() == Some(&b':') && !tok.ends_with(b"::"))
    {
        return false;
    }
    let groups: Vec<&[u8]> = tok.split(|&c| c == b':').collect();
    let last = groups.len().saturating_sub(1);
    let mut units = 0;
    for (k, g) in groups.iter().enumerate() {
        if g.contains(&b'.') {
            // An embedded IPv4 address stands for the last two groups.
            if k != last || !valid_ipv4(g) {
                return false;
            }
            units += 2;
        } else if g.is_empty() {
            if !compressed {
                return false;
            }
        } else if g.len() > 4 || !g.iter().all(u8::is_ascii_hexdigit) {
            return false;
        } else {
            units += 1;
        }
    }
    if compressed { units <= 7 } else { units == 8 }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "correct horse battery staple";

    fn p() -> Pseudonymizer {
        Pseudonymizer::new(KEY).unwrap()
    }

    fn is_pseudonym(s: &str, prefix: &str) -> bool {
        s.strip_prefix(prefix).is_some_and(|h| {
            h.len() == 12
                && h.chars()
                    .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        })
    }

    #[test]
    fn same_key_same_pseudonym_across_runs() {
        let a = p();
        let b = p();
        assert_eq!(a.user("taro@contoso.co.jp"), b.user("taro@contoso.co.jp"));
        assert_eq!(a.user("User@X.JP"), a.user("user@x.jp"));
        assert_eq!(a.user("  user@x.jp "), a.user("user@x.jp"));
        assert_eq!(a.name("山田 太郎"), b.name(" 山田 太郎 "));
        assert_eq!(a.ip("2001:DB8::1"), b.ip("2001:db8::1"));
        assert!(is_pseudonym(&a.user("user@x.jp"), "user-"));
        assert!(is_pseudonym(&a.name("山田 太郎"), "name-"));
        assert!(is_pseudonym(&a.ip("198.51.100.23"), "ip-"));
    }

    #[test]
    fn known_hmac_value() {
        // HMAC-SHA-256 computed independently (Python hmac) so the scheme cannot drift
        // silently between versions — pseudonyms must stay comparable across months.
        let p = Pseudonymizer::new("key-for-tests").unwrap();
        assert_eq!(p.user("Taro@Contoso.co.jp"), "user-f52c6ec64f69");
    }

    #[test]
    fn different_key_different_pseudonym() {
        let a = p();
        let b = Pseudonymizer::new("another secret key").unwrap();
        assert_ne!(a.user("user@x.jp"), b.user("user@x.jp"));
        assert_ne!(a.name("山田 太郎"), b.name("山田 太郎"));
        assert_ne!(a.ip("198.51.100.23"), b.ip("198.51.100.23"));
        // Kinds are kept apart even for the same input.
        assert_ne!(
            a.user("x@y.jp").trim_start_matches("user-"),
            a.name("x@y.jp").trim_start_matches("name-")
        );
    }

    #[test]
    fn short_or_empty_keys_are_refused() {
        assert!(Pseudonymizer::new("").is_err());
        assert!(Pseudonymizer::new("        ").is_err());
        assert!(Pseudonymizer::new("short").is_err());
        assert!(Pseudonymizer::new("1234567").is_err());
        assert!(Pseudonymizer::new("12345678").is_ok());
        assert!(Pseudonymizer::new("鍵鍵鍵鍵鍵鍵鍵鍵").is_ok());
    }

    #[test]
    fn debug_hides_key_and_names() {
        let mut p = p();
        p.add_names(["山田 太郎"]);
        let shown = format!("{p:?}");
        assert!(!shown.contains(KEY) && !shown.contains("山田"), "{shown}");
    }

    #[test]
    fn event_log_message() {
        let p = p();
        let msg = "PasswordResetRequestStart, Details: Context: ..., TrackingId: \
                   3a4a6596-4581-47ca-a0bc-1411bf30decc, UserPrincipalName: \
                   taro.yamada@contoso.co.jp, from 198.51.100.23";
        let expected = format!(
            "PasswordResetRequestStart, Details: Context: ..., TrackingId: \
             3a4a6596-4581-47ca-a0bc-1411bf30decc, UserPrincipalName: {}, from {}",
            p.user("taro.yamada@contoso.co.jp"),
            p.ip("198.51.100.23")
        );
        assert_eq!(p.text(msg), expected);
    }

    #[test]
    fn service_and_guest_identities() {
        let p = p();
        for upn in [
            "fim_password_service@support.onmicrosoft.com",
            "Sync_CONNECT01_3f9c@contosojp.onmicrosoft.com",
            "taro_gmail.com#EXT#@contoso.onmicrosoft.com",
            "o'brien@contoso.com",
        ] {
            let text = format!("account {upn} failed");
            assert_eq!(p.text(&text), format!("account {} failed", p.user(upn)));
        }
        // Quotes and brackets around the address are kept, and the pseudonym is the
        // address's own, so it matches the `user` column.
        assert_eq!(
            p.text("user 'taro@x.jp' <hanako@x.jp>"),
            format!("user '{}' <{}>", p.user("taro@x.jp"), p.user("hanako@x.jp"))
        );
        assert_eq!(
            p.text("ユーザーtaro@contoso.co.jpがロック"),
            format!("ユーザー{}がロック", p.user("taro@contoso.co.jp"))
        );
    }

    #[test]
    fn sentence_dot_is_kept() {
        let p = p();
        assert_eq!(
            p.text("For help, contact taro@contoso.co.jp."),
            format!("For help, contact {}.", p.user("taro@contoso.co.jp"))
        );
        assert_eq!(
            p.text("Seen from 198.51.100.23."),
            format!("Seen from {}.", p.ip("198.51.100.23"))
        );
    }

    #[test]
    fn not_addresses_stay() {
        let p = p();
        for s in [
            "2026-10-03T09:15:00+09:00",
            "2026-10-03 09:15:00.123",
            "10.0.19045.1",
            "1.2.3.4.5",
            "256.1.1.1",
            "09:15",
            "0:00",
            "09:15:00",
            "a1.2.3.4",
            "MAC 00:1A:2B:3C:4D:5E",
            "3a4a6596-4581-47ca-a0bc-1411bf30decc",
            "@",
            "@@",
            "a@b",
            "user@localhost",
            "price @ 3.5",
            "x@.jp",
            "x@-a.jp",
            "Details:: none",
            "http://contoso.com:443/path",
            "ratio 3.14 and 1.2.3",
        ] {
            assert_eq!(p.text(s), s, "{s}");
        }
    }

    #[test]
    fn ip_addresses() {
        let p = p();
        for (text, ip, rest) in [
            ("2001:db8::1", "2001:db8::1", ""),
            ("fe80:0:0:0:1:2:3:4", "fe80:0:0:0:1:2:3:4", ""),
            ("::1", "::1", ""),
            ("::ffff:192.0.2.1", "::ffff:192.0.2.1", ""),
            ("fe80::1%eth0", "fe80::1%eth0", ""),
            ("198.51.100.23:443", "198.51.100.23", ":443"),
            ("10.0.0.0/8", "10.0.0.0", "/8"),
            ("fe80::1: timeout", "fe80::1", ": timeout"),
        ] {
            assert_eq!(p.text(text), format!("{}{rest}", p.ip(ip)), "{text}");
        }
        assert_eq!(
            p.text("[2001:DB8::1]:443"),
            format!("[{}]:443", p.ip("2001:db8::1"))
        );
        assert_eq!(
            p.text("IPアドレス198.51.100.23から"),
            format!("IPアドレス{}から", p.ip("198.51.100.23"))
        );
        assert_eq!(
            p.text("ClientIP:198.51.100.23"),
            format!("ClientIP:{}", p.ip("198.51.100.23"))
        );
    }

    #[test]
    fn display_names_in_text() {
        let mut p = p();
        p.add_names(["山田", "山田 太郎", "x", "", "Ken Sato", "Ken Sato"]);
        assert_eq!(
            p.text("山田 太郎さんがリセット、山田さんも"),
            format!(
                "{}さんがリセット、{}さんも",
                p.name("山田 太郎"),
                p.name("山田")
            )
        );
        // Registration order does not matter for which name wins.
        let mut q = Pseudonymizer::new(KEY).unwrap();
        q.add_names(["山田 太郎"]);
        q.add_names(["山田"]);
        assert_eq!(q.text("山田 太郎"), p.name("山田 太郎"));
        // Case-sensitive, and not cut out of a longer ASCII word; one-character names ignored.
        assert_eq!(
            p.text("Ken Sato reset; ken sato; Ken Satoshi; x"),
            format!("{} reset; ken sato; Ken Satoshi; x", p.name("Ken Sato"))
        );
        // An address wins over a name inside it.
        let mut r = Pseudonymizer::new(KEY).unwrap();
        r.add_names(["taro"]);
        assert_eq!(
            r.text("taro (taro@x.jp)"),
            format!("{} ({})", r.name("taro"), r.user("taro@x.jp"))
        );
    }

    #[test]
    fn cells() {
        let mut p = p();
        p.add_names(["山田 太郎"]);
        assert_eq!(
            p.cell("user", "Taro@Contoso.co.jp"),
            p.user("taro@contoso.co.jp")
        );
        assert_eq!(p.cell("user", ""), "");
        assert_eq!(p.cell("display_name", "佐藤 花子"), p.name("佐藤 花子"));
        assert_eq!(p.cell("display_name", ""), "");
        assert_eq!(p.cell("reason", "SSPR_0029"), "SSPR_0029");
        assert_eq!(
            p.cell("detail", "山田 太郎 from 198.51.100.23"),
            format!("{} from {}", p.name("山田 太郎"), p.ip("198.51.100.23"))
        );
    }

    #[test]
    fn json_rewrites_nested_strings() {
        let p = p();
        let mut v = serde_json::json!({
            "taro@x.jp": "key stays",
            "rows": [
                {"detail": "from 198.51.100.23", "count": 3},
                ["a@contoso.com", null, true]
            ],
            "user": "hanako@x.jp",
            "display_name": "佐藤 花子",
            "period": "2026-10-01..2026-10-31"
        });
        p.json(&mut v);
        let expected = serde_json::json!({
            "taro@x.jp": "key stays",
            "rows": [
                {"detail": format!("from {}", p.ip("198.51.100.23")), "count": 3},
                [p.user("a@contoso.com"), null, true]
            ],
            "user": p.user("hanako@x.jp"),
            "display_name": p.name("佐藤 花子"),
            "period": "2026-10-01..2026-10-31"
        });
        assert_eq!(v, expected);
    }

    #[test]
    fn json_deep_nesting_does_not_overflow() {
        let p = p();
        let mut v = serde_json::Value::String("a@b.jp".into());
        for _ in 0..100_000 {
            v = serde_json::Value::Array(vec![v]);
        }
        p.json(&mut v);
        let mut inner = &v;
        while let serde_json::Value::Array(a) = inner {
            inner = &a[0];
        }
        assert_eq!(inner.as_str(), Some(p.user("a@b.jp").as_str()));
        // Dropping a deeply nested value recurses in serde_json itself; not our concern here.
        std::mem::forget(v);
    }

    #[test]
    fn tricky_inputs_never_panic() {
        let mut p = p();
        p.add_names(["山田 太郎", "山田", "éé", "Ab"]);
        let long_at = "@".repeat(10_000);
        let long_mix = "a.b@".repeat(5_000) + &"1.".repeat(5_000) + &":f".repeat(5_000);
        let long_names = "山田".repeat(5_000);
        let inputs: Vec<String> = vec![
            String::new(),
            "@".into(),
            "@@".into(),
            "a@b".into(),
            "a@b.".into(),
            ".@.".into(),
            "-@-.-".into(),
            "é@é.jp".into(),
            "山田@太郎.jp".into(),
            "taro@山田.jp".into(),
            "山@a.jp田".into(),
            "a@b.jp@c.jp".into(),
            "::".into(),
            ":::".into(),
            "1.".into(),
            ".1.2.3.4".into(),
            "1.2.3.4%".into(),
            "fe80::1%".into(),
            "fe80::1%é".into(),
            "%::1".into(),
            "0.0.0.0".into(),
            "999999999999999999999.1.1.1".into(),
            "\u{0}@\u{0}.\u{0}".into(),
            "🙂@🙂.jp 🙂1.2.3.4🙂".into(),
            "山田 太".into(),
            "山".into(),
            "é".into(),
            long_at,
            long_mix,
            long_names,
        ];
        for s in &inputs {
            let out = p.text(s);
            // Deterministic, and idempotent on text with nothing personal left.
            assert_eq!(out, p.text(s));
            let _ = p.cell("user", s);
            let _ = p.cell("display_name", s);
            let _ = p.cell("other", s);
            let mut v = serde_json::json!({ "s": s, "a": [s] });
            p.json(&mut v);
        }
        assert_eq!(p.text("a@b.jp@c.jp"), format!("{}@c.jp", p.user("a@b.jp")));
    }

    #[test]
    fn free_text_columns_keep_only_what_is_known_to_be_safe() {
        let p = p();
        let t = |table: &str, column: &str, value: &str| p.table_cell(table, column, value);
        // Catalog wordings and codes stay; anything else is a keyed hash that groups.
        assert_eq!(
            t(
                "flows.csv",
                "failure_reason",
                "PasswordDoesnotComplyFuzzyPolicy"
            ),
            "PasswordDoesnotComplyFuzzyPolicy"
        );
        let leak = t(
            "flows.csv",
            "failure_reason",
            "client_ip_203.0.113.77 山田太郎",
        );
        assert!(is_pseudonym(&leak, "text-"), "{leak}");
        assert_eq!(
            leak,
            t(
                "failure_reasons.csv",
                "reason",
                "client_ip_203.0.113.77 山田太郎"
            )
        );
        assert!(is_pseudonym(
            &t(
                "writeback_events.csv",
                "message",
                "Dn : CN=Abe Misaki,OU=Users"
            ),
            "text-"
        ));
        // Identifiers of the expected shape stay, others are hashed.
        let guid = "9f1c2e3d-0000-4a5b-8c6d-000000000001";
        assert_eq!(t("flows.csv", "correlation_id", guid), guid);
        assert!(t("flows.csv", "correlation_id", "taro.yamada").starts_with("text-"));
        assert_eq!(
            t("writeback_events.csv", "computer", "CONNECT01"),
            "CONNECT01"
        );
        assert!(
            t(
                "writeback_events.csv",
                "computer",
                "TARO.YAMADA@CONTOSO.CO.JP"
            )
            .starts_with("text-")
        );
        // File names keep a short extension; sheet names in a location are hashed.
        let file = t(
            "inputs.csv",
            "file",
            "taro.yamada@contoso.co.jp_198.51.100.9.csv",
        );
        assert!(
            file.starts_with("file-") && file.ends_with(".csv"),
            "{file}"
        );
        assert_eq!(
            t("rejects.csv", "location", "record 3 (line 40)"),
            "record 3 (line 40)"
        );
        let sheet = t("rejects.csv", "location", "sheet Yamada Taro row 7");
        assert!(
            sheet.starts_with("sheet text-") && sheet.ends_with(" row 7"),
            "{sheet}"
        );
        assert!(t("rejects.csv", "reason", "first line (API_KEY=1)").starts_with("text-"));
        // Methods of the vocabulary stay, one written by hand does not.
        let methods = t("registrations.csv", "methods", "Mobile phone; Taro's phone");
        assert!(methods.starts_with("Mobile phone; text-"), "{methods}");
        // Registered file names are replaced inside our own sentences.
        let mut q = p.clone();
        q.add_files(["taro.yamada@contoso.co.jp_198.51.100.9.csv"]);
        let warning =
            q.warning("byte-identical copy of taro.yamada@contoso.co.jp_198.51.100.9.csv");
        assert_eq!(warning, format!("byte-identical copy of {file}"));
    }
}
