//! Writers that render [`SynthAuditEvent`]s in every audit export format an administrator can
//! get out of Entra ID (shapes from `reference/formats.md` §1):
//!
//! | Writer | Export |
//! |---|---|
//! | [`write_portal_csv`] | Entra admin center Audit logs → Download → CSV (86 columns, or the older shorter layout), any encoding, optionally re-saved by Japanese Excel |
//! | [`write_portal_json`] | Entra admin center Download → JSON (bare array or `{"value": […]}`) |
//! | [`write_graph_pages`] | Microsoft Graph `GET /auditLogs/directoryAudits` responses, one file per page |
//! | [`write_graph_ndjson`] | Graph `directoryAudit` objects, one per line |
//! | [`write_log_analytics_csv`] | Azure portal Log Analytics → Export to CSV (all columns) of `AuditLogs` |
//! | [`write_log_analytics_json`] | Log Analytics query API rows of `AuditLogs` |
//! | [`write_event_hub`] | diagnostic-settings records (Event Hub / storage), one JSON object per line |
//! | [`write_portal_xlsx`] | the portal CSV opened in Excel and saved as `.xlsx` |
//!
//! Every writer is deterministic: the same events give the same bytes (JSON is rendered by a
//! small ordered writer here rather than through maps, so key order never depends on crate
//! features, and the xlsx creation date is fixed).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, Timelike, Utc};

use super::{Actor, SynthAuditEvent, TENANT_ID, Target, WORKSPACE_ID};

/// How the portal CSV limits the nested arrays (formats.md §1.2): anything beyond is lost.
const CSV_TARGETS: usize = 3;
const CSV_PROPERTIES: usize = 5;
const CSV_DETAILS: usize = 6;

const GRAPH_CONTEXT: &str = "https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits";
const GRAPH_ENDPOINT: &str = "https://graph.microsoft.com/v1.0/auditLogs/directoryAudits";
const PROGRESS_ACTIVITY: &str = "Self-service password reset flow activity progress";

/// Character encoding (and byte-order mark) of a text export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (`EF BB BF`).
    Utf8Bom,
    /// UTF-16 little endian with a byte-order mark (`FF FE`).
    Utf16LeBom,
    /// UTF-16 big endian with a byte-order mark (`FE FF`).
    Utf16BeBom,
    /// Shift_JIS / CP932, no byte-order mark (what Japanese Excel writes for "CSV (comma delimited)").
    ShiftJis,
}

/// Column layout of the portal CSV download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortalCsvLayout {
    /// The current 86-column layout (formats.md §1.2), every header double-quoted.
    Current86,
    /// The older layout: no `User Agent`, no `ActorHome*`, no `ActorServicePrincipal*` columns
    /// (81 columns), written with minimal quoting.
    Legacy,
}

/// Options of [`write_portal_csv`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalCsvOptions {
    /// Column layout.
    pub layout: PortalCsvLayout,
    /// Name of the first column: `Date (UTC)`, or a localized name such as `日付 (UTC)`.
    pub date_header: String,
    /// Text encoding of the file.
    pub encoding: TextEncoding,
    /// Japanese Excel re-save: dates as `2026/10/03 9:15` (minute precision), minimal quoting.
    pub excel_dates: bool,
}

impl Default for PortalCsvOptions {
    /// The file as the portal downloads it today.
    fn default() -> Self {
        PortalCsvOptions {
            layout: PortalCsvLayout::Current86,
            date_header: "Date (UTC)".to_owned(),
            encoding: TextEncoding::Utf8Bom,
            excel_dates: false,
        }
    }
}

/// Top-level shape of a portal JSON download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonEnvelope {
    /// `[ {…}, {…} ]`
    BareArray,
    /// `{ "value": [ {…}, {…} ] }`
    ValueWrapper,
}

// ---------------------------------------------------------------------------------------------
// Portal CSV and XLSX
// ---------------------------------------------------------------------------------------------

