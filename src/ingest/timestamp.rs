//! Timestamp parsing for every spelling the exports use: ISO 8601 with `T` or space, `Z`,
//! `+00:00` or no zone, 0–9 fraction digits; Japanese Excel `2026/10/03 9:15`; US culture
//! `10/3/2026, 9:15:00.123 AM` (Log Analytics CSV); PowerShell `/Date(1759740055000)/`.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// A parsed time and the offset it carried, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedTime {
    /// Wall-clock time as written.
    pub naive: NaiveDateTime,
    /// The zone written with it (`Z` = +00:00), `None` when the text had none.
    pub offset: Option<FixedOffset>,
}

impl ParsedTime {
    /// The instant, reading a zone-less time as UTC (audit exports are UTC by contract).
    pub fn to_utc_assuming_utc(self) -> DateTime<Utc> {
        match self.offset {
            Some(off) => off
                .from_local_datetime(&self.naive)
                .single()
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_else(|| Utc.from_utc_datetime(&self.naive)),
            None => Utc.from_utc_datetime(&self.naive),
        }
    }
}

/// Order of day and month in a `a/b/yyyy` date, decided once per file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DayOrder {
    /// `10/6/2026` is October 6 (US culture; Log Analytics export).
    #[default]
    MonthFirst,
    /// `10/6/2026` is June 10 (UK and most of Europe).
    DayFirst,
}

/// What one value says about the day/month order: `Some` when a part exceeds 12.
pub fn day_order_evidence(text: &str) -> Option<DayOrder> {
    let s = text.trim().trim_matches('"');
    let mut parts = s.split('/');
    let a: u32 = parts.next()?.trim().parse().ok()?;
    let b: u32 = parts.next()?.trim().parse().ok()?;
    let year = parts.next()?;
    if year.len() < 4 || !year.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    match (a > 12, b > 12) {
        (true, false) => Some(DayOrder::DayFirst),
        (false, true) => Some(DayOrder::MonthFirst),
        _ => None,
    }
}

/// Parses an audit timestamp as UTC. Returns `None` for anything that is not a valid time.
pub fn parse_utc(text: &str) -> Option<DateTime<Utc>> {
    parse(text).map(ParsedTime::to_utc_assuming_utc)
}

/// Like [`parse_utc`], reading `a/b/yyyy` dates in the given order.
pub fn parse_utc_ordered(text: &str, order: DayOrder) -> Option<DateTime<Utc>> {
    parse_ordered(text, order).map(ParsedTime::to_utc_assuming_utc)
}

/// Parses any supported spelling (`a/b/yyyy` read month first).
pub fn parse(text: &str) -> Option<ParsedTime> {
    parse_ordered(text, DayOrder::MonthFirst)
}

/// Parses any supported spelling, reading `a/b/yyyy` dates in the given order.
pub fn parse_ordered(text: &str, order: DayOrder) -> Option<ParsedTime> {
    if let Some(t) = parse_canonical(text.as_bytes()) {
        return Some(t);
    }
    if let Some(t) = parse_us_clock(text.as_bytes(), order) {
        return Some(t);
    }
    let s = text.trim().trim_matches('"').trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    if let Some(rest) = s.strip_prefix("/Date(") {
        return parse_ms_date(rest);
    }
    let b = s.as_bytes();
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        return parse_iso(s);
    }
    if b.len() >= 8 && b[4] == b'/' && b[..4].iter().all(u8::is_ascii_digit) {
        return parse_ymd_slash(s);
    }
    if s.contains('/') {
        return parse_mdy(s, order);
    }
    None
}

