//! Writers that render the Connect server's Application log ([`SynthOnpremEvent`]s) in every
//! export an administrator can make of it (reference/onprem.md §2):
//!
//! | Writer | Export | Order | Time |
//! |---|---|---|---|
//! | [`write_evtx_log`] | the `.evtx` file (Event Viewer "Save All Events As", `wevtutil epl`) | log order | UTC, 100 ns |
//! | [`write_event_xml`] [`XmlStyle::EventViewer`] | Event Viewer "Save as XML": `<Events>` root, `RenderingInfo` in ja-JP | newest first | UTC |
//! | [`write_event_xml`] [`XmlStyle::Wevtutil`] | `wevtutil qe Application /f:xml`: `<Event>`s with no root | log order | UTC, some with a space and 6 digits |
//! | [`write_event_viewer_csv`] | Event Viewer "Save as CSV": 5 named columns and an unheaded message, UTF-8 BOM | newest first | local, no zone |
//! | [`write_event_viewer_txt`] | Event Viewer "Save as Text (Tab delimited)", UTF-16LE | newest first | local, no zone |
//! | [`write_powershell_csv`] | `Get-WinEvent \| Export-Csv` (27 columns, optional `#TYPE` line) | newest first | local, en-US, no zone |
//! | [`write_powershell_json`] | `Get-WinEvent \| ConvertTo-Json` in Windows PowerShell 5.1, saved with `Out-File` (UTF-16LE) | newest first | `\/Date(ms)\/` |
//!
//! Event Viewer and `Get-WinEvent` list the newest event first; `wevtutil qe` and the `.evtx` file
//! keep log order. Every writer is deterministic: the same events give the same bytes.
//!
//! Where reference/onprem.md marks a detail unverified ([U]) the choice made here is noted at
//! the writer; parsers must stay tolerant of the alternatives.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;

use super::audit_formats::{TextEncoding, encode_text};
use super::evtx_writer::{EvtxEvent, write_evtx};
use super::onprem::{
    ADSYNC, DIRECTORY_SYNCHRONIZATION, PASSWORD_RESET_SERVICE, SynthOnpremEvent,
    sample_month_onprem,
};

const EVENT_XMLNS: &str = "http://schemas.microsoft.com/win/2004/08/events/event";

/// Sources an analyst's PC has no message files for: their messages render as "The
/// description for Event ID … cannot be found" there.
const UNREGISTERED_SOURCES: [&str; 4] = [
    PASSWORD_RESET_SERVICE,
    ADSYNC,
    DIRECTORY_SYNCHRONIZATION,
    "MSSQL$ADSYNC",
];

/// Shape of an XML export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XmlStyle {
    /// Event Viewer "Save All Events As… XML": an XML declaration, one `<Events>` root, every
    /// `<Event>` with a `RenderingInfo Culture='ja-JP'` block (message, 情報/警告/エラー, なし…),
    /// single-quoted attributes, newest event first.
    EventViewer,
    /// `wevtutil qe Application /f:xml`: `<Event>` elements one per line with no root, no
    /// declaration and no `RenderingInfo`; manifest events get `Qualifiers=''`; every fifth
    /// record's `SystemTime` has a space instead of `T`, 6 fraction digits and no `Z`.
    Wevtutil,
}

/// Display language of Event Viewer (header names, level and task names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewerLang {
    /// English (United States).
    En,
    /// Japanese.
    Ja,
}

// ---------------------------------------------------------------------------------------------
// EVTX
// ---------------------------------------------------------------------------------------------

/// Writes `events` (one computer's log, in log order) as an `.evtx` file.
pub fn write_evtx_log(events: &[SynthOnpremEvent], path: &Path) -> io::Result<()> {
    let evtx: Vec<EvtxEvent> = log_order(events)
        .into_iter()
        .map(SynthOnpremEvent::to_evtx)
        .collect();
    write_evtx(&evtx, path)
}

// ---------------------------------------------------------------------------------------------
// XML
// ---------------------------------------------------------------------------------------------