/// The header row of a portal CSV download in `layout`, with `date_header` as the first column.
pub fn portal_csv_header(layout: PortalCsvLayout, date_header: &str) -> Vec<String> {
    let current = layout == PortalCsvLayout::Current86;
    let mut h: Vec<String> = vec![date_header.to_owned()];
    let mut add = |names: &[&str]| h.extend(names.iter().map(|n| (*n).to_owned()));
    add(&[
        "CorrelationId",
        "Service",
        "Category",
        "Activity",
        "Result",
        "ResultReason",
    ]);
    if current {
        add(&["User Agent"]);
    }
    add(&[
        "ActorType",
        "ActorDisplayName",
        "ActorObjectId",
        "ActorUserPrincipalName",
        "IPAddress",
    ]);
    if current {
        add(&[
            "ActorHomeTenantId",
            "ActorHomeTenantName",
            "ActorServicePrincipalId",
            "ActorServicePrincipalName",
        ]);
    }
    for t in 1..=CSV_TARGETS {
        for part in ["Type", "DisplayName", "ObjectId", "UserPrincipalName"] {
            h.push(format!("Target{t}{part}"));
        }
        for p in 1..=CSV_PROPERTIES {
            for part in ["Name", "OldValue", "NewValue"] {
                h.push(format!("Target{t}ModifiedProperty{p}{part}"));
            }
        }
    }
    for d in 1..=CSV_DETAILS {
        h.push(format!("AdditionalDetail{d}Key"));
        h.push(format!("AdditionalDetail{d}Value"));
    }
    h
}

/// One portal CSV row (same column order as [`portal_csv_header`]); the date cell is rendered
/// with `date` so the xlsx writer can reuse the row.
fn portal_csv_row(e: &SynthAuditEvent, layout: PortalCsvLayout, date: String) -> Vec<String> {
    let current = layout == PortalCsvLayout::Current86;
    let mut r = Vec::with_capacity(86);
    r.push(date);
    r.push(e.correlation_id.clone());
    r.push(e.service.clone());
    r.push(e.category.clone());
    r.push(e.activity.clone());
    r.push(e.result.clone());
    r.push(e.reason.clone());
    if current {
        r.push(e.user_agent.clone().unwrap_or_default());
    }
    match &e.actor {
        Actor::User {
            id,
            upn,
            display_name,
            ip,
        } => {
            r.push("User".to_owned());
            r.push(display_name.clone().unwrap_or_default());
            r.push(id.clone());
            r.push(upn.clone());
            r.push(ip.clone().unwrap_or_default());
            if current {
                // Home tenant columns stay empty: the events do not model cross-tenant actors.
                r.extend(std::iter::repeat_n(String::new(), 4));
            }
        }
        Actor::App {
            display_name,
            service_principal_id,
            ..
        } => {
            r.push("App".to_owned());
            r.push(display_name.clone());
            r.push(service_principal_id.clone());
            r.push(String::new());
            r.push(String::new());
            if current {
                r.push(String::new());
                r.push(String::new());
                r.push(service_principal_id.clone());
                r.push(display_name.clone());
            }
        }
    }
    for i in 0..CSV_TARGETS {
        match e.targets.get(i) {
            Some(t) => {
                r.push(t.kind.clone());
                r.push(t.display_name.clone().unwrap_or_default());
                r.push(t.id.clone());
                r.push(t.upn.clone().unwrap_or_default());
                for p in 0..CSV_PROPERTIES {
                    match t.modified_properties.get(p) {
                        Some((name, old, new)) => {
                            r.push(name.clone());
                            r.push(old.clone());
                            r.push(new.clone());
                        }
                        None => r.extend(std::iter::repeat_n(String::new(), 3)),
                    }
                }
            }
            None => r.extend(std::iter::repeat_n(String::new(), 4 + 3 * CSV_PROPERTIES)),
        }
    }
    for d in 0..CSV_DETAILS {
        match e.additional_details.get(d) {
            Some((k, v)) => {
                r.push(k.clone());
                r.push(v.clone());
            }
            None => r.extend(std::iter::repeat_n(String::new(), 2)),
        }
    }
    r
}

/// One row of the current 86-column portal CSV (for writers that stream rows themselves).
pub fn portal_row(e: &SynthAuditEvent) -> Vec<String> {
    portal_csv_row(e, PortalCsvLayout::Current86, z7(e.time))
}

