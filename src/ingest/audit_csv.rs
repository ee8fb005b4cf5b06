//! Audit logs as tables: the portal "Download → CSV" (86 columns today, shorter older layouts,
//! a localized `… (UTC)` date header), the Log Analytics "Export to CSV" of `AuditLogs`
//! (`TimeGenerated [UTC]`, JSON text in `InitiatedBy`/`TargetResources`/`AdditionalDetails`),
//! and the same tables inside a worksheet. Columns are bound by header name, never position.

use crate::ingest::audit_json::{self, Nested};
use crate::ingest::record::FieldValues;
use crate::ingest::timestamp::{self, DayOrder};
use crate::model::audit::{Relevance, relevance};

/// Which table layout a header belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableDialect {
    /// Portal download; `columns` = header width; `date_header` as written.
    Portal { columns: usize, date_header: String },
    /// Log Analytics `AuditLogs` export.
    LogAnalytics,
}

impl TableDialect {
    /// Human name for `inspect`.
    pub fn label(&self) -> String {
        match self {
            TableDialect::Portal {
                columns,
                date_header,
            } => {
                let layout = if *columns == 86 {
                    "current 86-column layout".to_string()
                } else {
                    format!("older {columns}-column layout")
                };
                if date_header.eq_ignore_ascii_case("Date (UTC)") {
                    format!("portal audit CSV, {layout}")
                } else {
                    format!("portal audit CSV, {layout}, date header '{date_header}'")
                }
            }
            TableDialect::LogAnalytics => "Log Analytics AuditLogs CSV".into(),
        }
    }
}

/// Column positions of one header.
#[derive(Debug, Clone)]
pub struct Binding {
    /// Detected layout.
    pub dialect: TableDialect,
    /// Number of header columns.
    pub width: usize,
    /// How `a/b/yyyy` dates of this table read (decided per file by the reader).
    pub day_order: DayOrder,
    time: usize,
    time_fallback: Option<usize>,
    service: usize,
    activity: usize,
    result: Option<usize>,
    result_type: Option<usize>,
    reason: Option<usize>,
    description: Option<usize>,
    correlation: Option<usize>,
    id: Option<usize>,
    actor_upn: Option<usize>,
    ip: Option<usize>,
    initiated_by: Option<usize>,
    targets: Vec<(Option<usize>, usize)>,
    target_resources: Option<usize>,
    details: Vec<(usize, usize)>,
    additional_details: Option<usize>,
}

