//! Coverage: does the audit log cover the period? First and last record, gaps longer than
//! `--gap` inside the period, and warnings that go on the report's first page.

use crate::catalog::Lang;
use crate::model::Model;
use crate::time::local_time;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Serialize, Serializer};
use std::collections::BTreeSet;

/// Whose records a coverage warning is about.
#[derive(Debug, Clone, PartialEq)]
pub enum LogSource {
    /// The Entra audit log.
    Audit,
    /// The on-prem event logs of all Connect servers together.
    Onprem,
    /// One Connect server's event log.
    Computer(String),
}

impl LogSource {
    fn name(&self, lang: Lang) -> String {
        match (self, lang) {
            (LogSource::Audit, Lang::En) => "audit log".into(),
            (LogSource::Audit, Lang::Ja) => "監査ログ".into(),
            (LogSource::Onprem, Lang::En) => "on-prem event log".into(),
            (LogSource::Onprem, Lang::Ja) => "オンプレミスのイベント ログ".into(),
            (LogSource::Computer(c), Lang::En) => format!("{c} event log"),
            (LogSource::Computer(c), Lang::Ja) => format!("{c} のイベント ログ"),
        }
    }
}

/// One warning of a run: what the page shows first, the terminal prints and summary.json's
/// `coverage.warnings` lists (there as its English sentence: machine output stays English).
#[derive(Debug, Clone, PartialEq)]
pub enum Warning {
    /// No record of the source was read at all.
    NoRecords(LogSource),
    /// Records were read, none inside the period (local times of the first and last).
    NoneInside(LogSource, String, String),
    /// The source starts after the period starts (local time of its first record).
    StartsLate(LogSource, String, NaiveDate),
    /// The source ends before the period ends (local time of its last record).
    EndsEarly(LogSource, String, NaiveDate),
    /// A stretch inside the period without records.
    Gap(LogSource, Gap),
    /// Licence products whose service plans are unknown (part numbers or names).
    UnrecognisedProducts(Vec<String>),
    /// With `--lang ja` no CJK font was found: the charts are SVG only.
    NoJapaneseFont,
    /// A reading note about one input file (the reader's English text).
    File {
        /// The file as named in inputs.csv.
        file: String,
        /// What the reader noted.
        text: String,
    },
}

impl Warning {
    /// The sentence in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.english(),
            Lang::Ja => self.japanese(),
        }
    }

    fn english(&self) -> String {
        match self {
            Warning::NoRecords(s) => format!("No {} records were read.", s.name(Lang::En)),
            Warning::NoneInside(s, first, last) => format!(
                "No {} record lies inside the period: it runs from {first} to {last}.",
                s.name(Lang::En)
            ),
            Warning::StartsLate(s, at, from) => format!(
                "The {} starts at {at}, after the period starts ({from}): earlier events are missing.",
                s.name(Lang::En)
            ),
            Warning::EndsEarly(s, at, to) => format!(
                "The {} ends at {at}, before the period ends ({to}): later events are missing.",
                s.name(Lang::En)
            ),
            Warning::Gap(s, g) => format!(
                "No {} records from {} to {} ({} h): the export may be missing this time.",
                s.name(Lang::En),
                g.from,
                g.to,
                g.hours
            ),
            Warning::UnrecognisedProducts(products) => format!(
                "licence products with no known service plans: {}; users holding only these \
                 are not counted for or against P1 (part numbers are resolved by a Graph subscribedSkus \
                 export; product names need the Graph users export with licenseDetails)",
                products.join(", ")
            ),
            Warning::NoJapaneseFont => "no Japanese font found (tried fonts-noto-cjk and \
                fonts-ipaexfont-gothic paths): charts are written as SVG only; install one (e.g. \
                `apt-get install fonts-ipaexfont-gothic`) or pass --font PATH"
                .into(),
            Warning::File { file, text } => format!("{file}: {text}"),
        }
    }

    fn japanese(&self) -> String {
        match self {
            Warning::NoRecords(s) => format!("{}のレコードを 1 件も読み込めませんでした。", s.name(Lang::Ja)),
            Warning::NoneInside(s, first, last) => format!(
                "{}に期間内のレコードがありません (記録は {first} から {last} まで)。",
                s.name(Lang::Ja)
            ),
            Warning::StartsLate(s, at, from) => format!(
                "{}の記録は {at} から始まり、期間の開始 ({from}) より後です。それ以前のイベントは含まれていません。",
                s.name(Lang::Ja)
            ),
            Warning::EndsEarly(s, at, to) => format!(
                "{}の記録は {at} で終わり、期間の終了 ({to}) より前です。それ以降のイベントは含まれていません。",
                s.name(Lang::Ja)
            ),
            Warning::Gap(s, g) => format!(
                "{}に {} から {} まで ({} 時間) レコードがありません。この時間帯がエクスポートから抜けている可能性があります。",
                s.name(Lang::Ja),
                g.from,
                g.to,
                g.hours
            ),
            Warning::UnrecognisedProducts(products) => format!(
                "サービス プランが不明なライセンス製品があります: {}。これらだけを持つユーザーは P1 の有無を判定していません \
                 (製品の部品番号は Graph の subscribedSkus のエクスポートで、製品名は licenseDetails 付きの Graph ユーザーのエクスポートで解決できます)。",
                products.join(", ")
            ),
            Warning::NoJapaneseFont => "日本語フォントが見つからないため、グラフは SVG だけを出力しました \
                (fonts-noto-cjk と fonts-ipaexfont-gothic の場所を確認済み)。フォントをインストールする \
                (例: `apt-get install fonts-ipaexfont-gothic`) か、--font でフォント ファイルを指定してください。"
                .into(),
            Warning::File { file, text } => format!("入力ファイル {file}: {}", file_note_ja(text)),
        }
    }
}