/// Writes `events` as an XML export in `style` (UTF-8, no byte-order mark).
///
/// [U] choices: the Event Viewer file starts with `<?xml version="1.0" encoding="UTF-8"
/// standalone="yes"?>` and puts each event on its own line; message line breaks are written as
/// raw CR LF (an XML reader may hand them back as LF); `RenderingInfo` carries `Channel`
/// `Application` untranslated and the provider's name.
pub fn write_event_xml(
    events: &[SynthOnpremEvent],
    path: &Path,
    style: XmlStyle,
) -> io::Result<()> {
    let mut out = String::new();
    match style {
        XmlStyle::EventViewer => {
            out.push_str(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<Events>\r\n",
            );
            for e in newest_first(events) {
                event_xml(e, style, &mut out);
                out.push_str("\r\n");
            }
            out.push_str("</Events>\r\n");
        }
        XmlStyle::Wevtutil => {
            for e in log_order(events) {
                event_xml(e, style, &mut out);
                out.push_str("\r\n");
            }
        }
    }
    fs::write(path, out)
}

fn event_xml(e: &SynthOnpremEvent, style: XmlStyle, out: &mut String) {
    let _ = write!(out, "<Event xmlns='{EVENT_XMLNS}'><System><Provider Name='");
    escape_xml(&e.provider, out);
    out.push_str("'/>");
    match (e.qualifiers, style) {
        (Some(q), _) => {
            let _ = write!(out, "<EventID Qualifiers='{q}'>{}</EventID>", e.event_id);
        }
        (None, XmlStyle::Wevtutil) => {
            let _ = write!(out, "<EventID Qualifiers=''>{}</EventID>", e.event_id);
        }
        (None, XmlStyle::EventViewer) => {
            let _ = write!(out, "<EventID>{}</EventID>", e.event_id);
        }
    }
    let system_time = if style == XmlStyle::Wevtutil && e.record_id.is_multiple_of(5) {
        // The variant a Japanese tool's fixture shows: space, microseconds, no zone letter.
        format!(
            "{}.{:06}",
            e.time.format("%Y-%m-%d %H:%M:%S"),
            e.time.timestamp_subsec_micros()
        )
    } else {
        z7(e.time)
    };
    let _ = write!(
        out,
        "<Version>0</Version><Level>{}</Level><Task>{}</Task><Opcode>0</Opcode><Keywords>0x{:x}</Keywords><TimeCreated SystemTime='{system_time}'/><EventRecordID>{}</EventRecordID><Correlation/><Execution ProcessID='0' ThreadID='0'/><Channel>Application</Channel><Computer>",
        e.level,
        e.task,
        e.keywords(),
        e.record_id
    );
    escape_xml(&e.computer, out);
    out.push_str("</Computer><Security/></System><EventData>");
    for d in &e.data {
        out.push_str("<Data>");
        escape_xml(d, out);
        out.push_str("</Data>");
    }
    out.push_str("</EventData>");
    if style == XmlStyle::EventViewer {
        let lang = ViewerLang::Ja;
        out.push_str("<RenderingInfo Culture='ja-JP'><Message>");
        escape_xml(&rendered_message(e), out);
        let _ = write!(
            out,
            "</Message><Level>{}</Level><Task>{}</Task><Opcode>{}</Opcode><Channel>Application</Channel><Provider>",
            level_name(e.level, lang),
            task_name(e, lang),
            opcode_name(lang)
        );
        escape_xml(&e.provider, out);
        out.push_str("</Provider>");
        if e.qualifiers.is_some() {
            out.push_str("<Keywords><Keyword>クラシック</Keyword></Keywords>");
        } else {
            out.push_str("<Keywords></Keywords>");
        }
        out.push_str("</RenderingInfo>");
    }
    out.push_str("</Event>");
}