/// Writes the portal "Download → CSV" file: newest record first, CRLF line ends.
pub fn write_portal_csv(
    events: &[SynthAuditEvent],
    path: &Path,
    opts: &PortalCsvOptions,
) -> io::Result<()> {
    // The portal quotes everything; the older layout and an Excel re-save quote only where needed.
    let quote = if opts.layout == PortalCsvLayout::Current86 && !opts.excel_dates {
        csv::QuoteStyle::Always
    } else {
        csv::QuoteStyle::Necessary
    };
    let mut rows = Vec::with_capacity(events.len() + 1);
    rows.push(portal_csv_header(opts.layout, &opts.date_header));
    for e in newest_first(events) {
        let date = if opts.excel_dates {
            excel_minute(e.time)
        } else {
            z7(e.time)
        };
        rows.push(portal_csv_row(e, opts.layout, date));
    }
    let text = csv_text(&rows, quote, csv::Terminator::CRLF)?;
    fs::write(path, encode_text(&text, opts.encoding)?)
}

/// Writes the portal CSV table as an Excel workbook (sheet `AuditLogs`), the way it looks after an
/// administrator opened the CSV in Excel and saved it as `.xlsx`: dates are real date-time cells.
pub fn write_portal_xlsx(events: &[SynthAuditEvent], path: &Path) -> io::Result<()> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

    let mut workbook = Workbook::new();
    // A fixed creation time: the default (now) would make every run produce different bytes.
    let created = ExcelDateTime::from_ymd(2026, 11, 2)
        .and_then(|d| d.and_hms(9, 0, 0))
        .map_err(xlsx_error)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));

    let date_format = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let sheet = workbook.add_worksheet();
    sheet.set_name("AuditLogs").map_err(xlsx_error)?;
    let header = portal_csv_header(PortalCsvLayout::Current86, "Date (UTC)");
    for (c, name) in header.iter().enumerate() {
        sheet
            .write_string(0, col(c)?, name.as_str())
            .map_err(xlsx_error)?;
    }
    sheet.set_column_width(0, 19).map_err(xlsx_error)?;
    for (i, e) in newest_first(events).into_iter().enumerate() {
        let row =
            u32::try_from(i + 1).map_err(|_| io::Error::other("too many rows for a worksheet"))?;
        sheet
            .write_number_with_format(row, 0, excel_serial(e.time), &date_format)
            .map_err(xlsx_error)?;
        let cells = portal_csv_row(e, PortalCsvLayout::Current86, String::new());
        for (c, value) in cells.iter().enumerate().skip(1) {
            if !value.is_empty() {
                sheet
                    .write_string(row, col(c)?, value.as_str())
                    .map_err(xlsx_error)?;
            }
        }
    }
    workbook.save(path).map_err(xlsx_error)
}