/// Why ingest skipped an entry, in Japanese (the shapes `ingest::open_input` writes); the
/// OS's own error text and a link's target stay as written.
fn skipped_ja(rest: &str) -> String {
    // " (a link to '…')" or " to '…'" after the kind of entry.
    let link = |s: &str| -> (String, String) {
        let (head, target) = match s.split_once(" (a link to '") {
            Some((head, t)) => (head, t.split_once("')").map(|(t, _)| t)),
            None => (s, None),
        };
        let note = target.map_or(String::new(), |t| format!(" (リンク先 '{t}')"));
        (head.to_string(), note)
    };
    let kind_ja = |kind: &str| {
        match kind {
            "FIFO (named pipe)" => "FIFO (名前付きパイプ)",
            "character device" => "キャラクター デバイス",
            "block device" => "ブロック デバイス",
            "socket" => "ソケット",
            "special file" => "特殊ファイル",
            "link loop" => "ループするリンク",
            "path too long" => "長すぎるパス",
            "link to nothing" => "存在しないものへのリンク",
            "folder" => "フォルダー",
            "file" => "ファイル",
            other => other,
        }
        .to_string()
    };
    if let Some(err) = rest.strip_prefix("the folder cannot be read: ") {
        return format!("フォルダーを読めません: {err}");
    }
    if let Some(rest) = rest.strip_prefix("a link")
        && rest.ends_with("each folder is read once")
    {
        let target = rest
            .strip_prefix(" to '")
            .and_then(|t| t.split_once("' to a folder"))
            .map_or(String::new(), |(t, _)| format!(" (リンク先 '{t}')"));
        return format!(
            "既に読んだフォルダーへのリンク{target}です (ループ、または同じフォルダーへの別の経路)。フォルダーは 1 回だけ読みます"
        );
    }
    if let Some(what) = rest
        .strip_prefix("a ")
        .and_then(|r| r.strip_suffix(", not a regular file: only regular files are read"))
    {
        let (kind, note) = link(what);
        return format!(
            "{}{note}は通常のファイルではありません。通常のファイルだけを読みます",
            kind_ja(&kind)
        );
    }
    if let Some((what, fs)) = rest
        .strip_prefix("a ")
        .and_then(|r| r.strip_suffix(" file system, not an export: nothing there is read"))
        .and_then(|r| r.split_once(" on the kernel's "))
    {
        let (kind, note) = link(what);
        return format!(
            "カーネルの {fs} ファイル システム上の{}{note}で、エクスポートではありません。読みません",
            kind_ja(&kind)
        );
    }
    if let Some((what, err)) = rest.split_once(": ") {
        let (kind, note) = link(what);
        return format!("{}{note}: {err}", kind_ja(&kind));
    }
    rest.to_string()
}