/// Escapes text for an element or a single-quoted attribute.
fn escape_xml(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&apos;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Event Viewer CSV and TXT
// ---------------------------------------------------------------------------------------------

fn viewer_header(lang: ViewerLang) -> [&'static str; 5] {
    match lang {
        ViewerLang::En => [
            "Level",
            "Date and Time",
            "Source",
            "Event ID",
            "Task Category",
        ],
        ViewerLang::Ja => [
            "レベル",
            "日付と時刻",
            "ソース",
            "イベント ID",
            "タスクのカテゴリ",
        ],
    }
}

/// The six fields of one Event Viewer row (five named, then the message).
fn viewer_row(e: &SynthOnpremEvent, lang: ViewerLang, tz: Tz, unregistered: bool) -> [String; 6] {
    let message = if unregistered && UNREGISTERED_SOURCES.contains(&e.provider.as_str()) {
        description_not_found(e, lang)
    } else {
        rendered_message(e)
    };
    [
        level_name(e.level, lang).to_owned(),
        viewer_time(e.time, lang, tz),
        e.provider.clone(),
        e.event_id.to_string(),
        task_name(e, lang).to_owned(),
        message,
    ]
}

/// Writes `events` as Event Viewer "Save All Events As… CSV (Comma Separated)": a header of five
/// names, rows of six fields (the message unheaded, always quoted, line breaks kept), newest
/// first, local time of `tz` without a zone, UTF-8 with a byte-order mark, CRLF rows.
///
/// `unregistered_source`: the export was made where the Connect sources are not registered
/// (an analyst's PC opening the saved `.evtx`): their messages become Windows' "description
/// cannot be found" text with the insertion strings after it.
pub fn write_event_viewer_csv(
    events: &[SynthOnpremEvent],
    path: &Path,
    lang: ViewerLang,
    tz: Tz,
    unregistered_source: bool,
) -> io::Result<()> {
    let mut out = viewer_header(lang).join(",");
    out.push_str("\r\n");
    for e in newest_first(events) {
        let row = viewer_row(e, lang, tz, unregistered_source);
        for (i, field) in row.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            // Event Viewer quotes the description always, the other fields only when needed.
            if i == 5 || field.contains([',', '"', '\r', '\n']) {
                push_quoted(field, &mut out);
            } else {
                out.push_str(field);
            }
        }
        out.push_str("\r\n");
    }
    fs::write(path, encode_text(&out, TextEncoding::Utf8Bom)?)
}

/// Writes `events` as Event Viewer "Save All Events As… Text (Tab delimited)": the same columns
/// as the CSV separated by TAB, UTF-16LE with a byte-order mark, CRLF rows; a message holding a
/// tab, a line break or a quote is double-quoted (quotes doubled). [U]: no real file was seen.
pub fn write_event_viewer_txt(
    events: &[SynthOnpremEvent],
    path: &Path,
    lang: ViewerLang,
    tz: Tz,
) -> io::Result<()> {
    let mut out = viewer_header(lang).join("\t");
    out.push_str("\r\n");
    for e in newest_first(events) {
        let row = viewer_row(e, lang, tz, false);
        for (i, field) in row.iter().enumerate() {
            if i > 0 {
                out.push('\t');
            }
            if field.contains(['\t', '"', '\r', '\n']) {
                push_quoted(field, &mut out);
            } else {
                out.push_str(field);
            }
        }
        out.push_str("\r\n");
    }
    fs::write(path, encode_text(&out, TextEncoding::Utf16LeBom)?)
}

/// Windows' text for an event whose source has no message file on the rendering machine
/// (reference/onprem.md §1.6, §3): the insertion strings one per line after it.
/// [U]: the Japanese sentences between the first and the last are a guess.
fn description_not_found(e: &SynthOnpremEvent, lang: ViewerLang) -> String {
    let data = e
        .data
        .iter()
        .map(|d| crlf(d))
        .collect::<Vec<_>>()
        .join("\r\n");
    match lang {
        ViewerLang::En => format!(
            "The description for Event ID {} from source {} cannot be found. Either the component that raises this event is not installed on your local computer or the installation is corrupted. You can install or repair the component on the local computer.\r\n\r\nIf the event originated on another computer, the display information had to be saved with the event.\r\n\r\nThe following information was included with the event: \r\n\r\n{data}\r\n",
            e.event_id, e.provider
        ),
        ViewerLang::Ja => format!(
            "ソース \"{}\" からのイベント ID {} の説明が見つかりません。このイベントを発生させるコンポーネントがローカル コンピューターにインストールされていないか、インストールが壊れています。ローカル コンピューターにコンポーネントをインストールするか、コンポーネントを修復してください。\r\n\r\nイベントが別のコンピューターから発生している場合、イベントと共に表示情報を保存する必要があります。\r\n\r\nイベントには次の情報が含まれています: \r\n\r\n{data}\r\n",
            e.provider, e.event_id
        ),
    }
}