/// `2026-10-01T04:51:59.7752474Z` (or `…+00:00`, the portal's JSON download), the spelling of
/// every cloud export and of .evtx: read straight from its fixed positions (a big export has
/// millions). `None` for anything else, which the general reading then takes; where this
/// reads a time, that reading gives the same.
fn parse_canonical(b: &[u8]) -> Option<ParsedTime> {
    let (head, rest) = b.split_first_chunk::<19>()?;
    let fraction = match rest.split_last() {
        Some((b'Z', fraction)) => fraction,
        _ => rest.strip_suffix(b"+00:00")?,
    };
    let nanos = fraction_nanos(fraction)?;
    let punctuation = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if punctuation.iter().any(|&(i, c)| head[i] != c) {
        return None;
    }
    let year = digits(&head[0..4])? as i32;
    let (month, day) = (digits(&head[5..7])?, digits(&head[8..10])?);
    let (hour, minute, second) = (
        digits(&head[11..13])?,
        digits(&head[14..16])?,
        digits(&head[17..19])?,
    );
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let naive =
        NaiveDate::from_ymd_opt(year, month, day)?.and_hms_nano_opt(hour, minute, second, nanos)?;
    Some(ParsedTime {
        naive,
        offset: FixedOffset::east_opt(0),
    })
}

/// `10/4/2026, 2:59:59.871 PM` (Log Analytics CSV: every row's time), read straight from its
/// parts: `a/b/yyyy, h:mm:ss[.f…] AM|PM` with one or two digits for `a`, `b` and `h` and up to
/// nine fraction digits, read in `order`. `None` for anything else, which the general reading
/// ([`parse_mdy`]) then takes; where this reads a time, that reading gives the same.
fn parse_us_clock(b: &[u8], order: DayOrder) -> Option<ParsedTime> {
    // One or two digits, then `end`: the number and what follows.
    let small = |b: &[u8], end: u8| -> Option<(u32, usize)> {
        let n = b.iter().take(3).position(|&c| c == end)?;
        Some((
            digits(b.get(..n).filter(|d| (1..=2).contains(&d.len()))?)?,
            n + 1,
        ))
    };
    let (first, at) = small(b, b'/')?;
    let (second, more) = small(&b[at..], b'/')?;
    let rest = &b[at + more..];
    let (year, rest) = rest.split_first_chunk::<4>()?;
    let rest = rest.strip_prefix(b", ")?;
    let (hour, at) = small(rest, b':')?;
    let (clock, rest) = rest[at..].split_first_chunk::<5>()?;
    let (minute, second_of_minute) = match clock {
        [m1, m2, b':', s1, s2] => (digits(&[*m1, *m2])?, digits(&[*s1, *s2])?),
        _ => return None,
    };
    let (fraction, pm) = match rest.split_last_chunk::<3>()? {
        (fraction, b" AM") => (fraction, false),
        (fraction, b" PM") => (fraction, true),
        _ => return None,
    };
    let nanos = fraction_nanos(fraction)?;
    let year = digits(year)? as i32;
    if year < 1000 || !(1..=12).contains(&hour) || minute > 59 || second_of_minute > 59 {
        return None;
    }
    let (month, day) = match order {
        DayOrder::MonthFirst => (first, second),
        DayOrder::DayFirst => (second, first),
    };
    let naive = NaiveDate::from_ymd_opt(year, month, day)?.and_hms_nano_opt(
        hour_24(pm, hour),
        minute,
        second_of_minute,
        nanos,
    )?;
    Some(ParsedTime {
        naive,
        offset: None,
    })
}

/// Nanoseconds of an empty fraction or `.` and one to nine digits; `None` for anything else.
fn fraction_nanos(fraction: &[u8]) -> Option<u32> {
    match fraction {
        [] => Some(0),
        [b'.', frac @ ..] if (1..=9).contains(&frac.len()) => {
            Some(digits(frac)? * 10u32.pow(9 - frac.len() as u32))
        }
        _ => None,
    }
}

/// The 24-hour hour of a 12-hour clock's hour `h` (1–12): 12 AM is 0, 12 PM is 12.
fn hour_24(pm: bool, h: u32) -> u32 {
    match (pm, h) {
        (false, 12) => 0,
        (false, h) => h,
        (true, 12) => 12,
        (true, h) => h + 12,
    }
}