fn col(c: usize) -> io::Result<u16> {
    u16::try_from(c).map_err(|_| io::Error::other("too many columns for a worksheet"))
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> io::Error {
    io::Error::other(e.to_string())
}

/// Excel serial date (days since 1899-12-30) with millisecond precision, as Excel stores a
/// date-time typed into a cell.
fn excel_serial(t: DateTime<Utc>) -> f64 {
    t.timestamp_millis() as f64 / 86_400_000.0 + 25_569.0
}

// ---------------------------------------------------------------------------------------------
// Portal JSON, Graph, Event Hub
// ---------------------------------------------------------------------------------------------

/// Writes the portal "Download → JSON" file: Graph property names plus `userAgent`, newest first,
/// `activityDateTime` with `+00:00` and trailing zeros of the fraction dropped (the dump in
/// formats.md §1.3 shows `2022-06-27T10:03:43.009984+00:00`), pretty-printed.
pub fn write_portal_json(
    events: &[SynthAuditEvent],
    path: &Path,
    envelope: JsonEnvelope,
) -> io::Result<()> {
    let shape = GraphShape {
        time: TimeStyle::OffsetTrimmed,
        user_agent: UaStyle::EmptyWhenNone,
        both_initiators: false,
        administrative_units: false,
    };
    let items = J::Arr(
        newest_first(events)
            .into_iter()
            .map(|e| graph_object(e, shape))
            .collect(),
    );
    let doc = match envelope {
        JsonEnvelope::BareArray => items,
        JsonEnvelope::ValueWrapper => J::Obj(vec![("value", items)]),
    };
    let mut out = String::new();
    doc.pretty(&mut out, 0);
    fs::write(path, out)
}

/// Writes Graph `directoryAudits` list responses, `page_size` records per page, newest first, into
/// `dir` as `<stem>_page001.json`, `<stem>_page002.json`, …; every page but the last carries
/// `@odata.nextLink`. Returns the files written, in page order.
pub fn write_graph_pages(
    events: &[SynthAuditEvent],
    dir: &Path,
    stem: &str,
    page_size: usize,
) -> io::Result<Vec<PathBuf>> {
    if page_size == 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "page_size must be at least 1",
        ));
    }
    fs::create_dir_all(dir)?;
    let shape = GraphShape {
        time: TimeStyle::Z7,
        user_agent: UaStyle::Omit, // userAgent is beta-only; these pages are v1.0
        both_initiators: true,
        administrative_units: false,
    };
    let ordered = newest_first(events);
    let pages: Vec<&[&SynthAuditEvent]> = if ordered.is_empty() {
        vec![&ordered[..]]
    } else {
        ordered.chunks(page_size).collect()
    };
    let mut written = Vec::with_capacity(pages.len());
    for (i, page) in pages.iter().enumerate() {
        let mut fields = vec![
            ("@odata.context", J::str(GRAPH_CONTEXT)),
            (
                "value",
                J::Arr(page.iter().map(|e| graph_object(e, shape)).collect()),
            ),
        ];
        if let Some(next) = pages.get(i + 1).and_then(|p| p.first()) {
            // A skiptoken derived from the next page's first record: opaque but deterministic.
            let token = format!(
                "{:016x}{:016x}",
                fnv1a(next.id.as_bytes()),
                fnv1a(stem.as_bytes())
            );
            fields.push((
                "@odata.nextLink",
                J::Str(format!(
                    "{GRAPH_ENDPOINT}?$top={page_size}&$skiptoken={token}"
                )),
            ));
        }
        let mut out = String::new();
        J::Obj(fields).compact(&mut out);
        let path = dir.join(format!("{stem}_page{:03}.json", i + 1));
        fs::write(&path, out)?;
        written.push(path);
    }
    Ok(written)
}

/// Writes one Graph `directoryAudit` object per line (oldest first), as a paging script that
/// appends each record to a file produces; includes the beta `userAgent` property.
pub fn write_graph_ndjson(events: &[SynthAuditEvent], path: &Path) -> io::Result<()> {
    let shape = GraphShape {
        time: TimeStyle::Z7,
        user_agent: UaStyle::NullWhenNone,
        both_initiators: true,
        administrative_units: false,
    };
    let mut out = String::new();
    for e in oldest_first(events) {
        graph_object(e, shape).compact(&mut out);
        out.push('\n');
    }
    fs::write(path, out)
}

/// Writes diagnostic-settings records (Event Hub / storage account), one JSON object per line,
/// oldest first: the Azure Monitor envelope with the Graph shape under `properties`.
pub fn write_event_hub(events: &[SynthAuditEvent], path: &Path) -> io::Result<()> {
    let shape = GraphShape {
        time: TimeStyle::Offset7,
        user_agent: UaStyle::NullWhenNone,
        both_initiators: true,
        administrative_units: true,
    };
    let resource_id = format!("/tenants/{TENANT_ID}/providers/Microsoft.aadiam");
    let mut out = String::new();
    for e in oldest_first(events) {
        let mut fields = vec![
            ("time", J::Str(z7(e.time))),
            ("resourceId", J::str(&resource_id)),
            ("operationName", J::str(&e.activity)),
            ("operationVersion", J::str("1.0")),
            ("category", J::str("AuditLogs")),
            ("tenantId", J::str(TENANT_ID)),
            ("resultSignature", J::str("None")),
            ("durationMs", J::Int(0)),
        ];
        if let Actor::User { ip: Some(ip), .. } = &e.actor {
            fields.push(("callerIpAddress", J::str(ip)));
        }
        fields.push(("correlationId", J::str(&e.correlation_id)));
        fields.push(("identity", J::str(identity_name(&e.actor))));
        fields.push(("Level", J::Int(4)));
        fields.push(("properties", graph_object(e, shape)));
        J::Obj(fields).compact(&mut out);
        out.push('\n');
    }
    fs::write(path, out)
}

// ---------------------------------------------------------------------------------------------
// Log Analytics
// ---------------------------------------------------------------------------------------------