fn push_quoted(field: &str, out: &mut String) {
    out.push('"');
    out.push_str(&field.replace('"', "\"\""));
    out.push('"');
}

/// The event time as Event Viewer shows it in `tz`: en-US `10/6/2026 1:00:55 PM`, ja-JP
/// `2026/10/06 9:15:30`.
fn viewer_time(t: DateTime<Utc>, lang: ViewerLang, tz: Tz) -> String {
    match lang {
        ViewerLang::En => en_us_time(t, tz),
        ViewerLang::Ja => {
            let l = t.with_timezone(&tz);
            format!(
                "{}/{:02}/{:02} {}:{:02}:{:02}",
                l.year(),
                l.month(),
                l.day(),
                l.hour(),
                l.minute(),
                l.second()
            )
        }
    }
}

/// `M/d/yyyy h:mm:ss tt` (en-US general date-time) in `tz`.
fn en_us_time(t: DateTime<Utc>, tz: Tz) -> String {
    let l = t.with_timezone(&tz);
    let (pm, hour12) = l.hour12();
    format!(
        "{}/{}/{} {}:{:02}:{:02} {}",
        l.month(),
        l.day(),
        l.year(),
        hour12,
        l.minute(),
        l.second(),
        if pm { "PM" } else { "AM" }
    )
}

// ---------------------------------------------------------------------------------------------
// PowerShell
// ---------------------------------------------------------------------------------------------

/// The columns of `Get-WinEvent | Export-Csv` (reference/onprem.md §2c).
const POWERSHELL_COLUMNS: [&str; 27] = [
    "Message",
    "Id",
    "Version",
    "Qualifiers",
    "Level",
    "Task",
    "Opcode",
    "Keywords",
    "RecordId",
    "ProviderName",
    "ProviderId",
    "LogName",
    "ProcessId",
    "ThreadId",
    "MachineName",
    "UserId",
    "TimeCreated",
    "ActivityId",
    "RelatedActivityId",
    "ContainerLog",
    "MatchedQueryIds",
    "Bookmark",
    "LevelDisplayName",
    "OpcodeDisplayName",
    "TaskDisplayName",
    "KeywordsDisplayNames",
    "Properties",
];

/// Writes `events` as Windows PowerShell 5.1 `Get-WinEvent -LogName Application | Export-Csv
/// -Encoding UTF8`: every field quoted, values as `ToString()` in en-US (`TimeCreated` local time
/// of `tz` without a zone, `Keywords` as a signed decimal), collection properties as their type
/// names, UTF-8 with a byte-order mark, newest first; `type_line` adds the `#TYPE` line
/// (omitted with `-NoTypeInformation`, and by PowerShell 7).
///
/// [U] choices: `#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord`; `Version` and
/// `Opcode` `0`, `OpcodeDisplayName` `Info` and `TaskDisplayName` `None` for classic events;
/// empty `ProcessId`/`ThreadId`/`UserId`/`ProviderId`.
pub fn write_powershell_csv(
    events: &[SynthOnpremEvent],
    path: &Path,
    type_line: bool,
    tz: Tz,
) -> io::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(POWERSHELL_COLUMNS)?;
    for e in newest_first(events) {
        let qualifiers = e.qualifiers.map(|q| q.to_string()).unwrap_or_default();
        let row: [String; 27] = [
            rendered_message(e),
            e.event_id.to_string(),
            "0".to_owned(),
            qualifiers,
            e.level.to_string(),
            e.task.to_string(),
            "0".to_owned(),
            (e.keywords() as i64).to_string(),
            e.record_id.to_string(),
            e.provider.clone(),
            String::new(),
            "Application".to_owned(),
            String::new(),
            String::new(),
            e.computer.clone(),
            String::new(),
            en_us_time(e.time, tz),
            String::new(),
            String::new(),
            "Application".to_owned(),
            "System.UInt32[]".to_owned(),
            "System.Diagnostics.Eventing.Reader.EventBookmark".to_owned(),
            level_name(e.level, ViewerLang::En).to_owned(),
            opcode_name(ViewerLang::En).to_owned(),
            task_name(e, ViewerLang::En).to_owned(),
            "System.Collections.ObjectModel.ReadOnlyCollection`1[System.String]".to_owned(),
            "System.Collections.Generic.List`1[System.Diagnostics.Eventing.Reader.EventProperty]"
                .to_owned(),
        ];
        w.write_record(&row)?;
    }
    let body = w.into_inner().map_err(|e| e.into_error())?;
    let mut text = String::new();
    if type_line {
        text.push_str("#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\r\n");
    }
    text.push_str(
        std::str::from_utf8(&body).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?,
    );
    fs::write(path, encode_text(&text, TextEncoding::Utf8Bom)?)
}

