//! From ingested records to the model: duplicates removed, flows assembled, the period applied,
//! and every record read accounted for exactly once.

use crate::config::{Period, PeriodChoice};
use crate::ingest::{FileKind, Ingested};
use crate::model::audit::{AuditRecord, AuditResult, Relevance};
use crate::model::flow::{self, Flow};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// The input accounting identity: `records_read = used + out_of_scope + duplicate + rejected`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Accounting {
    /// Files read.
    pub files: u64,
    /// Records read.
    pub records_read: u64,
    /// Records that feed a number of the report.
    pub used: u64,
    /// Valid records that are not relevant, or lie outside the period.
    pub out_of_scope: u64,
    /// The same record seen again.
    pub duplicate: u64,
    /// Malformed records (listed in rejects.csv).
    pub rejected: u64,
}

impl Accounting {
    /// Whether the identity holds.
    pub fn balances(&self) -> bool {
        self.records_read == self.used + self.out_of_scope + self.duplicate + self.rejected
    }

    fn add(&mut self, other: &Accounting) {
        self.files += other.files;
        self.records_read += other.records_read;
        self.used += other.used;
        self.out_of_scope += other.out_of_scope;
        self.duplicate += other.duplicate;
        self.rejected += other.rejected;
    }
}

/// Final status of a kept record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Used,
    OutOfScope,
    Duplicate,
}

/// The model the metrics are computed from.
#[derive(Debug)]
pub struct Model {
    /// Reporting period.
    pub period: Period,
    /// Report time zone.
    pub tz: Tz,
    /// Relevant records (duplicates included; flows and registrations index into this).
    pub records: Vec<AuditRecord>,
    /// Flows whose date lies in the period, sorted by start time then CorrelationId.
    pub flows: Vec<Flow>,
    /// Successful registration records in the period, in time order.
    pub registrations: Vec<usize>,
    /// Whole-run accounting.
    pub accounting: Accounting,
    /// Accounting of each input file (same order as the ingest file list).
    pub file_accounting: Vec<Accounting>,
    /// First and last time of any audit record read (relevant or not).
    pub audit_span: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// Sort key that orders a flow's records the same way whatever the input order was.
fn record_order(r: &AuditRecord) -> (DateTime<Utc>, String, AuditResult, &str, &str) {
    (
        r.time,
        r.activity.to_lowercase(),
        r.result,
        r.reason.as_str(),
        r.id.as_deref().unwrap_or(""),
    )
}

/// Builds the model. `period` decides which flows are reported; with `FromData` the period is
/// the local dates from the first to the last audit record.
pub fn build(ingested: &mut Ingested, period: &PeriodChoice, tz: Tz) -> Model {
    let records = std::mem::take(&mut ingested.records);
    let audit_span = ingested
        .files
        .iter()
        .filter_map(|f| Some((f.first?, f.last?)))
        .reduce(|(a, b), (c, d)| (a.min(c), b.max(d)));
    let period = match period {
        PeriodChoice::Explicit(p) => p.clone(),
        PeriodChoice::FromData => match audit_span {
            Some((first, last)) => Period {
                from: first.with_timezone(&tz).date_naive(),
                to: last.with_timezone(&tz).date_naive(),
            },
            None => {
                let today = Utc::now().with_timezone(&tz).date_naive();
                Period {
                    from: today,
                    to: today,
                }
            }
        },
    };

    // 1. Duplicates: the same audit id, or the same content, seen earlier.
    let mut status = vec![Status::OutOfScope; records.len()];
    let mut ids = HashSet::new();
    let mut contents = HashSet::new();
    for (i, r) in records.iter().enumerate() {
        let id_seen =
            r.id.as_ref()
                .is_some_and(|id| !ids.insert(id.to_lowercase()));
        let content_seen = !contents.insert(r.content_key());
        if id_seen || content_seen {
            status[i] = Status::Duplicate;
        }
    }

    // 2. Flows: records grouped by CorrelationId; a group is a flow when it holds an SSPR activity.
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, r) in records.iter().enumerate() {
        if status[i] != Status::Duplicate
            && matches!(r.relevance, Relevance::Flow | Relevance::Evidence)
        {
            groups.entry(r.correlation_id.as_str()).or_default().push(i);
        }
    }
    let mut flows = Vec::new();
    for (corr, mut idx) in groups {
        if !idx.iter().any(|&i| records[i].relevance == Relevance::Flow) {
            continue; // evidence with no flow: stays out_of_scope
        }
        idx.sort_by(|&a, &b| record_order(&records[a]).cmp(&record_order(&records[b])));
        let refs: Vec<&AuditRecord> = idx.iter().map(|&i| &records[i]).collect();
        let Some(f) = flow::assemble(corr, &refs, &idx) else {
            continue;
        };
        if period.contains(f.started_at.with_timezone(&tz).date_naive()) {
            for &i in &f.records {
                status[i] = Status::Used;
            }
            flows.push(f);
        }
    }
    flows.sort_by(|a, b| (a.started_at, &a.correlation_id).cmp(&(b.started_at, &b.correlation_id)));

    // 3. Registrations: successful events inside the period.
    let mut registrations: Vec<usize> = (0..records.len())
        .filter(|&i| {
            let r = &records[i];
            status[i] != Status::Duplicate
                && r.relevance == Relevance::Registration
                && r.result == AuditResult::Success
                && period.contains(r.time.with_timezone(&tz).date_naive())
        })
        .collect();
    registrations.sort_by(|&a, &b| record_order(&records[a]).cmp(&record_order(&records[b])));
    for &i in &registrations {
        status[i] = Status::Used;
    }

    // 4. Accounting, per file and in total.
    let mut file_accounting: Vec<Accounting> = ingested
        .files
        .iter()
        .map(|f| Accounting {
            files: 1,
            records_read: f.records_read,
            used: 0,
            out_of_scope: f.irrelevant,
            duplicate: if f.kind == FileKind::Copy {
                f.records_read
            } else {
                0
            },
            rejected: f.rejected,
        })
        .collect();
    for (r, s) in records.iter().zip(&status) {
        let Some(acc) = file_accounting.get_mut(r.origin.file as usize) else {
            continue;
        };
        match s {
            Status::Used => acc.used += 1,
            Status::OutOfScope => acc.out_of_scope += 1,
            Status::Duplicate => acc.duplicate += 1,
        }
    }
    let mut accounting = Accounting::default();
    for a in &file_accounting {
        accounting.add(a);
    }
    Model {
        period,
        tz,
        records,
        flows,
        registrations,
        accounting,
        file_accounting,
        audit_span,
    }
}