/// `AuditLogs` columns in the order Log Analytics lists them; `true` marks datetime columns
/// (the portal export suffixes their header with ` [UTC]`).
const LA_COLUMNS: [(&str, bool); 30] = [
    ("TenantId", false),
    ("SourceSystem", false),
    ("TimeGenerated", true),
    ("ResourceId", false),
    ("OperationName", false),
    ("OperationVersion", false),
    ("Category", false),
    ("ResultType", false),
    ("ResultSignature", false),
    ("ResultDescription", false),
    ("DurationMs", false),
    ("CorrelationId", false),
    ("Resource", false),
    ("ResourceGroup", false),
    ("ResourceProvider", false),
    ("Identity", false),
    ("Level", false),
    ("Location", false),
    ("AdditionalDetails", false),
    ("Id", false),
    ("InitiatedBy", false),
    ("LoggedByService", false),
    ("Result", false),
    ("ResultReason", false),
    ("TargetResources", false),
    ("AADTenantId", false),
    ("ActivityDisplayName", false),
    ("ActivityDateTime", true),
    ("AADOperationType", false),
    ("Type", false),
];

/// One `AuditLogs` cell value, before rendering.
enum LaValue {
    Text(String),
    Time(DateTime<Utc>),
    Int(i64),
}

/// The `AuditLogs` row of one event, in [`LA_COLUMNS`] order.
fn la_row(e: &SynthAuditEvent) -> Vec<LaValue> {
    use LaValue::{Int, Text, Time};
    // The step text of the SSPR flow-progress records shows up in ResultDescription (the column
    // Sentinel rules match on), the reasons of all other records in ResultReason (the column
    // other public queries aggregate): a parser has to read both.
    let (description, reason) = if e.activity == PROGRESS_ACTIVITY {
        (e.reason.clone(), String::new())
    } else {
        (String::new(), e.reason.clone())
    };
    let mut initiated = String::new();
    initiated_by(&e.actor, false).compact(&mut initiated);
    let mut targets = String::new();
    J::Arr(e.targets.iter().map(|t| target_object(t, false)).collect()).compact(&mut targets);
    let mut details = String::new();
    details_array(e).compact(&mut details);
    vec![
        Text(WORKSPACE_ID.to_owned()),
        Text("Azure AD".to_owned()),
        Time(e.time),
        Text(format!("/tenants/{TENANT_ID}/providers/Microsoft.aadiam")),
        Text(e.activity.clone()),
        Text("1.0".to_owned()),
        Text(e.category.clone()),
        Text(capitalized(&e.result)),
        Text("None".to_owned()),
        Text(description),
        Int(0),
        Text(e.correlation_id.clone()),
        Text("Microsoft.aadiam".to_owned()),
        Text("Microsoft.aadiam".to_owned()),
        Text("Microsoft.aadiam".to_owned()),
        Text(identity_name(&e.actor).to_owned()),
        Text("4".to_owned()),
        Text(String::new()),
        Text(details),
        Text(e.id.clone()),
        Text(initiated),
        Text(e.service.clone()),
        Text(e.result.clone()),
        Text(reason),
        Text(targets),
        Text(TENANT_ID.to_owned()),
        Text(e.activity.clone()),
        Time(e.time),
        Text(e.operation_type.clone()),
        Text("AuditLogs".to_owned()),
    ]
}

/// Writes the Azure portal Log Analytics "Export to CSV (all columns)" file of an `AuditLogs`
/// query: UTF-8 with BOM, `TimeGenerated [UTC]` style headers, en-US times
/// (`10/3/2026, 9:15:00.123 AM`), dynamic columns as JSON text, newest first.
pub fn write_log_analytics_csv(events: &[SynthAuditEvent], path: &Path) -> io::Result<()> {
    let mut rows = Vec::with_capacity(events.len() + 1);
    rows.push(
        LA_COLUMNS
            .iter()
            .map(|(name, is_time)| {
                if *is_time {
                    format!("{name} [UTC]")
                } else {
                    (*name).to_owned()
                }
            })
            .collect::<Vec<_>>(),
    );
    for e in newest_first(events) {
        rows.push(
            la_row(e)
                .into_iter()
                .map(|v| match v {
                    LaValue::Text(s) => s,
                    LaValue::Time(t) => la_portal_time(t),
                    LaValue::Int(n) => n.to_string(),
                })
                .collect(),
        );
    }
    let text = csv_text(&rows, csv::QuoteStyle::Necessary, csv::Terminator::CRLF)?;
    fs::write(path, encode_text(&text, TextEncoding::Utf8Bom)?)
}

