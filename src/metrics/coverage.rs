//! Coverage: does the audit log cover the period? First and last record, gaps longer than
//! `--gap` inside the period, and warnings that go on the report's first page.

use crate::catalog::Lang;
use crate::ingest::Ingested;
use crate::model::Model;
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

/// The readers' notes about a file in Japanese where the wording is a fixed one; other notes
/// (they quote the file's own text) are shown as written.
fn file_note_ja(text: &str) -> String {
    let fixed = [
        ("empty file: no records", "空のファイルです (レコードなし)"),
        (
            "header only: no records",
            "見出し行だけのファイルです (レコードなし)",
        ),
        ("the XML holds no events", "XML にイベントがありません"),
    ];
    fixed
        .iter()
        .find(|(en, _)| *en == text)
        .map(|(_, ja)| (*ja).to_string())
        .unwrap_or_else(|| text.to_string())
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

/// ISO 8601 local time with offset, seconds precision (the report's time format).
pub fn local_time(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz)
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
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
pub fn compute(
    model: &Model,
    ingested: &Ingested,
    gap: Duration,
    explicit_period: bool,
) -> Coverage {
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
        &ingested.audit_minutes,
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
        let union: BTreeSet<i64> = ingested
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
            let minutes = ingested
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
    for f in &ingested.files {
        warnings.extend(f.warnings.iter().map(|text| Warning::File {
            file: f.file.display.clone(),
            text: text.clone(),
        }));
    }
    Coverage {
        warnings,
        gap_threshold: crate::config::format_duration(gap),
        sources,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