/// The readers' notes about a file (ingest writes them in English) in Japanese, by their fixed
/// shapes; a note of another shape is shown as written.
fn file_note_ja(text: &str) -> String {
    let fixed = [
        ("empty file: no records", "空のファイルです (レコードなし)"),
        (
            "header only: no records",
            "見出し行だけのファイルです (レコードなし)",
        ),
        ("the XML holds no events", "XML にイベントがありません"),
        (
            "the file ends inside a UTF-16 character (an odd number of bytes): it was cut off, and its last record may be incomplete",
            "ファイルが UTF-16 の文字の途中で終わっています (バイト数が奇数)。途中で切れており、最後のレコードが欠けている可能性があります",
        ),
        (
            "dates such as 25/10/2026 and 10/25/2026 both occur: read as month/day; check the export",
            "25/10/2026 と 10/25/2026 のような日付が混在しています。月/日として読みました。エクスポートを確認してください",
        ),
        (
            "no date in the first rows shows whether 3/10/2026 is March 10 or 3 October: read as month/day (US)",
            "先頭の行からは 3/10/2026 が 3 月 10 日か 10 月 3 日か判断できないため、月/日 (米国式) として読みました",
        ),
    ];
    if let Some((_, ja)) = fixed.iter().find(|(en, _)| *en == text) {
        return (*ja).to_string();
    }
    let between = |prefix: &str, suffix: &str| {
        text.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(suffix))
            .map(str::to_string)
    };
    if let Some((original, n)) = between("byte-identical copy of ", " records count as duplicate")
        .and_then(|rest| {
            let (original, n) = rest.rsplit_once(": its ")?;
            Some((original.to_string(), n.to_string()))
        })
    {
        return format!(
            "{original} とバイト単位で同一のコピーです。{n} 件のレコードは重複として数えました"
        );
    }
    if let Some(rest) = text.strip_prefix("skipped: ") {
        return format!("読み飛ばしました: {}", skipped_ja(rest));
    }
    if let Some(rest) = text.strip_prefix("its times lie ")
        && let Some((offset, rest)) = rest.split_once(" off ")
        && let Some((original, rest)) =
            rest.split_once(", a copy of the same log that records its zone: ")
        && let Some(n) = rest
            .strip_prefix("it was read in the wrong --onprem-tz; its ")
            .and_then(|r| r.strip_suffix(" events found there count as duplicate"))
    {
        return format!(
            "同じログのコピーでタイム ゾーン付きの時刻を持つ {original} と比べて、時刻が {offset} \
             ずれています。--onprem-tz の指定が誤っています。一致した {n} 件のイベントは重複として数えました"
        );
    }
    if let Some(location) = between(
        "rows from ",
        " on are Shift_JIS, not UTF-8: read as Shift_JIS",
    ) {
        return format!(
            "{location} 以降の行は UTF-8 ではなく Shift_JIS のため、Shift_JIS として読みました"
        );
    }
    if let Some(rest) = between("fields longer than ", ")")
        && let Some((kib, location)) =
            rest.split_once(" KiB were cut to that length (the first at ")
    {
        return format!(
            "{kib} KiB を超えるフィールドをその長さで切り詰めました (最初は {location})"
        );
    }
    text.to_string()
}

impl Serialize for Warning {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.english())
    }
}

/// A stretch of the period without any record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    /// Last minute with a record before the gap (local time).
    pub from: String,
    /// First minute with a record after the gap (local time).
    pub to: String,
    /// Length in hours (one decimal).
    pub hours: f64,
}

/// Coverage of one source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceCoverage {
    /// `audit`, or `onprem:<computer>`.
    pub source: String,
    /// First record time (local), if any.
    pub first: Option<String>,
    /// Last record time (local), if any.
    pub last: Option<String>,
    /// Gaps inside the period longer than `--gap`.
    pub gaps: Vec<Gap>,
}

/// The `coverage` section of summary.json.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    /// Every warning of the run (coverage, licence products, fonts, input files), for the
    /// report's first page; empty when the inputs cover the period and read cleanly.
    pub warnings: Vec<Warning>,
    /// Gap length that raises a warning.
    pub gap_threshold: String,
    /// Per-source detail.
    pub sources: Vec<SourceCoverage>,
}

/// Gaps longer than `gap` between consecutive covered minutes inside `[lo, hi)`.
fn gaps_in(minutes: &BTreeSet<i64>, lo: i64, hi: i64, gap: Duration, tz: Tz) -> Vec<Gap> {
    let minute_time = |m: i64| DateTime::<Utc>::from_timestamp(m * 60, 0).unwrap_or_default();
    // A source whose records all lie outside the period gives lo >= hi: nothing inside.
    let inside: Vec<i64> = minutes.range(lo..hi.max(lo)).copied().collect();
    inside
        .windows(2)
        .filter(|pair| pair[1] - pair[0] > gap.num_minutes())
        .map(|pair| Gap {
            from: local_time(minute_time(pair[0]), tz),
            to: local_time(minute_time(pair[1]), tz),
            hours: ((pair[1] - pair[0]) as f64 / 60.0 * 10.0).round() / 10.0,
        })
        .collect()
}