/// Writes `AuditLogs` rows as the Log Analytics query API returns them: a JSON array of objects
/// with PascalCase column names, datetimes as ISO 8601 `Z`, dynamic columns as JSON *strings*;
/// oldest first, one row per line.
pub fn write_log_analytics_json(events: &[SynthAuditEvent], path: &Path) -> io::Result<()> {
    let mut out = String::from("[");
    for (i, e) in oldest_first(events).into_iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        let fields = LA_COLUMNS
            .iter()
            .zip(la_row(e))
            .map(|((name, _), v)| {
                let value = match v {
                    LaValue::Text(s) => J::Str(s),
                    LaValue::Time(t) => J::Str(z7(t)),
                    LaValue::Int(n) => J::Int(n),
                };
                (*name, value)
            })
            .collect();
        J::Obj(fields).compact(&mut out);
    }
    out.push_str("\n]\n");
    fs::write(path, out)
}

// ---------------------------------------------------------------------------------------------
// Graph object shape
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TimeStyle {
    /// `2026-10-03T09:15:00.1234567Z` (Graph)
    Z7,
    /// `2026-10-03T09:15:00.1234567+00:00` (Event Hub `properties`)
    Offset7,
    /// `2026-10-03T09:15:00.123456+00:00`, trailing zeros dropped (portal JSON download)
    OffsetTrimmed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UaStyle {
    /// No `userAgent` property (Graph v1.0).
    Omit,
    /// `"userAgent": null` when unknown (Graph beta, Event Hub).
    NullWhenNone,
    /// `"userAgent": ""` when unknown (portal download).
    EmptyWhenNone,
}

#[derive(Debug, Clone, Copy)]
struct GraphShape {
    time: TimeStyle,
    user_agent: UaStyle,
    /// `initiatedBy` with both `app` and `user` (the absent one `null`), else only the present one.
    both_initiators: bool,
    /// Targets carry `administrativeUnits: []` (Event Hub payloads do).
    administrative_units: bool,
}

fn graph_object(e: &SynthAuditEvent, shape: GraphShape) -> J {
    let time = match shape.time {
        TimeStyle::Z7 => z7(e.time),
        TimeStyle::Offset7 => offset7(e.time),
        TimeStyle::OffsetTrimmed => offset_trimmed(e.time),
    };
    let mut fields = vec![
        ("id", J::str(&e.id)),
        ("category", J::str(&e.category)),
        ("correlationId", J::str(&e.correlation_id)),
        ("result", J::str(&e.result)),
        ("resultReason", J::str(&e.reason)),
        ("activityDisplayName", J::str(&e.activity)),
        ("activityDateTime", J::Str(time)),
        ("loggedByService", J::str(&e.service)),
        ("operationType", J::str(&e.operation_type)),
        ("initiatedBy", initiated_by(&e.actor, shape.both_initiators)),
    ];
    match shape.user_agent {
        UaStyle::Omit => {}
        UaStyle::NullWhenNone => fields.push(("userAgent", J::opt(e.user_agent.as_deref()))),
        UaStyle::EmptyWhenNone => {
            fields.push(("userAgent", J::str(e.user_agent.as_deref().unwrap_or(""))));
        }
    }
    fields.push((
        "targetResources",
        J::Arr(
            e.targets
                .iter()
                .map(|t| target_object(t, shape.administrative_units))
                .collect(),
        ),
    ));
    fields.push(("additionalDetails", details_array(e)));
    J::Obj(fields)
}

fn initiated_by(actor: &Actor, both: bool) -> J {
    let (app, user) = match actor {
        Actor::User {
            id,
            upn,
            display_name,
            ip,
        } => (
            None,
            Some(J::Obj(vec![
                ("id", J::str(id)),
                ("displayName", J::opt(display_name.as_deref())),
                ("userPrincipalName", J::str(upn)),
                ("ipAddress", J::opt(ip.as_deref())),
                ("userType", J::Null),
                ("homeTenantId", J::Null),
                ("homeTenantName", J::Null),
            ])),
        ),
        Actor::App {
            app_id,
            display_name,
            service_principal_id,
        } => (
            Some(J::Obj(vec![
                ("appId", J::str(app_id)),
                ("displayName", J::str(display_name)),
                ("servicePrincipalId", J::str(service_principal_id)),
                ("servicePrincipalName", J::str(display_name)),
            ])),
            None,
        ),
    };
    if both {
        J::Obj(vec![
            ("app", app.unwrap_or(J::Null)),
            ("user", user.unwrap_or(J::Null)),
        ])
    } else {
        match (app, user) {
            (Some(a), _) => J::Obj(vec![("app", a)]),
            (None, Some(u)) => J::Obj(vec![("user", u)]),
            (None, None) => J::Obj(Vec::new()),
        }
    }
}

fn target_object(t: &Target, administrative_units: bool) -> J {
    let mut fields = vec![
        ("id", J::str(&t.id)),
        ("displayName", J::opt(t.display_name.as_deref())),
        ("type", J::str(&t.kind)),
        ("userPrincipalName", J::opt(t.upn.as_deref())),
        ("groupType", J::Null),
        (
            "modifiedProperties",
            J::Arr(
                t.modified_properties
                    .iter()
                    .map(|(name, old, new)| {
                        J::Obj(vec![
                            ("displayName", J::str(name)),
                            ("oldValue", J::empty_null(old)),
                            ("newValue", J::empty_null(new)),
                        ])
                    })
                    .collect(),
            ),
        ),
    ];
    if administrative_units {
        fields.push(("administrativeUnits", J::Arr(Vec::new())));
    }
    J::Obj(fields)
}

fn details_array(e: &SynthAuditEvent) -> J {
    J::Arr(
        e.additional_details
            .iter()
            .map(|(k, v)| J::Obj(vec![("key", J::str(k)), ("value", J::str(v))]))
            .collect(),
    )
}

/// The name Azure Monitor puts in `identity` / `Identity`.
fn identity_name(actor: &Actor) -> &str {
    match actor {
        Actor::User {
            upn, display_name, ..
        } => display_name.as_deref().unwrap_or(upn),
        Actor::App { display_name, .. } => display_name,
    }
}

// ---------------------------------------------------------------------------------------------
// Small helpers: ordering, times, CSV, encodings, JSON
// ---------------------------------------------------------------------------------------------

/// Events newest first (portal downloads, Graph default order), ties by id descending.
fn newest_first(events: &[SynthAuditEvent]) -> Vec<&SynthAuditEvent> {
    let mut v = oldest_first(events);
    v.reverse();
    v
}

/// Events oldest first, ties by id.
fn oldest_first(events: &[SynthAuditEvent]) -> Vec<&SynthAuditEvent> {
    let mut v: Vec<&SynthAuditEvent> = events.iter().collect();
    v.sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.id.cmp(&b.id)));
    v
}