/// `/Date(1759740055000)/` or `/Date(1759740055000+0900)/` (milliseconds since the epoch, UTC).
fn parse_ms_date(rest: &str) -> Option<ParsedTime> {
    let body = rest.strip_suffix(")/")?;
    let digits_end = body
        .char_indices()
        .find(|&(i, c)| i > 0 && (c == '+' || c == '-'))
        .map(|(i, _)| i)
        .unwrap_or(body.len());
    let ms: i64 = body[..digits_end].parse().ok()?;
    let t = DateTime::<Utc>::from_timestamp_millis(ms)?;
    Some(ParsedTime {
        naive: t.naive_utc(),
        offset: FixedOffset::east_opt(0),
    })
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 9 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0')))
}

/// `YYYY-MM-DD[T| ]HH:MM[:SS[.fffffff]][Z|±HH:MM|±HHMM|±HH]`
fn parse_iso(s: &str) -> Option<ParsedTime> {
    let b = s.as_bytes();
    let year = digits(&b[0..4])? as i32;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    if b.len() == 10 {
        return Some(ParsedTime {
            naive: date.and_hms_opt(0, 0, 0)?,
            offset: None,
        });
    }
    if b[10] != b'T' && b[10] != b' ' && b[10] != b't' {
        return None;
    }
    let (time, offset) = parse_clock_and_zone(&s[11..])?;
    Some(ParsedTime {
        naive: NaiveDateTime::new(date, time),
        offset,
    })
}

/// `HH:MM[:SS[.f…]]` followed by an optional zone.
fn parse_clock_and_zone(s: &str) -> Option<(NaiveTime, Option<FixedOffset>)> {
    let zone_at = s
        .char_indices()
        .find(|&(_, c)| c == 'Z' || c == 'z' || c == '+' || c == '-')
        .map(|(i, _)| i);
    let (clock, zone) = match zone_at {
        Some(i) => (&s[..i], Some(&s[i..])),
        None => (s, None),
    };
    let time = parse_clock(clock.trim_end())?;
    let offset = match zone {
        None => None,
        Some(z) => Some(parse_offset(z.trim())?),
    };
    Some((time, offset))
}

/// `H:MM[:SS[.f…]]` (hour may be one digit).
fn parse_clock(s: &str) -> Option<NaiveTime> {
    let mut parts = s.splitn(3, ':');
    let hour = digits(parts.next()?.as_bytes())?;
    let minute = digits(parts.next()?.as_bytes())?;
    let (second, nanos) = match parts.next() {
        None => (0, 0),
        Some(sec) => {
            let (whole, frac) = match sec.split_once(['.', ',']) {
                Some((w, f)) => (w, f),
                None => (sec, ""),
            };
            let second = digits(whole.as_bytes())?;
            let nanos = if frac.is_empty() {
                0
            } else {
                let f = frac.as_bytes();
                let take = &f[..f.len().min(9)];
                if f.len() > 9 && !f[9..].iter().all(u8::is_ascii_digit) {
                    return None;
                }
                let v = digits(take)?;
                v * 10u32.pow(9 - take.len() as u32)
            };
            (second, nanos)
        }
    };
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)
}

fn parse_offset(z: &str) -> Option<FixedOffset> {
    if z.eq_ignore_ascii_case("z") {
        return FixedOffset::east_opt(0);
    }
    let sign = match z.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let rest: String = z[1..].chars().filter(|c| *c != ':').collect();
    let (h, m) = match rest.len() {
        2 => (digits(rest.as_bytes())?, 0),
        4 => (
            digits(&rest.as_bytes()[..2])?,
            digits(&rest.as_bytes()[2..])?,
        ),
        _ => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h as i32 * 3600 + m as i32 * 60))
}

