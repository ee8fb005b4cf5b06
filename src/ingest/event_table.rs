//! Event logs as tables: Event Viewer "Save as CSV / Text (tab delimited)" — five named columns
//! (English or Japanese) and an unheaded sixth one holding the message — and PowerShell
//! `Get-WinEvent | Export-Csv` (`Message`, `Id`, `ProviderName`, `TimeCreated`, …; with or
//! without the `#TYPE` line). Times are local to the exporting machine, without a zone.

use super::audit_csv::Row;
use super::timestamp::{self, DayOrder};
use super::{EventFields, Sink};

/// Which export a header belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventTableKind {
    /// Event Viewer CSV/TXT.
    Viewer,
    /// PowerShell `Export-Csv` of `Get-WinEvent`.
    PowerShell,
}

/// Column positions of an event table.
#[derive(Debug, Clone)]
pub struct EventBinding {
    /// Kind of export.
    pub kind: EventTableKind,
    /// Named header columns.
    pub width: usize,
    /// Whether the header is Japanese (for `inspect`).
    pub japanese: bool,
    /// Order of `a/b/yyyy` dates.
    pub day_order: DayOrder,
    time: usize,
    source: usize,
    id: usize,
    message: usize,
    computer: Option<usize>,
    record_id: Option<usize>,
}

fn key(h: &str) -> String {
    h.trim()
        .trim_start_matches('\u{feff}')
        .trim()
        .to_lowercase()
}

/// Binds an Event Viewer or PowerShell header, or `None`.
pub fn bind(headers: &[String]) -> Option<EventBinding> {
    let keys: Vec<String> = headers.iter().map(|h| key(h)).collect();
    let find = |names: &[&str]| keys.iter().position(|k| names.contains(&k.as_str()));
    if let (Some(message), Some(id), Some(source), Some(time)) = (
        find(&["message"]),
        find(&["id"]),
        find(&["providername"]),
        find(&["timecreated"]),
    ) {
        return Some(EventBinding {
            kind: EventTableKind::PowerShell,
            width: headers.len(),
            japanese: false,
            day_order: DayOrder::default(),
            time,
            source,
            id,
            message,
            computer: find(&["machinename"]),
            record_id: find(&["recordid"]),
        });
    }
    let level = find(&["level", "keywords", "レベル", "キーワード"])?;
    let time = find(&["date and time", "日付と時刻"])?;
    let source = find(&["source", "ソース"])?;
    let id = find(&["event id", "イベント id"])?;
    Some(EventBinding {
        kind: EventTableKind::Viewer,
        width: headers.len(),
        japanese: !keys[level].is_ascii(),
        day_order: DayOrder::default(),
        time,
        source,
        id,
        // The description is the one field after the named columns.
        message: headers.len(),
        computer: None,
        record_id: None,
    })
}

impl EventBinding {
    /// Human name for `inspect`.
    pub fn label(&self) -> String {
        match (self.kind, self.japanese) {
            (EventTableKind::PowerShell, _) => "PowerShell Get-WinEvent | Export-Csv".into(),
            (EventTableKind::Viewer, false) => "Event Viewer export (English headers)".into(),
            (EventTableKind::Viewer, true) => "Event Viewer export (Japanese headers)".into(),
        }
    }

    /// Column of the event time (for the day/month order check).
    pub fn time_column(&self) -> usize {
        self.time
    }

    /// Reads one row into the sink.
    pub(super) fn row<R: Row>(&self, sink: &mut Sink, row: &R, location: String) {
        let expected = match self.kind {
            EventTableKind::Viewer => self.width + 1,
            EventTableKind::PowerShell => self.width,
        };
        // Event Viewer leaves the description out when it is empty.
        let short_ok = self.kind == EventTableKind::Viewer && row.width() == self.width;
        if row.width() != expected && !short_ok {
            return sink.reject(
                location,
                format!("row has {} fields but the export has {expected} (cut off, or a quote out of place)", row.width()),
            );
        }
        let text = |i: usize| row.text(i).map(str::to_string);
        let values = (|| -> Result<EventFields, String> {
            let time_text = text(self.time)?;
            let time =
                timestamp::parse_ordered(&time_text, self.day_order).map(|p| sink.local_time(p));
            Ok(EventFields {
                time: Some(time.ok_or(time_text)),
                computer: self.computer.map(text).transpose()?,
                source: text(self.source)?,
                event_id: text(self.id)?,
                record_id: self
                    .record_id
                    .map(text)
                    .transpose()?
                    .and_then(|r| r.trim().parse().ok()),
                message: if self.message < row.width() {
                    text(self.message)?
                } else {
                    String::new()
                },
            })
        })();
        match values {
            Ok(fields) => sink.keep_event(fields, location),
            Err(reason) => sink.reject(location, reason),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn binds_every_header() {
        let en = bind(&s(&[
            "Level",
            "Date and Time",
            "Source",
            "Event ID",
            "Task Category",
        ]))
        .expect("en");
        assert_eq!(
            (en.kind, en.japanese, en.message),
            (EventTableKind::Viewer, false, 5)
        );
        let ja = bind(&s(&[
            "\u{feff}レベル",
            "日付と時刻",
            "ソース",
            "イベント ID",
            "タスクのカテゴリ",
        ]))
        .expect("ja");
        assert!(ja.japanese);
        let ps = bind(&s(&[
            "Message",
            "Id",
            "Version",
            "Qualifiers",
            "Level",
            "ProviderName",
            "MachineName",
            "TimeCreated",
            "RecordId",
        ]))
        .expect("ps");
        assert_eq!(ps.kind, EventTableKind::PowerShell);
        assert!(bind(&s(&["Date (UTC)", "Service", "Activity"])).is_none());
    }
}