/// The 100-ns tick fraction, 7 digits.
fn ticks7(t: DateTime<Utc>) -> String {
    format!("{:07}", t.timestamp_subsec_nanos() / 100)
}

/// `2026-10-03T09:15:00.1234567Z`
pub fn z7(t: DateTime<Utc>) -> String {
    format!("{}.{}Z", t.format("%Y-%m-%dT%H:%M:%S"), ticks7(t))
}

/// `2026-10-03T09:15:00.1234567+00:00`
fn offset7(t: DateTime<Utc>) -> String {
    format!("{}.{}+00:00", t.format("%Y-%m-%dT%H:%M:%S"), ticks7(t))
}

/// `2026-10-03T09:15:00.12345+00:00`: 0–7 fraction digits, trailing zeros dropped.
fn offset_trimmed(t: DateTime<Utc>) -> String {
    let ticks = ticks7(t);
    let fraction = ticks.trim_end_matches('0');
    if fraction.is_empty() {
        format!("{}+00:00", t.format("%Y-%m-%dT%H:%M:%S"))
    } else {
        format!("{}.{}+00:00", t.format("%Y-%m-%dT%H:%M:%S"), fraction)
    }
}

/// Japanese Excel's display of a date-time cell, which is what it writes back to CSV:
/// `2026/10/03 9:15` (seconds and fraction lost).
fn excel_minute(t: DateTime<Utc>) -> String {
    format!(
        "{}/{:02}/{:02} {}:{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute()
    )
}