/// Edge and gap warnings of one source.
fn check_source(
    what: &LogSource,
    minutes: &BTreeSet<i64>,
    span: Option<(DateTime<Utc>, DateTime<Utc>)>,
    ctx: &Ctx,
    warnings: &mut Vec<Warning>,
) -> Vec<Gap> {
    let tz = ctx.tz;
    let minute_time = |m: i64| DateTime::<Utc>::from_timestamp(m * 60, 0).unwrap_or(ctx.start);
    let inside: Vec<i64> = minutes.range(ctx.lo..ctx.hi.max(ctx.lo)).copied().collect();
    let Some((first, last)) = span else {
        warnings.push(Warning::NoRecords(what.clone()));
        return Vec::new();
    };
    let (Some(&first_in), Some(&last_in)) = (inside.first(), inside.last()) else {
        warnings.push(Warning::NoneInside(
            what.clone(),
            local_time(first, tz),
            local_time(last, tz),
        ));
        return Vec::new();
    };
    if ctx.explicit && first_in - ctx.lo > ctx.gap.num_minutes() {
        warnings.push(Warning::StartsLate(
            what.clone(),
            local_time(minute_time(first_in), tz),
            ctx.from,
        ));
    }
    if ctx.explicit && ctx.hi - 1 - last_in > ctx.gap.num_minutes() {
        warnings.push(Warning::EndsEarly(
            what.clone(),
            local_time(minute_time(last_in), tz),
            ctx.to,
        ));
    }
    let gaps = gaps_in(minutes, ctx.lo, ctx.hi, ctx.gap, tz);
    for g in &gaps {
        warnings.push(Warning::Gap(what.clone(), g.clone()));
    }
    gaps
}

#[derive(Clone, Copy)]
struct Ctx {
    tz: Tz,
    start: DateTime<Utc>,
    lo: i64,
    hi: i64,
    gap: Duration,
    explicit: bool,
    from: NaiveDate,
    to: NaiveDate,
}