/// Header text reduced to a comparable key: trimmed, no BOM, lower case, without the
/// ` [UTC]` suffix Log Analytics adds to time columns.
fn header_key(h: &str) -> String {
    let h = h
        .trim()
        .trim_start_matches('\u{feff}')
        .trim()
        .to_lowercase();
    let h = h
        .strip_suffix("[utc]")
        .map(str::trim_end)
        .unwrap_or(&h)
        .to_string();
    h.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Binds a header row, or `None` when it is not an audit table.
pub fn bind(headers: &[String]) -> Option<Binding> {
    let keys: Vec<String> = headers.iter().map(|h| header_key(h)).collect();
    let find = |names: &[&str]| keys.iter().position(|k| names.iter().any(|n| k == n));
    let service = find(&["service", "loggedbyservice"])?;
    let activity = find(&["activity", "activitydisplayname", "operationname"])?;
    let portal_date = keys
        .iter()
        .position(|k| k.ends_with("(utc)") && k.len() > 5)
        .or_else(|| find(&["date", "activity date", "activitydatetime"]));
    let la_time = find(&["activitydatetime"]);
    let la_generated = find(&["timegenerated"]);
    let is_la = find(&["operationname"]).is_some() || la_generated.is_some();
    let (dialect, time, time_fallback) = if is_la {
        let time = la_time.or(la_generated)?;
        (
            TableDialect::LogAnalytics,
            time,
            la_generated.filter(|g| *g != time),
        )
    } else {
        let time = portal_date?;
        let date_header = headers[time]
            .trim()
            .trim_start_matches('\u{feff}')
            .trim()
            .to_string();
        (
            TableDialect::Portal {
                columns: headers.len(),
                date_header,
            },
            time,
            None,
        )
    };
    let mut targets = Vec::new();
    for n in 1..=9 {
        if let Some(upn) = find(&[&format!("target{n}userprincipalname")]) {
            targets.push((find(&[&format!("target{n}type")]), upn));
        }
    }
    let mut details = Vec::new();
    for n in 1..=20 {
        if let (Some(k), Some(v)) = (
            find(&[&format!("additionaldetail{n}key")]),
            find(&[&format!("additionaldetail{n}value")]),
        ) {
            details.push((k, v));
        }
    }
    Some(Binding {
        dialect,
        width: headers.len(),
        day_order: DayOrder::default(),
        time,
        time_fallback,
        service,
        activity,
        result: find(&["result", "status"]),
        result_type: find(&["resulttype"]),
        reason: find(&["resultreason", "status reason", "activity status reason"]),
        description: find(&["resultdescription"]),
        correlation: find(&["correlationid", "correlation id"]),
        id: find(&["id"]),
        actor_upn: find(&["actoruserprincipalname"]),
        // Localized portals translate only the date header (formats.md §1.2); the spaced and
        // Japanese spellings are taken too, as a header bound by name costs nothing to widen.
        ip: find(&["ipaddress", "ip address", "ipアドレス", "ip アドレス"]),
        initiated_by: find(&["initiatedby"]),
        targets,
        target_resources: find(&["targetresources"]),
        details,
        additional_details: find(&["additionaldetails"]),
    })
}

/// Read access to one data row, whatever it came from (CSV bytes or worksheet cells).
pub trait Row {
    /// Number of fields.
    fn width(&self) -> usize;
    /// Field `i` as text; `Err` names the field when it is not valid UTF-8.
    fn text(&self, i: usize) -> Result<&str, String>;
}

/// Field `i`'s bytes as text, or the reason a row is rejected when they are not UTF-8.
pub fn field_text(bytes: &[u8], i: usize) -> Result<&str, String> {
    std::str::from_utf8(bytes).map_err(|_| {
        format!(
            "field {} is not valid UTF-8 (was the file saved in another encoding?)",
            i + 1
        )
    })
}

impl Row for csv::ByteRecord {
    fn width(&self) -> usize {
        self.len()
    }
    fn text(&self, i: usize) -> Result<&str, String> {
        field_text(self.get(i).unwrap_or_default(), i)
    }
}

impl Row for Vec<std::rc::Rc<str>> {
    fn width(&self) -> usize {
        self.len()
    }
    fn text(&self, i: usize) -> Result<&str, String> {
        Ok(self.get(i).map(|c| &**c).unwrap_or(""))
    }
}

impl Row for Vec<String> {
    fn width(&self) -> usize {
        self.len()
    }
    fn text(&self, i: usize) -> Result<&str, String> {
        Ok(self.get(i).map(String::as_str).unwrap_or(""))
    }
}

fn opt<R: Row>(row: &R, i: Option<usize>) -> Result<Option<String>, String> {
    match i {
        Some(i) => {
            let v = row.text(i)?.trim();
            Ok((!v.is_empty()).then(|| v.to_string()))
        }
        None => Ok(None),
    }
}

impl Binding {
    /// Service and activity of a row: enough to decide relevance before anything else is read.
    pub fn relevance<R: Row>(&self, row: &R) -> Result<Relevance, String> {
        if row.width() != self.width {
            return Err(format!(
                "row has {} fields but the header has {} (cut off, or a quote out of place)",
                row.width(),
                self.width
            ));
        }
        self.first_fields_relevance(row)
    }

    /// Service and activity of a row known to be of the header's width (from its first
    /// fields only).
    pub fn first_fields_relevance<R: Row>(&self, row: &R) -> Result<Relevance, String> {
        Ok(relevance(row.text(self.service)?, row.text(self.activity)?))
    }

    /// The columns a row of another service is read for: time, service and activity.
    pub fn first_columns(&self) -> [usize; 3] {
        [self.time, self.service, self.activity]
    }

    /// The row's time (for coverage of rows that are not otherwise read).
    pub fn time<R: Row>(&self, row: &R) -> Option<chrono::DateTime<chrono::Utc>> {
        row.text(self.time)
            .ok()
            .and_then(|t| timestamp::parse_utc_ordered(t, self.day_order))
    }

    /// Column of the event time.
    pub fn time_column(&self) -> usize {
        self.time
    }

    /// All values of a relevant row.
    pub fn fields<R: Row>(&self, row: &R) -> Result<FieldValues, String> {
        let mut time = row.text(self.time)?.trim().to_string();
        if time.is_empty()
            && let Some(t) = opt(row, self.time_fallback)?
        {
            time = t;
        }
        let reason = match opt(row, self.reason)? {
            Some(r) => r,
            None => opt(row, self.description)?.unwrap_or_default(),
        };
        let result = match opt(row, self.result)? {
            Some(r) => r,
            None => opt(row, self.result_type)?.unwrap_or_default(),
        };
        let mut actor_upn = opt(row, self.actor_upn)?;
        let mut ip = opt(row, self.ip)?;
        if actor_upn.is_none() || ip.is_none() {
            let initiated_by = from_json_column(row, self.initiated_by, Nested::InitiatedBy)?;
            let initiated_by = initiated_by.as_ref();
            actor_upn = actor_upn.or_else(|| initiated_by.and_then(audit_json::actor_upn));
            ip = ip.or_else(|| initiated_by.and_then(audit_json::actor_ip));
        }
        let mut target_upn = None;
        for (kind, upn) in &self.targets {
            let kind = opt(row, *kind)?.unwrap_or_default();
            if !kind.is_empty() && !kind.eq_ignore_ascii_case("user") {
                continue;
            }
            if let Some(u) = opt(row, Some(*upn))? {
                target_upn = Some(u);
                break;
            }
        }
        if target_upn.is_none() {
            target_upn = from_json_column(row, self.target_resources, Nested::TargetResources)?
                .as_ref()
                .and_then(audit_json::target_upn);
        }
        let mut onprem_agent = None;
        for (k, v) in &self.details {
            if row.text(*k)?.trim().eq_ignore_ascii_case("OnPremisesAgent") {
                onprem_agent = opt(row, Some(*v))?;
                break;
            }
        }
        if onprem_agent.is_none() {
            onprem_agent =
                from_json_column(row, self.additional_details, Nested::AdditionalDetails)?
                    .as_ref()
                    .and_then(audit_json::onprem_agent);
        }
        Ok(FieldValues {
            id: opt(row, self.id)?,
            time,
            service: row.text(self.service)?.to_string(),
            activity: row.text(self.activity)?.to_string(),
            result,
            reason,
            correlation_id: opt(row, self.correlation)?.unwrap_or_default(),
            actor_upn,
            target_upn,
            ip,
            onprem_agent,
            day_order: self.day_order,
        })
    }
}

/// The parts fields are taken from of a column holding JSON text (Log Analytics dynamic
/// columns); `None` where the column is absent, blank or not JSON.
fn from_json_column<R: Row>(
    row: &R,
    column: Option<usize>,
    nested: Nested,
) -> Result<Option<serde_json::Value>, String> {
    Ok(opt(row, column)?.and_then(|text| nested.read_text(&text)))
}

/// Picks the field separator of a header line: the one of `,`, tab and `;` that occurs most
/// outside quotes.
pub fn detect_delimiter(header_line: &str) -> u8 {
    let (mut comma, mut tab, mut semi, mut quoted) = (0, 0, 0, false);
    for c in header_line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => comma += 1,
            '\t' if !quoted => tab += 1,
            ';' if !quoted => semi += 1,
            _ => {}
        }
    }
    if tab > comma && tab >= semi {
        b'\t'
    } else if semi > comma {
        b';'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn binds_portal_and_localized_headers() {
        let h = strings(&[
            "\u{feff}日付 (UTC)",
            "CorrelationId",
            "Service",
            "Category",
            "Activity",
            "Result",
            "ResultReason",
            "ActorUserPrincipalName",
            "IPAddress",
            "Target1Type",
            "Target1UserPrincipalName",
            "AdditionalDetail1Key",
            "AdditionalDetail1Value",
        ]);
        let b = bind(&h).expect("binds");
        assert!(
            matches!(&b.dialect, TableDialect::Portal { date_header, .. } if date_header == "日付 (UTC)")
        );
        let row = strings(&[
            "2026-10-03T09:15:00Z",
            "C1",
            "Self-service Password Management",
            "UserManagement",
            "Reset password (by admin)",
            "success",
            "Successfully completed reset. ",
            "admin@x.jp",
            " 203.0.113.10 ",
            "User",
            "u@x.jp",
            "OnPremisesAgent",
            "None",
        ]);
        assert_eq!(b.relevance(&row), Ok(Relevance::Flow));
        let f = b.fields(&row).expect("fields");
        assert_eq!(f.target_upn.as_deref(), Some("u@x.jp"));
        assert_eq!(f.onprem_agent.as_deref(), Some("None"));
        assert_eq!(f.reason, "Successfully completed reset.");
        assert_eq!(f.ip.as_deref(), Some("203.0.113.10"));
    }

    #[test]
    fn binds_log_analytics() {
        let h = strings(&[
            "TenantId",
            "TimeGenerated [UTC]",
            "ActivityDateTime [UTC]",
            "OperationName",
            "LoggedByService",
            "Result",
            "ResultReason",
            "ResultDescription",
            "CorrelationId",
            "Id",
            "InitiatedBy",
            "TargetResources",
            "AdditionalDetails",
        ]);
        let b = bind(&h).expect("binds");
        assert_eq!(b.dialect, TableDialect::LogAnalytics);
        let row = strings(&[
            "t",
            "10/3/2026, 9:15:02.000 AM",
            "10/3/2026, 9:15:00.000 AM",
            "Self-service password reset flow activity progress",
            "Self-service Password Management",
            "success",
            "",
            "User submitted their user ID",
            "c1",
            "SSPR_1",
            r#"{"user":{"userPrincipalName":"a@x.jp","ipAddress":"198.51.100.4"}}"#,
            r#"[{"type":"User","userPrincipalName":"a@x.jp"}]"#,
            "[]",
        ]);
        let f = b.fields(&row).expect("fields");
        assert_eq!(f.time, "10/3/2026, 9:15:00.000 AM");
        assert_eq!(f.reason, "User submitted their user ID");
        assert_eq!(f.actor_upn.as_deref(), Some("a@x.jp"));
        assert_eq!(
            f.ip.as_deref(),
            Some("198.51.100.4"),
            "from InitiatedBy's JSON text"
        );
    }

    #[test]
    fn rejects_other_tables_and_ragged_rows() {
        assert!(bind(&strings(&["User principal name", "Licenses"])).is_none());
        let b = bind(&strings(&["Date (UTC)", "Service", "Activity"])).expect("binds");
        assert!(b.relevance(&strings(&["x", "y"])).is_err());
        assert_eq!(detect_delimiter("a;b;c"), b';');
        assert_eq!(detect_delimiter("\"a,b\"\tc\td"), b'\t');
    }
}