/// A JSON value as Windows PowerShell 5.1 `ConvertTo-Json` lays it out.
enum Pj {
    Null,
    Int(i64),
    Str(String),
    /// Already-escaped literal text (the `"\/Date(…)\/"` strings).
    Raw(String),
    Arr(Vec<Pj>),
    Obj(Vec<(&'static str, Pj)>),
}

impl Pj {
    fn str(s: &str) -> Pj {
        Pj::Str(s.to_owned())
    }

    /// PowerShell 5.1's layout: four-space indents, `"key":  value` with two spaces, and the
    /// items of a nested array or object indented from the column of its opening bracket.
    fn render(&self, out: &mut String, column: usize) {
        match self {
            Pj::Null => out.push_str("null"),
            Pj::Int(n) => out.push_str(&n.to_string()),
            Pj::Str(s) => escape_ps_json(s, out),
            Pj::Raw(s) => out.push_str(s),
            Pj::Arr(items) => {
                out.push('[');
                if items.is_empty() {
                    out.push_str("\r\n\r\n");
                }
                for (i, item) in items.iter().enumerate() {
                    out.push_str(if i > 0 { ",\r\n" } else { "\r\n" });
                    pad(out, column + 4);
                    item.render(out, column + 4);
                }
                out.push_str(if items.is_empty() { "" } else { "\r\n" });
                pad(out, column);
                out.push(']');
            }
            Pj::Obj(fields) => {
                out.push('{');
                if fields.is_empty() {
                    out.push_str("\r\n\r\n");
                }
                for (i, (key, value)) in fields.iter().enumerate() {
                    out.push_str(if i > 0 { ",\r\n" } else { "\r\n" });
                    pad(out, column + 4);
                    let key_start = out.len();
                    escape_ps_json(key, out);
                    out.push_str(":  ");
                    let value_column = column + 4 + (out.len() - key_start);
                    value.render(out, value_column);
                }
                out.push_str(if fields.is_empty() { "" } else { "\r\n" });
                pad(out, column);
                out.push('}');
            }
        }
    }
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// A JSON string as .NET's JavaScriptSerializer (Windows PowerShell 5.1) writes it: `<`, `>`,
/// `&` and `'` as `\u003c`-style escapes, control characters escaped, everything else as is.
fn escape_ps_json(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\'' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes `events` as Windows PowerShell 5.1 `Get-WinEvent -LogName Application |
/// ConvertTo-Json | Out-File`: an array of objects with the `Export-Csv` properties,
/// `TimeCreated` as `"\/Date(<ms since 1970 UTC>)\/"`, numbers as numbers, newest first,
/// UTF-16LE with a byte-order mark and CRLF lines (`Out-File`'s default).
///
/// [U] choices: at the default `-Depth 2` the `Properties` items and the bookmark have become
/// their type names / an empty object; `KeywordsDisplayNames` is `["Classic"]` for classic events.
pub fn write_powershell_json(events: &[SynthOnpremEvent], path: &Path) -> io::Result<()> {
    let items: Vec<Pj> = newest_first(events)
        .into_iter()
        .map(|e| {
            let keywords = if e.qualifiers.is_some() {
                vec![Pj::str("Classic")]
            } else {
                Vec::new()
            };
            Pj::Obj(vec![
                ("Message", Pj::Str(rendered_message(e))),
                ("Id", Pj::Int(i64::from(e.event_id))),
                ("Version", Pj::Int(0)),
                (
                    "Qualifiers",
                    e.qualifiers.map_or(Pj::Null, |q| Pj::Int(i64::from(q))),
                ),
                ("Level", Pj::Int(i64::from(e.level))),
                ("Task", Pj::Int(i64::from(e.task))),
                ("Opcode", Pj::Int(0)),
                ("Keywords", Pj::Int(e.keywords() as i64)),
                ("RecordId", Pj::Int(e.record_id as i64)),
                ("ProviderName", Pj::str(&e.provider)),
                ("ProviderId", Pj::Null),
                ("LogName", Pj::str("Application")),
                ("ProcessId", Pj::Null),
                ("ThreadId", Pj::Null),
                ("MachineName", Pj::str(&e.computer)),
                ("UserId", Pj::Null),
                (
                    "TimeCreated",
                    Pj::Raw(format!("\"\\/Date({})\\/\"", e.time.timestamp_millis())),
                ),
                ("ActivityId", Pj::Null),
                ("RelatedActivityId", Pj::Null),
                ("ContainerLog", Pj::str("Application")),
                ("MatchedQueryIds", Pj::Arr(Vec::new())),
                ("Bookmark", Pj::Obj(Vec::new())),
                (
                    "LevelDisplayName",
                    Pj::str(level_name(e.level, ViewerLang::En)),
                ),
                ("OpcodeDisplayName", Pj::str(opcode_name(ViewerLang::En))),
                ("TaskDisplayName", Pj::str(task_name(e, ViewerLang::En))),
                ("KeywordsDisplayNames", Pj::Arr(keywords)),
                (
                    "Properties",
                    Pj::Arr(
                        e.data
                            .iter()
                            .map(|_| Pj::str("System.Diagnostics.Eventing.Reader.EventProperty"))
                            .collect(),
                    ),
                ),
            ])
        })
        .collect();
    let mut out = String::new();
    Pj::Arr(items).render(&mut out, 0);
    out.push_str("\r\n");
    fs::write(path, encode_text(&out, TextEncoding::Utf16LeBom)?)
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

/// Writes the sample month's logs of both Connect servers in every format, one folder per
/// format (`evtx/CONNECT01.evtx`, `viewer_csv_ja/CONNECT02.csv`, …) so that a test can give one
/// format at a time; returns the files written, sorted.
pub fn write_onprem_fixtures(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let logs = sample_month_onprem();
    let tz = chrono_tz::Asia::Tokyo;
    let mut files = Vec::new();
    type Writer<'a> = Box<dyn Fn(&[SynthOnpremEvent], &Path) -> io::Result<()> + 'a>;
    let formats: Vec<(&str, &str, Writer)> = vec![
        ("evtx", "evtx", Box::new(write_evtx_log)),
        (
            "xml_event_viewer",
            "xml",
            Box::new(|e: &[SynthOnpremEvent], p: &Path| {
                write_event_xml(e, p, XmlStyle::EventViewer)
            }),
        ),
        (
            "xml_wevtutil",
            "xml",
            Box::new(|e: &[SynthOnpremEvent], p: &Path| write_event_xml(e, p, XmlStyle::Wevtutil)),
        ),
        (
            "viewer_csv_en",
            "csv",
            Box::new(move |e: &[SynthOnpremEvent], p: &Path| {
                write_event_viewer_csv(e, p, ViewerLang::En, tz, false)
            }),
        ),
        (
            "viewer_csv_ja",
            "csv",
            Box::new(move |e: &[SynthOnpremEvent], p: &Path| {
                write_event_viewer_csv(e, p, ViewerLang::Ja, tz, false)
            }),
        ),
        (
            "viewer_csv_en_unregistered",
            "csv",
            Box::new(move |e: &[SynthOnpremEvent], p: &Path| {
                write_event_viewer_csv(e, p, ViewerLang::En, tz, true)
            }),
        ),
        (
            "viewer_csv_ja_unregistered",
            "csv",
            Box::new(move |e: &[SynthOnpremEvent], p: &Path| {
                write_event_viewer_csv(e, p, ViewerLang::Ja, tz, true)
            }),
        ),
        (
            "viewer_txt_ja",
            "txt",
            Box::new(move |e: &[SynthOnpremEvent], p: &Path| {
                write_event_viewer_txt(e, p, ViewerLang::Ja, tz)
            }),
        ),
        (
            "powershell_csv_type",
            "csv",
            Box::new(move |e: &[SynthOnpremEvent], p: &Path| write_powershell_csv(e, p, true, tz)),
        ),
        (
            "powershell_csv_notype",
            "csv",
            Box::new(move |e: &[SynthOnpremEvent], p: &Path| write_powershell_csv(e, p, false, tz)),
        ),
        ("powershell_json", "json", Box::new(write_powershell_json)),
    ];
    for (folder, ext, write) in &formats {
        let sub = dir.join(folder);
        fs::create_dir_all(&sub)?;
        for (computer, events) in &logs {
            let path = sub.join(format!("{}.{ext}", short_name(computer)));
            write(events, &path)?;
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// `CONNECT01` of `CONNECT01.corp.contoso.co.jp`.
pub fn short_name(computer: &str) -> &str {
    computer.split('.').next().unwrap_or(computer)
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// The message as Windows renders it: line breaks as CR LF.
fn rendered_message(e: &SynthOnpremEvent) -> String {
    crlf(&e.message())
}

fn crlf(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\n', "\r\n")
}

fn level_name(level: u8, lang: ViewerLang) -> &'static str {
    match (level, lang) {
        (1, ViewerLang::En) => "Critical",
        (1, ViewerLang::Ja) => "重大",
        (2, ViewerLang::En) => "Error",
        (2, ViewerLang::Ja) => "エラー",
        (3, ViewerLang::En) => "Warning",
        (3, ViewerLang::Ja) => "警告",
        (5, ViewerLang::En) => "Verbose",
        (5, ViewerLang::Ja) => "詳細",
        (_, ViewerLang::En) => "Information",
        (_, ViewerLang::Ja) => "情報",
    }
}

/// The task (category) name: `None`/`なし` for category 0. [U]: `なし`, and ESENT's `全般`.
fn task_name(e: &SynthOnpremEvent, lang: ViewerLang) -> &'static str {
    match (e.provider.as_str(), e.task, lang) {
        ("MSSQL$ADSYNC", 2, _) => "Server",
        ("ESENT", 1, ViewerLang::En) => "General",
        ("ESENT", 1, ViewerLang::Ja) => "全般",
        (_, _, ViewerLang::En) => "None",
        (_, _, ViewerLang::Ja) => "なし",
    }
}

fn opcode_name(lang: ViewerLang) -> &'static str {
    match lang {
        ViewerLang::En => "Info",
        ViewerLang::Ja => "情報",
    }
}

/// Events in log order (record id), as the `.evtx` file and `wevtutil qe` hold them.
fn log_order(events: &[SynthOnpremEvent]) -> Vec<&SynthOnpremEvent> {
    let mut v: Vec<&SynthOnpremEvent> = events.iter().collect();
    v.sort_by_key(|e| e.record_id);
    v
}

/// Events newest first, as Event Viewer lists them and `Get-WinEvent` returns them.
fn newest_first(events: &[SynthOnpremEvent]) -> Vec<&SynthOnpremEvent> {
    let mut v = log_order(events);
    v.reverse();
    v
}

/// `2026-10-03T09:15:00.1234567Z`
fn z7(t: DateTime<Utc>) -> String {
    format!(
        "{}.{:07}Z",
        t.format("%Y-%m-%dT%H:%M:%S"),
        t.timestamp_subsec_nanos() / 100
    )
}