/// Computes coverage of the audit log and, when given, of each Connect server's log.
pub fn compute(model: &Model, gap: Duration, explicit_period: bool) -> Coverage {
    let tz = model.tz;
    let start = model.period.start_utc(tz);
    let end = model.period.end_utc(tz);
    let ctx = Ctx {
        tz,
        start,
        lo: start.timestamp().div_euclid(60),
        hi: end.timestamp().div_euclid(60),
        gap,
        explicit: explicit_period,
        from: model.period.from,
        to: model.period.to,
    };
    let mut warnings = Vec::new();
    let audit_gaps = check_source(
        &LogSource::Audit,
        &model.inputs.audit_minutes,
        model.audit_span,
        &ctx,
        &mut warnings,
    );
    let mut sources = vec![SourceCoverage {
        source: "audit".into(),
        first: model.audit_span.map(|(f, _)| local_time(f, tz)),
        last: model.audit_span.map(|(_, l)| local_time(l, tz)),
        gaps: audit_gaps,
    }];
    if let Some(onprem) = &model.onprem {
        // The period's edges are checked on all computers together (a swing migration hands
        // over from one server to the next); gaps inside each server's own log are its own.
        let union: BTreeSet<i64> = model
            .inputs
            .onprem_minutes
            .values()
            .flatten()
            .copied()
            .collect();
        let union_span = onprem
            .spans
            .values()
            .copied()
            .reduce(|(a, b), (c, d)| (a.min(c), b.max(d)));
        let mut edge_warnings = Vec::new();
        check_source(
            &LogSource::Onprem,
            &union,
            union_span,
            &ctx,
            &mut edge_warnings,
        );
        warnings.extend(
            edge_warnings
                .into_iter()
                .filter(|w| !matches!(w, Warning::Gap(..))),
        );
        for (computer, (first, last)) in &onprem.spans {
            let minutes = model
                .inputs
                .onprem_minutes
                .get(computer)
                .cloned()
                .unwrap_or_default();
            let own = Ctx {
                lo: ctx.lo.max(first.timestamp().div_euclid(60)),
                hi: ctx.hi.min(last.timestamp().div_euclid(60) + 1),
                explicit: false,
                ..ctx
            };
            let gaps = check_source(
                &LogSource::Computer(computer.clone()),
                &minutes,
                Some((*first, *last)),
                &own,
                &mut warnings,
            );
            sources.push(SourceCoverage {
                source: format!("onprem:{computer}"),
                first: Some(local_time(*first, tz)),
                last: Some(local_time(*last, tz)),
                gaps,
            });
        }
    }
    for f in &model.inputs.files {
        warnings.extend(f.warnings.iter().map(|text| Warning::File {
            file: f.file.display.clone(),
            text: text.clone(),
        }));
    }
    Coverage {
        warnings,
        gap_threshold: crate::time::format_duration(gap),
        sources,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_warning_reads_in_japanese() {
        let file = |text: &str| Warning::File {
            file: "a.csv".into(),
            text: text.into(),
        };
        let gap = Gap {
            from: "2026-10-03T00:00:00+09:00".into(),
            to: "2026-10-04T00:00:00+09:00".into(),
            hours: 24.0,
        };
        let date = NaiveDate::from_ymd_opt(2026, 10, 1).expect("date");
        let warnings = [
            Warning::NoRecords(LogSource::Audit),
            Warning::NoneInside(LogSource::Onprem, "x".into(), "y".into()),
            Warning::StartsLate(LogSource::Computer("CONNECT01".into()), "x".into(), date),
            Warning::EndsEarly(LogSource::Audit, "x".into(), date),
            Warning::Gap(LogSource::Audit, gap),
            Warning::UnrecognisedProducts(vec!["Contoso Bundle".into()]),
            Warning::NoJapaneseFont,
            file("empty file: no records"),
            file("byte-identical copy of b.csv: its 12 records count as duplicate"),
            file("rows from line 40 on are Shift_JIS, not UTF-8: read as Shift_JIS"),
            file("fields longer than 16 KiB were cut to that length (the first at line 2)"),
        ];
        for w in &warnings {
            let ja = w.text(Lang::Ja);
            let english_words = ja
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|word| {
                    word.len() > 3
                        && ![
                            "CONNECT",
                            "Contoso",
                            "Bundle",
                            "Shift",
                            "Graph",
                            "subscribedSkus",
                            "licenseDetails",
                            "fonts",
                            "noto",
                            "ipaexfont",
                            "gothic",
                            "font",
                            "install",
                            "line",
                            "font",
                        ]
                        .contains(word)
                })
                .count();
            assert_eq!(english_words, 0, "{ja}");
            assert_ne!(ja, w.text(Lang::En));
        }
        assert_eq!(
            serde_json::to_string(&warnings[0]).expect("json"),
            "\"No audit log records were read.\"",
            "summary.json keeps the English sentence"
        );
    }

    /// A Connect server whose log lies wholly before the period gives a window that ends before
    /// it starts (found by the hostile-input corpus: it panicked in `BTreeSet::range`).
    #[test]
    fn a_log_wholly_outside_the_period_is_a_warning_not_a_panic() {
        let minutes: BTreeSet<i64> = [100, 101, 5000].into_iter().collect();
        let start = DateTime::<Utc>::from_timestamp(6000 * 60, 0).expect("time");
        let ctx = Ctx {
            tz: chrono_tz::UTC,
            start,
            lo: 6000,
            hi: 200,
            gap: Duration::hours(6),
            explicit: false,
            from: start.date_naive(),
            to: start.date_naive(),
        };
        let first = DateTime::<Utc>::from_timestamp(100 * 60, 0).expect("time");
        let mut warnings = Vec::new();
        let gaps = check_source(
            &LogSource::Computer("CONNECT01".into()),
            &minutes,
            Some((first, first)),
            &ctx,
            &mut warnings,
        );
        assert!(gaps.is_empty());
        assert!(
            warnings[0].text(Lang::En).contains("inside the period"),
            "{warnings:?}"
        );
        assert!(gaps_in(&minutes, 6000, 200, ctx.gap, ctx.tz).is_empty());
    }

    #[test]
    fn skip_notes_read_in_japanese() {
        for note in [
            "skipped: the folder cannot be read: Permission denied (os error 13)",
            "skipped: a link to '.' to a folder that is read already (a loop, or a second way to one folder): each folder is read once",
            "skipped: a FIFO (named pipe), not a regular file: only regular files are read",
            "skipped: a character device (a link to '/dev/zero'), not a regular file: only regular files are read",
            "skipped: link loop: Too many levels of symbolic links (os error 40)",
            "skipped: a file (a link to '/proc/self/environ') on the kernel's proc file system, not an export: nothing there is read",
        ] {
            let ja = file_note_ja(note);
            assert!(ja.starts_with("読み飛ばしました: "), "{ja}");
            for english in [
                "skipped",
                "regular file",
                "each folder",
                "kernel's",
                "link to",
            ] {
                assert!(!ja.contains(english), "{english} in {ja}");
            }
        }
    }
}