/// `YYYY/M/D[ H:MM[:SS[.f]]]` — Japanese Windows and Excel.
fn parse_ymd_slash(s: &str) -> Option<ParsedTime> {
    let (date_part, time_part) = match s.split_once(' ') {
        Some((d, t)) => (d, Some(t.trim())),
        None => (s, None),
    };
    let mut it = date_part.split('/');
    let year = digits(it.next()?.as_bytes())? as i32;
    let month = digits(it.next()?.as_bytes())?;
    let day = digits(it.next()?.as_bytes())?;
    if it.next().is_some() {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    let (time, offset) = match time_part {
        None | Some("") => (NaiveTime::MIN, None),
        Some(t) => parse_clock_and_zone(t)?,
    };
    Some(ParsedTime {
        naive: NaiveDateTime::new(date, time),
        offset,
    })
}

/// `M/D/YYYY[,] h:mm[:ss[.fff]] [AM|PM]` — US culture (Log Analytics CSV, English Windows),
/// or `D/M/YYYY …` when the file's order says so.
fn parse_mdy(s: &str, order: DayOrder) -> Option<ParsedTime> {
    let (date_part, rest) = match s.find([' ', ',']) {
        Some(i) => (&s[..i], s[i..].trim_start_matches([',', ' '])),
        None => (s, ""),
    };
    let mut it = date_part.split('/');
    let first = digits(it.next()?.as_bytes())?;
    let second = digits(it.next()?.as_bytes())?;
    let (month, day) = match order {
        DayOrder::MonthFirst => (first, second),
        DayOrder::DayFirst => (second, first),
    };
    let year = digits(it.next()?.as_bytes())? as i32;
    if it.next().is_some() || year < 1000 {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    if rest.is_empty() {
        return Some(ParsedTime {
            naive: date.and_hms_opt(0, 0, 0)?,
            offset: None,
        });
    }
    let upper = rest.to_ascii_uppercase();
    let (clock, meridiem) = if let Some(c) = upper.strip_suffix("AM") {
        (c.trim().to_string(), Some(false))
    } else if let Some(c) = upper.strip_suffix("PM") {
        (c.trim().to_string(), Some(true))
    } else {
        (upper.trim().to_string(), None)
    };
    let (mut time, offset) = parse_clock_and_zone(&clock)?;
    if let Some(pm) = meridiem {
        use chrono::Timelike;
        let h = time.hour();
        if h == 0 || h > 12 {
            return None;
        }
        time = time.with_hour(hour_24(pm, h))?;
    }
    Some(ParsedTime {
        naive: NaiveDateTime::new(date, time),
        offset,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixed-position reading of Log Analytics' times agrees with the general reading on
    /// them and on their near misses, in both day orders; and it reads the usual ones.
    #[test]
    fn log_analytics_spelling_reads_as_the_general_reading_does() {
        let general = |s: &str, order| parse_mdy(s.trim().trim_matches('"').trim(), order);
        let mut texts: Vec<String> = [
            "10/4/2026, 2:59:59.871 PM",
            "1/1/2026, 12:00:00 AM",
            "12/31/2026, 12:59:59.123456789 PM",
            "2/29/2028, 11:30:00.5 AM",
            "2/29/2026, 11:30:00 AM",
            "13/12/2026, 1:00:00 PM",
            "10/4/2026, 0:59:59 PM",
            "10/4/2026, 13:59:59 PM",
            "10/4/2026, 2:60:00 PM",
            "10/4/2026, 2:59:60 PM",
            "10/4/2026, 2:59:59. PM",
            "10/4/2026, 2:59:59.1234567890 PM",
            "10/4/2026, 2:59:59.871 pm",
            "10/4/2026, 2:59:59.871PM",
            "10/4/2026 2:59:59.871 PM",
            "10/4/2026, 2:59 PM",
            "10/4/2026, 02:59:59 PM",
            "010/4/2026, 2:59:59 PM",
            "10/4/26, 2:59:59 PM",
            "10/4/0999, 2:59:59 PM",
            "10/4/2026, 2:59:59.871 PM ",
            " 10/4/2026, 2:59:59.871 PM",
            "10/4/2026, 2:59:59.87a PM",
            "1a/4/2026, 2:59:59 PM",
            "10//2026, 2:59:59 PM",
            "10/4/2026, 2:5:59 PM",
            "10/4/2026, 2:59:59 XM",
            "10/4/2026,  2:59:59 PM",
            "",
        ]
        .map(String::from)
        .to_vec();
        let mut rng = crate::synth::Rng::new(3);
        // Each part valid nine times in ten, else a near miss.
        let parts: [(&[&str], &[&str]); 10] = [
            (&["1", "9", "10", "12", "3"], &["13", "0", "00", "001", "a"]),
            (
                &["/1/", "/4/", "/28/", "/29/", "/30/", "/31/"],
                &["/32/", "/0/", "//", "/123/"],
            ),
            (&["2026", "2028"], &["1999", "0999", "26", "20a6"]),
            (&[", "], &[" ", ",", ",  "]),
            (&["1", "9", "11", "12"], &["0", "13", "01", "x"]),
            (&[":00", ":59", ":07"], &[":60", ":5", ":5a"]),
            (&[":00", ":59", ":31"], &[":60", "", ":6"]),
            (
                &["", ".1", ".871", ".123456789"],
                &[".1234567890", ".", ".8x"],
            ),
            (&[" AM", " PM"], &[" am", "PM", "", " XM", " PM "]),
            (&[""], &[" ", "Z"]),
        ];
        for _ in 0..4000 {
            let text: String = parts
                .iter()
                .map(|(valid, near)| match rng.below(10) {
                    0 => *rng.pick(near),
                    _ => *rng.pick(valid),
                })
                .collect();
            texts.push(text);
        }
        let mut read = 0;
        for text in &texts {
            for order in [DayOrder::MonthFirst, DayOrder::DayFirst] {
                if let Some(fast) = parse_us_clock(text.as_bytes(), order) {
                    assert_eq!(Some(fast), general(text, order), "{text} {order:?}");
                    read += 1;
                }
                assert_eq!(parse_ordered(text, order), general(text, order), "{text}");
            }
        }
        assert!(read > 1000, "the quick reading read {read} times");
        let t = parse_us_clock(b"10/4/2026, 2:59:59.871 PM", DayOrder::MonthFirst);
        assert_eq!(
            t.map(|t| t.naive.to_string()).as_deref(),
            Some("2026-10-04 14:59:59.871")
        );
    }

    /// The fixed-position reading of the canonical spelling agrees with the general reading
    /// on it and on its near misses.
    #[test]
    fn canonical_spelling_reads_as_the_general_reading_does() {
        let general = |s: &str| {
            let t = s.trim().trim_matches('"').trim();
            parse_iso(t)
        };
        for text in [
            "2026-10-01T04:51:59.7752474Z",
            "2026-10-01T04:51:59Z",
            "2026-10-01T04:51:59.1Z",
            "2026-10-01T04:51:59.123456789Z",
            "2026-02-29T04:51:59Z",
            "2028-02-29T23:59:59.9999999Z",
            "2026-13-01T04:51:59Z",
            "2026-10-01T24:00:00Z",
            "2026-10-01T04:60:00Z",
            "2026-10-01T04:51:60Z",
            "2026-10-01T04:51:59.Z",
            "2026-10-01T04:51:59.1234567890Z",
            "2026-10-01t04:51:59Z",
            "2026-10-01 04:51:59Z",
            "2026-10-01T04:51:59z",
            "2026-10-01T04:51:59+00:00",
            "2026-10-02T14:59:59.979035+00:00",
            "2026-10-02T14:59:59.+00:00",
            "2026-10-02T14:59:59.979035-00:00",
            "2026-10-02T14:59:59.979035+09:00",
            "2026-10-02T14:59:59.979035+00:0",
            "2026-10-02T14:59:59.979035+0000",
            "2026-10-02T14:59:59+00:00Z",
            "+026-10-01T04:51:59Z",
            "2026-1a-01T04:51:59Z",
            "2026-10-01T04:51:59.12a4Z",
        ] {
            if let Some(fast) = parse_canonical(text.as_bytes()) {
                assert_eq!(Some(fast), general(text), "{text}");
            }
            assert_eq!(parse(text), general(text), "{text}");
        }
        assert!(parse_canonical(b"2026-10-01T04:51:59.7752474Z").is_some());
        assert!(parse_canonical(b"2026-10-02T14:59:59.979035+00:00").is_some());
    }

    fn utc(s: &str) -> String {
        parse_utc(s)
            .map(|t| t.to_rfc3339())
            .unwrap_or_else(|| "NONE".into())
    }

    #[test]
    fn iso_variants() {
        assert_eq!(utc("2026-10-03T09:15:00Z"), "2026-10-03T09:15:00+00:00");
        assert_eq!(
            utc("2026-10-03T09:15:00.1234567Z"),
            "2026-10-03T09:15:00.123456700+00:00"
        );
        assert_eq!(
            utc("2026-10-03T09:15:00.5+00:00"),
            "2026-10-03T09:15:00.500+00:00"
        );
        assert_eq!(utc("2026-10-03 09:15:00"), "2026-10-03T09:15:00+00:00");
        assert_eq!(
            utc("2026-10-03T18:15:00+09:00"),
            "2026-10-03T09:15:00+00:00"
        );
        assert_eq!(utc("2026-10-03T09:15"), "2026-10-03T09:15:00+00:00");
        assert_eq!(
            utc("\"2026-10-03T09:15:00.123Z\""),
            "2026-10-03T09:15:00.123+00:00"
        );
    }

    #[test]
    fn culture_variants() {
        assert_eq!(utc("2026/10/03 9:15"), "2026-10-03T09:15:00+00:00");
        assert_eq!(utc("2026/10/6 9:15:30"), "2026-10-06T09:15:30+00:00");
        assert_eq!(
            utc("10/6/2026, 1:00:55.123 PM"),
            "2026-10-06T13:00:55.123+00:00"
        );
        assert_eq!(utc("10/6/2026 12:05:00 AM"), "2026-10-06T00:05:00+00:00");
        assert_eq!(utc("/Date(1759740055000)/"), "2025-10-06T08:40:55+00:00");
    }

    #[test]
    fn day_first_files() {
        let t = parse_utc_ordered("3/10/2026 14:05:00", DayOrder::DayFirst).map(|t| t.to_rfc3339());
        assert_eq!(t.as_deref(), Some("2026-10-03T14:05:00+00:00"));
        assert_eq!(
            day_order_evidence("25/10/2026 1:00"),
            Some(DayOrder::DayFirst)
        );
        assert_eq!(
            day_order_evidence("10/25/2026, 1:00 PM"),
            Some(DayOrder::MonthFirst)
        );
        assert_eq!(day_order_evidence("3/10/2026"), None);
        assert_eq!(day_order_evidence("2026/10/25"), None);
    }

    #[test]
    fn garbage_is_none() {
        for bad in [
            "",
            "yesterday",
            "2026-13-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "2026-10-03T25:00:00Z",
            "2026-10-03X09:15",
            "2026-10-03T09:15:00+99:00",
            "13/45/2026",
            "2026-10-03T09:15:00.12a",
            "1/1/26 1:00 PM",
            "10/6/2026 13:00:00 PM",
        ] {
            assert_eq!(utc(bad), "NONE", "{bad}");
        }
    }
}