/// en-US time of the Azure portal Log Analytics export: `10/3/2026, 9:15:00.123 AM`.
fn la_portal_time(t: DateTime<Utc>) -> String {
    let (pm, hour12) = t.hour12();
    format!(
        "{}/{}/{}, {}:{:02}:{:02}.{:03} {}",
        t.month(),
        t.day(),
        t.year(),
        hour12,
        t.minute(),
        t.second(),
        t.timestamp_subsec_millis(),
        if pm { "PM" } else { "AM" }
    )
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Renders rows as CSV text.
fn csv_text(
    rows: &[Vec<String>],
    quote: csv::QuoteStyle,
    terminator: csv::Terminator,
) -> io::Result<String> {
    let mut w = csv::WriterBuilder::new()
        .quote_style(quote)
        .terminator(terminator)
        .from_writer(Vec::new());
    for r in rows {
        w.write_record(r)?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// Encodes text as a file in `encoding` (BOM included where the encoding has one).
pub fn encode_text(text: &str, encoding: TextEncoding) -> io::Result<Vec<u8>> {
    Ok(match encoding {
        TextEncoding::Utf8 => text.as_bytes().to_vec(),
        TextEncoding::Utf8Bom => {
            let mut v = Vec::with_capacity(text.len() + 3);
            v.extend_from_slice(&[0xEF, 0xBB, 0xBF]);
            v.extend_from_slice(text.as_bytes());
            v
        }
        // encoding_rs only decodes UTF-16, so the code units are written by hand.
        TextEncoding::Utf16LeBom => {
            let mut v = vec![0xFF, 0xFE];
            text.encode_utf16()
                .for_each(|u| v.extend_from_slice(&u.to_le_bytes()));
            v
        }
        TextEncoding::Utf16BeBom => {
            let mut v = vec![0xFE, 0xFF];
            text.encode_utf16()
                .for_each(|u| v.extend_from_slice(&u.to_be_bytes()));
            v
        }
        TextEncoding::ShiftJis => {
            let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
            if unmappable {
                // encoding_rs would have written HTML numeric references: refuse rather than
                // produce a fixture whose text silently differs from the events.
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "text contains characters that Shift_JIS cannot encode",
                ));
            }
            bytes.into_owned()
        }
    })
}

/// A JSON value whose objects keep their key order.
enum J {
    Null,
    Int(i64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(&'static str, J)>),
}

impl J {
    fn str(s: &str) -> J {
        J::Str(s.to_owned())
    }

    fn opt(s: Option<&str>) -> J {
        s.map_or(J::Null, J::str)
    }

    /// Modified-property values: an empty string stands for `null`.
    fn empty_null(s: &str) -> J {
        if s.is_empty() { J::Null } else { J::str(s) }
    }

    fn compact(&self, out: &mut String) {
        match self {
            J::Null => out.push_str("null"),
            J::Int(n) => out.push_str(&n.to_string()),
            J::Str(s) => escape_into(s, out),
            J::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.compact(out);
                }
                out.push(']');
            }
            J::Obj(fields) => {
                out.push('{');
                for (i, (key, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    escape_into(key, out);
                    out.push(':');
                    value.compact(out);
                }
                out.push('}');
            }
        }
    }

    /// Two-space indented rendering (the layout of `JSON.stringify(x, null, 2)`).
    fn pretty(&self, out: &mut String, level: usize) {
        match self {
            J::Arr(items) if !items.is_empty() => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    out.push_str(if i > 0 { ",\n" } else { "\n" });
                    indent(out, level + 1);
                    item.pretty(out, level + 1);
                }
                out.push('\n');
                indent(out, level);
                out.push(']');
            }
            J::Obj(fields) if !fields.is_empty() => {
                out.push('{');
                for (i, (key, value)) in fields.iter().enumerate() {
                    out.push_str(if i > 0 { ",\n" } else { "\n" });
                    indent(out, level + 1);
                    escape_into(key, out);
                    out.push_str(": ");
                    value.pretty(out, level + 1);
                }
                out.push('\n');
                indent(out, level);
                out.push('}');
            }
            other => other.compact(out),
        }
    }
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

/// Writes `s` as a JSON string literal (non-ASCII kept as UTF-8, as Graph does).
fn escape_into(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}
