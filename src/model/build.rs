//! From ingested records to the model: duplicates removed, flows assembled, the period applied,
//! and every record read accounted for exactly once.

use crate::model::audit::{AuditRecord, AuditResult, Relevance};
use crate::model::flow::{self, Flow};
use crate::model::inputs::{FileKind, Ingested, InputAccount};
use crate::model::license::{self as license_model, LicenseModel};
use crate::model::methods;
use crate::model::onprem::{self as onprem_model, OnpremEvent, Operation};
use crate::model::registration::{
    self as registration_model, RegistrationEvent, RegistrationModel,
};
use crate::time::{Period, PeriodChoice};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

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
    /// Flows outside the period within `--match-window` of it: they take part in correlation
    /// only, so that a flow and its operation on either side of midnight match in both months.
    pub edge_flows: Vec<Flow>,
    /// Successful registration records in the period, in time order.
    pub registrations: Vec<usize>,
    /// Whole-run accounting.
    pub accounting: Accounting,
    /// Accounting of each input file (same order as the ingest file list).
    pub file_accounting: Vec<Accounting>,
    /// First and last time of any audit record read (relevant or not).
    pub audit_span: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// The stretches the audit log covers: records no more than `--gap` apart.
    pub audit_stretches: Vec<Stretch>,
    /// The on-prem side; `None` when no on-prem event log was given.
    pub onprem: Option<OnpremModel>,
    /// Registration events (audit log and usage records) and the registration snapshot.
    pub registration: RegistrationModel,
    /// Licence lists and SKU plans; `None` when no licence input was given.
    pub licenses: Option<LicenseModel>,
    /// The files read, their rejects and the minutes each log covers.
    pub inputs: InputAccount,
}

impl Model {
    /// Whether the audit log covers `t` (a stretch of its records holds it).
    pub fn audit_covers(&self, t: DateTime<Utc>) -> bool {
        self.audit_stretches
            .iter()
            .any(|(first, last)| *first <= t && t <= *last)
    }
}

#[cfg(test)]
impl Model {
    /// A model with nothing in it, for the metrics' unit tests (period: October 2026).
    pub(crate) fn empty(tz: Tz) -> Model {
        Model {
            period: Period {
                from: chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap_or_default(),
                to: chrono::NaiveDate::from_ymd_opt(2026, 10, 31).unwrap_or_default(),
            },
            tz,
            records: vec![],
            flows: vec![],
            edge_flows: vec![],
            registrations: vec![],
            accounting: Accounting::default(),
            file_accounting: vec![],
            audit_span: None,
            audit_stretches: vec![],
            onprem: None,
            registration: RegistrationModel::default(),
            licenses: None,
            inputs: InputAccount::default(),
        }
    }
}

/// Counts one record with its verdict (`Some(true)` used, `Some(false)` out of scope, `None`
/// duplicate) in its file's accounting.
fn tally(file_accounting: &mut [Accounting], file: u32, verdict: Option<bool>) {
    let Some(acc) = file_accounting.get_mut(file as usize) else {
        return;
    };
    match verdict {
        Some(true) => acc.used += 1,
        Some(false) => acc.out_of_scope += 1,
        None => acc.duplicate += 1,
    }
}

/// A stretch of time a log covers: first and last instant.
pub type Stretch = (DateTime<Utc>, DateTime<Utc>);

/// The on-prem side of the model.
#[derive(Debug)]
pub struct OnpremModel {
    /// Events of the writeback sources (duplicates included; `used` says which count).
    pub events: Vec<OnpremEvent>,
    /// Per event: a copy of another event (the same log exported twice, or in two formats).
    pub duplicate: Vec<bool>,
    /// Writeback events that are not duplicates and lie in the period.
    pub used: Vec<bool>,
    /// Writeback operations whose time lies in the period, in time order.
    pub ops: Vec<Operation>,
    /// Operations outside the period: they take part in correlation (a flow at 23:59 on the
    /// last day matches its operation logged at 00:00:20 the next day) and count nowhere else.
    pub edge_ops: Vec<Operation>,
    /// Per computer, the first and last event of any source.
    pub spans: BTreeMap<String, (DateTime<Utc>, DateTime<Utc>)>,
    /// Per computer, the stretches its log covers: runs of events with no silence longer than
    /// `--gap` (a log that stops for a week does not cover that week).
    pub stretches: BTreeMap<String, Vec<Stretch>>,
    /// Whether any computer logged any event inside the period.
    pub records_in_period: bool,
}

impl OnpremModel {
    /// Whether some computer's log covers `t`.
    pub fn covers(&self, t: DateTime<Utc>) -> bool {
        self.stretches
            .values()
            .flatten()
            .any(|(first, last)| *first <= t && t <= *last)
    }

    /// Operation `i` of [`OnpremModel::ops`] followed by [`OnpremModel::edge_ops`] (the index
    /// space of the correlation).
    pub fn op(&self, i: usize) -> Option<&Operation> {
        self.ops
            .get(i)
            .or_else(|| self.edge_ops.get(i.checked_sub(self.ops.len())?))
    }
}

/// Stretches of covered minutes: consecutive minutes at most `gap` apart form one stretch.
fn stretches_of(minutes: &std::collections::BTreeSet<i64>, gap: chrono::Duration) -> Vec<Stretch> {
    let time = |m: i64| DateTime::<Utc>::from_timestamp(m.saturating_mul(60), 0);
    let mut runs: Vec<(i64, i64)> = Vec::new();
    for &m in minutes {
        match runs.last_mut() {
            Some((_, last)) if m - *last <= gap.num_minutes().max(1) => *last = m,
            _ => runs.push((m, m)),
        }
    }
    runs.into_iter()
        .filter_map(|(a, b)| Some((time(a)?, time(b)? + chrono::Duration::seconds(59))))
        .collect()
}

/// A 128-bit digest of a key (XXH3-128, fixed seed: the same text gives the same digest in
/// every run): collisions between distinct records are out of reach at any realistic number
/// of records. Two SipHash passes did the same at four times the cost.
fn hash128(text: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(text.as_bytes())
}

/// Hashes keys that are already hashes (128-bit digests, seconds) with one multiply, not
/// SipHash: the maps of the duplicate search hold one entry per relevant record.
#[derive(Default, Clone, Copy)]
struct DigestHasher(u64);

impl std::hash::Hasher for DigestHasher {
    fn finish(&self) -> u64 {
        let x = self.0;
        (x ^ (x >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u128(&mut self, v: u128) {
        self.0 ^= (v as u64) ^ ((v >> 64) as u64).rotate_left(32);
    }
    fn write_i64(&mut self, v: i64) {
        self.0 = (self.0 ^ v as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type DigestMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<DigestHasher>>;

/// No next node.
const END: u32 = u32::MAX;

/// Audit records by content and second. Keys are 128-bit hashes, not the strings: a month of
/// a large tenant holds hundreds of thousands of relevant records, and their content strings
/// would double the memory. Each key's records are a chain of nodes in one vector (record,
/// next node), not a vector per key.
#[derive(Default)]
struct ContentIndex {
    heads: DigestMap<(u128, i64), u32>,
    nodes: Vec<(u32, u32)>,
}

impl ContentIndex {
    fn insert(&mut self, key: u128, time: DateTime<Utc>, i: usize) {
        let node = self.nodes.len() as u32;
        let next = self
            .heads
            .insert((key, time.timestamp()), node)
            .unwrap_or(END);
        self.nodes.push((i as u32, next));
    }

    /// The records under `(key, second)`.
    fn chain(&self, key: u128, second: i64) -> impl Iterator<Item = usize> + '_ {
        let mut node = self.heads.get(&(key, second)).copied().unwrap_or(END);
        std::iter::from_fn(move || {
            let (record, next) = *self.nodes.get(node as usize)?;
            node = next;
            Some(record as usize)
        })
    }

    /// The first record of the same content less than a second apart: one export keeps 100 ns
    /// ticks (`…30.9996`), a workbook copy of it milliseconds rounded to `…31.000`. With
    /// `idless`, only records that (still) have no audit id.
    fn find(
        &self,
        key: u128,
        time: DateTime<Utc>,
        records: &[AuditRecord],
        idless: bool,
    ) -> Option<usize> {
        let second = time.timestamp();
        (second - 1..=second + 1)
            .flat_map(|s| self.chain(key, s))
            .filter(|&o| !idless || records[o].id.is_none())
            .filter(|&o| (records[o].time - time).abs() < chrono::Duration::seconds(1))
            .min()
    }
}

/// Each record's content digest and audit-id digest, computed on every core (the search for
/// copies that uses them is one pass in file order).
fn digests(records: &[AuditRecord]) -> Vec<(u128, Option<u128>)> {
    use rayon::prelude::*;
    records
        .par_iter()
        .map_init(
            || (String::new(), String::new()),
            |(content, lower), r| {
                r.content_key_into(content);
                let id = r.id.as_deref().map(|id| hash128(lower_into(lower, id)));
                (hash128(content), id)
            },
        )
        .collect()
}

/// `text.to_lowercase()`, written into `out` (no allocation for an ASCII text once `out` has
/// grown).
fn lower_into<'o>(out: &'o mut String, text: &str) -> &'o str {
    out.clear();
    crate::model::audit::push_lowercase(out, text);
    out
}

/// Which audit records are copies of an earlier one (design §4: the same audit id, else the
/// same content). A record without an id (portal CSV) is compared by content with every record;
/// one with an id by id, and by content only with records that have none. Times match within a
/// second; a file whose times all fall on whole minutes (Japanese Excel's re-save keeps
/// `2026/10/03 9:15`) matches a finer copy in the same minute, one record for one. The copy seen
/// first stays and takes the fields (and the finer time) only the other copy has, so the
/// outcome does not depend on file order.
fn audit_duplicates(records: &mut [AuditRecord]) -> Vec<bool> {
    let coarse_files = minute_precision_files(records);
    let coarse = |r: &AuditRecord| coarse_files.contains(&r.origin.file);
    // Without a whole-minute file no record is looked up by minute.
    let by_minute = !coarse_files.is_empty();
    let digests = digests(records);
    let mut duplicate = vec![false; records.len()];
    let mut by_id: DigestMap<u128, usize> = DigestMap::default();
    // Records with an id are matched by content only with records that have none: the same
    // index, filtered by each record's id at the time of the lookup.
    let mut by_content = ContentIndex::default();
    // Unmatched records by content and minute: those of whole-minute files, and the others.
    let mut coarse_by_minute: DigestMap<(u128, i64), Vec<usize>> = DigestMap::default();
    let mut fine_by_minute: DigestMap<(u128, i64), Vec<usize>> = DigestMap::default();
    for (i, &(key, id)) in digests.iter().enumerate() {
        let time = records[i].time;
        let minute = (key, time.timestamp().div_euclid(60));
        let mut original = match &id {
            Some(id) => by_id
                .get(id)
                .copied()
                .or_else(|| by_content.find(key, time, records, true)),
            None => by_content.find(key, time, records, false),
        };
        if original.is_none() && by_minute {
            let other_side = if coarse(&records[i]) {
                &mut fine_by_minute
            } else {
                &mut coarse_by_minute
            };
            original = other_side
                .get_mut(&minute)
                .filter(|list| !list.is_empty())
                .map(|list| list.remove(0));
            if let Some(o) = original
                && coarse(&records[o])
                && !coarse(&records[i])
            {
                // The kept copy knew only the minute: it takes the finer time, and is found
                // under it by later copies.
                records[o].time = time;
                by_content.insert(key, time, o);
                // A second whole-minute copy (another re-save) still finds it.
                fine_by_minute.entry(minute).or_default().push(o);
            }
        }
        if let Some(o) = original {
            duplicate[i] = true;
            let copy = records[i].clone();
            records[o].absorb(copy);
            if let Some(id) = id {
                // An id-less record that took this id is now known to be this id: another id is
                // another record (the lookup above checks each record's id as it is now).
                by_id.entry(id).or_insert(o);
            }
            continue;
        }
        if let Some(id) = id {
            by_id.insert(id, i);
        }
        by_content.insert(key, time, i);
        if by_minute {
            let side = if coarse(&records[i]) {
                &mut coarse_by_minute
            } else {
                &mut fine_by_minute
            };
            side.entry(minute).or_default().push(i);
        }
    }
    duplicate
}

/// Files (at least two records) whose audit times all fall on whole minutes.
fn minute_precision_files(records: &[AuditRecord]) -> std::collections::HashSet<u32> {
    use chrono::Timelike;
    let mut per_file: HashMap<u32, (usize, bool)> = HashMap::new();
    for r in records {
        let whole = r.time.second() == 0 && r.time.nanosecond() == 0;
        let entry = per_file.entry(r.origin.file).or_insert((0, true));
        entry.0 += 1;
        entry.1 &= whole;
    }
    per_file
        .into_iter()
        .filter(|(_, (n, whole))| *n >= 2 && *whole)
        .map(|(file, _)| file)
        .collect()
}

/// `a.to_lowercase().cmp(&b.to_lowercase())`, without the allocations for ASCII text.
fn cmp_lowercase(a: &str, b: &str) -> std::cmp::Ordering {
    if a == b {
        return std::cmp::Ordering::Equal;
    }
    if a.is_ascii() && b.is_ascii() {
        return a
            .bytes()
            .map(|c| c.to_ascii_lowercase())
            .cmp(b.bytes().map(|c| c.to_ascii_lowercase()));
    }
    a.to_lowercase().cmp(&b.to_lowercase())
}

/// The first 16 bytes of `text`, zero-padded, as a number that orders as the text does
/// wherever two differ: equal numbers leave the order to the whole texts.
fn order_prefix(text: &str) -> u128 {
    let mut bytes = [0u8; 16];
    let n = text.len().min(16);
    bytes[..n].copy_from_slice(&text.as_bytes()[..n]);
    u128::from_be_bytes(bytes)
}

/// Orders a flow's records the same way whatever the input order was: time, activity (any
/// letter case), result, reason, audit id; equal records by their place in the model.
fn record_order(records: &[AuditRecord], a: usize, b: usize) -> std::cmp::Ordering {
    let (ra, rb) = (&records[a], &records[b]);
    ra.time
        .cmp(&rb.time)
        .then_with(|| cmp_lowercase(&ra.activity, &rb.activity))
        .then_with(|| ra.result.cmp(&rb.result))
        .then_with(|| ra.reason.cmp(&rb.reason))
        .then_with(|| {
            ra.id
                .as_deref()
                .unwrap_or("")
                .cmp(rb.id.as_deref().unwrap_or(""))
        })
        .then(a.cmp(&b))
}

/// The flows of the records: grouped by CorrelationId, each group in record order, assembled
/// on every core; in CorrelationId order.
fn assemble_flows(records: &[AuditRecord], status: &[Status]) -> Vec<Flow> {
    use rayon::prelude::*;
    // Each record with the first bytes of its CorrelationId as a number: most comparisons of
    // the sort end there instead of in a string comparison.
    let mut keyed: Vec<(u128, usize)> = (0..records.len())
        .filter(|&i| {
            status[i] != Status::Duplicate
                && matches!(records[i].relevance, Relevance::Flow | Relevance::Evidence)
        })
        .map(|i| (order_prefix(&records[i].correlation_id), i))
        .collect();
    keyed.par_sort_unstable_by(|&(ka, a), &(kb, b)| {
        ka.cmp(&kb)
            .then_with(|| records[a].correlation_id.cmp(&records[b].correlation_id))
            .then_with(|| record_order(records, a, b))
    });
    let members: Vec<usize> = keyed.into_iter().map(|(_, i)| i).collect();
    let groups: Vec<&[usize]> = members
        .chunk_by(|&a, &b| records[a].correlation_id == records[b].correlation_id)
        .collect();
    // In the records' own order: the members' order visits them scattered.
    let blocks = flow::BlockReasons::of(records);
    groups
        .par_iter()
        .filter_map(|idx| {
            if !idx.iter().any(|&i| records[i].relevance == Relevance::Flow) {
                return None; // evidence with no flow: stays out_of_scope
            }
            let refs: Vec<&AuditRecord> = idx.iter().map(|&i| &records[i]).collect();
            flow::assemble(&records[idx[0]].correlation_id, &refs, idx, &blocks)
        })
        .collect()
}

/// What the model needs besides the period.
#[derive(Debug, Clone, Copy)]
pub struct BuildOptions {
    /// Report time zone (local dates decide what lies in the period).
    pub tz: Tz,
    /// `--match-window`: pairing of on-prem events, and how far outside the period a flow or
    /// an operation may lie and still take part in correlation.
    pub match_window: chrono::Duration,
    /// `--gap`: a silence longer than this breaks a log's covered stretch.
    pub gap: chrono::Duration,
}

/// Builds the model. `period` decides which flows are reported; with `FromData` the period is
/// the local dates from the first to the last audit record.
pub fn build(ingested: &mut Ingested, period: &PeriodChoice, options: &BuildOptions) -> Model {
    let tz = options.tz;
    let records = std::mem::take(&mut ingested.records);
    let span_of = |kind: FileKind| {
        ingested
            .files
            .iter()
            .filter(|f| f.kind == kind)
            .filter_map(|f| Some((f.first?, f.last?)))
            .reduce(|(a, b), (c, d)| (a.min(c), b.max(d)))
    };
    let audit_span = span_of(FileKind::AuditLog);
    // Without an audit log, the on-prem logs give the period, else registration usage records.
    let usage_span = ingested
        .usage_events
        .iter()
        .map(|e| (e.time, e.time))
        .reduce(|(a, b), (c, d)| (a.min(c), b.max(d)));
    let data_span = audit_span
        .or_else(|| span_of(FileKind::OnpremLog))
        .or(usage_span);
    let period = match period {
        PeriodChoice::Explicit(p) => p.clone(),
        PeriodChoice::FromData => match data_span {
            Some((first, last)) => Period {
                from: first.with_timezone(&tz).date_naive(),
                to: last.with_timezone(&tz).date_naive(),
            },
            // No audit record at all: the summary reports the period as null. A fixed
            // placeholder keeps the run deterministic (never today's date).
            None => Period {
                from: chrono::NaiveDate::default(),
                to: chrono::NaiveDate::default(),
            },
        },
    };

    // The on-prem log, the licence list and the registration snapshot do not depend on the
    // audit records: they are built beside them, each counting its records in an accounting
    // of its own, added up after (counts only add, so the totals are the same either way).
    let side_inputs = SideInputs {
        onprem: ingested
            .files
            .iter()
            .any(|f| f.kind == FileKind::OnpremLog)
            .then(|| std::mem::take(&mut ingested.onprem)),
        onprem_coverage: std::mem::take(&mut ingested.onprem_coverage),
        license_rows: std::mem::take(&mut ingested.license_rows),
        skus: std::mem::take(&mut ingested.skus),
        snapshot_rows: std::mem::take(&mut ingested.snapshot_rows),
    };
    let usage = std::mem::take(&mut ingested.usage_events);
    let files = &ingested.files;
    let (audit, side) = rayon::join(
        || audit_side(records, usage, files, &period, options),
        || side_models(side_inputs, files, &period, options),
    );
    let AuditSide {
        records,
        flows,
        edge_flows,
        registrations,
        mut file_accounting,
        registration_events,
        has_usage_input,
    } = audit;
    for (total, side) in file_accounting.iter_mut().zip(&side.file_accounting) {
        total.add(side);
    }
    for (file, note) in side.notes {
        if let Some(f) = ingested.files.get_mut(file as usize) {
            f.warnings.push(note);
        }
    }
    let registration = RegistrationModel {
        events: registration_events,
        snapshot: side.snapshot,
        has_usage_input,
    };
    let (licenses, onprem, onprem_minutes) = (side.licenses, side.onprem, side.onprem_minutes);
    let mut accounting = Accounting::default();
    for a in &file_accounting {
        accounting.add(a);
    }
    Model {
        period,
        tz,
        records,
        flows,
        edge_flows,
        registrations,
        accounting,
        file_accounting,
        audit_span,
        audit_stretches: stretches_of(&ingested.audit_minutes, options.gap),
        onprem,
        registration,
        licenses,
        inputs: InputAccount {
            files: std::mem::take(&mut ingested.files),
            rejects: std::mem::take(&mut ingested.rejects),
            audit_minutes: std::mem::take(&mut ingested.audit_minutes),
            onprem_minutes,
        },
    }
}

/// Registration events in the period (audit records and usage records, one per registration),
/// and whether usage records were read.
fn registration_events(
    records: &[AuditRecord],
    audit_registrations: &[usize],
    usage: Vec<crate::model::registration::UsageEvent>,
    in_period: impl Fn(DateTime<Utc>) -> bool,
    file_accounting: &mut [Accounting],
) -> (Vec<RegistrationEvent>, bool) {
    let mut events: Vec<RegistrationEvent> = audit_registrations
        .iter()
        .map(|&i| {
            let r = &records[i];
            RegistrationEvent {
                time: r.time,
                user: crate::model::audit::user_key(r.target_upn.as_deref())
                    .or_else(|| crate::model::audit::user_key(r.actor_upn.as_deref())),
                method: methods::of_audit_event(&r.activity, &r.reason),
            }
        })
        .collect();
    let (added, verdicts) = registration_model::merge_usage(&events, &usage, in_period);
    for (u, v) in usage.iter().zip(verdicts) {
        tally(file_accounting, u.origin.file, v);
    }
    events.extend(added);
    events.sort();
    (events, !usage.is_empty())
}

/// What the audit side of the model gives: the records with their flows and registrations,
/// and the accounting of every file with the audit records' verdicts.
struct AuditSide {
    records: Vec<AuditRecord>,
    flows: Vec<Flow>,
    edge_flows: Vec<Flow>,
    registrations: Vec<usize>,
    file_accounting: Vec<Accounting>,
    registration_events: Vec<RegistrationEvent>,
    has_usage_input: bool,
}

/// Duplicates, flows, registrations and the files' accounting from the audit records (and
/// the usage records, which merge with the audit log's registrations).
fn audit_side(
    records: Vec<AuditRecord>,
    usage: Vec<crate::model::registration::UsageEvent>,
    files: &[crate::model::inputs::FileReport],
    period: &Period,
    options: &BuildOptions,
) -> AuditSide {
    let tz = options.tz;
    // 1. Duplicates (design §4: the same audit id, else the same content).
    let mut records = records;
    let mut status: Vec<Status> = audit_duplicates(&mut records)
        .into_iter()
        .map(|dup| {
            if dup {
                Status::Duplicate
            } else {
                Status::OutOfScope
            }
        })
        .collect();

    // 2. Flows: records grouped by CorrelationId; a group is a flow when it holds an SSPR activity.
    let mut flows = Vec::new();
    let mut edge_flows = Vec::new();
    let (period_start, period_end) = (period.start_utc(tz), period.end_utc(tz));
    for f in assemble_flows(&records, &status) {
        if period.contains(f.started_at.with_timezone(&tz).date_naive()) {
            for &i in &f.records {
                status[i] = Status::Used;
            }
            flows.push(f);
        } else if f.ended_at + options.match_window >= period_start
            && f.started_at - options.match_window < period_end
        {
            edge_flows.push(f);
        }
    }
    {
        use rayon::slice::ParallelSliceMut;
        let by_start = |a: &Flow, b: &Flow| {
            (a.started_at, &a.correlation_id).cmp(&(b.started_at, &b.correlation_id))
        };
        // CorrelationIds are unique among flows: the order is total.
        flows.par_sort_unstable_by(by_start);
        edge_flows.par_sort_unstable_by(by_start);
    }

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
    registrations.sort_by(|&a, &b| record_order(&records, a, b));
    for &i in &registrations {
        status[i] = Status::Used;
    }

    // 4. Accounting, per file and in total.
    let mut file_accounting: Vec<Accounting> = files
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
    let (registration_events, has_usage_input) = registration_events(
        &records,
        &registrations,
        usage,
        |t| period.contains(t.with_timezone(&tz).date_naive()),
        &mut file_accounting,
    );
    AuditSide {
        records,
        flows,
        edge_flows,
        registrations,
        file_accounting,
        registration_events,
        has_usage_input,
    }
}

/// The inputs of the models built beside the audit side.
struct SideInputs {
    /// The Connect events, when an on-prem log was read.
    onprem: Option<Vec<OnpremEvent>>,
    onprem_coverage: Vec<crate::model::inputs::OnpremCoverage>,
    license_rows: Vec<crate::model::license::LicenseRow>,
    skus: Vec<crate::model::license::SkuInfo>,
    snapshot_rows: Vec<crate::model::registration::SnapshotRow>,
}

/// The models built beside the audit side, their records' verdicts in an accounting of their
/// own (zero but for them), and the notes for the files read in a wrong zone.
struct SideModels {
    licenses: Option<LicenseModel>,
    onprem: Option<OnpremModel>,
    onprem_minutes: CoveredMinutes,
    snapshot: Option<crate::model::registration::Snapshot>,
    file_accounting: Vec<Accounting>,
    notes: Vec<(u32, String)>,
}

/// The licence list and the registration snapshot, as read.
struct DirectoryInputs {
    license_rows: Vec<crate::model::license::LicenseRow>,
    skus: Vec<crate::model::license::SkuInfo>,
    snapshot_rows: Vec<crate::model::registration::SnapshotRow>,
}

/// The licence model and the registration snapshot, with the accounting of their rows (over
/// `file_count` files).
fn directory_models(
    inputs: DirectoryInputs,
    file_count: usize,
) -> (
    Option<LicenseModel>,
    Option<crate::model::registration::Snapshot>,
    Vec<Accounting>,
) {
    let mut file_accounting = vec![Accounting::default(); file_count];
    let (rows, skus) = (inputs.license_rows, inputs.skus);
    let licenses = (!rows.is_empty() || !skus.is_empty()).then(|| {
        let files: Vec<u32> = rows
            .iter()
            .map(|r| r.origin.file)
            .chain(skus.iter().map(|s| s.origin.file))
            .collect();
        let (model, row_verdicts, sku_verdicts) = license_model::assemble(rows, skus);
        for (file, v) in files
            .into_iter()
            .zip(row_verdicts.into_iter().chain(sku_verdicts))
        {
            tally(&mut file_accounting, file, v);
        }
        model
    });
    let rows = inputs.snapshot_rows;
    let snapshot = (!rows.is_empty()).then(|| {
        let files: Vec<u32> = rows.iter().map(|r| r.origin.file).collect();
        let (snapshot, verdicts) = registration_model::newest_rows(rows);
        for (file, v) in files.into_iter().zip(verdicts) {
            tally(&mut file_accounting, file, v);
        }
        snapshot
    });
    (licenses, snapshot, file_accounting)
}

/// The on-prem model, the licence model and the registration snapshot.
fn side_models(
    inputs: SideInputs,
    files: &[crate::model::inputs::FileReport],
    period: &Period,
    options: &BuildOptions,
) -> SideModels {
    // The on-prem log beside the directory lists, each counting in an accounting of its own.
    let (onprem_inputs, coverage) = (inputs.onprem, inputs.onprem_coverage);
    let directory = DirectoryInputs {
        license_rows: inputs.license_rows,
        skus: inputs.skus,
        snapshot_rows: inputs.snapshot_rows,
    };
    let ((licenses, snapshot, mut file_accounting), (onprem, onprem_minutes, notes, onprem_acc)) =
        rayon::join(
            || directory_models(directory, files.len()),
            || {
                let mut accounting = vec![Accounting::default(); files.len()];
                let Some(events) = onprem_inputs else {
                    return (None, BTreeMap::new(), Vec::new(), accounting);
                };
                let input = OnpremInput {
                    events,
                    coverage: &coverage,
                    files,
                };
                let (model, minutes, notes) = build_onprem(input, period, options, &mut accounting);
                (Some(model), minutes, notes, accounting)
            },
        );
    for (total, part) in file_accounting.iter_mut().zip(&onprem_acc) {
        total.add(part);
    }
    SideModels {
        licenses,
        onprem,
        onprem_minutes,
        snapshot,
        file_accounting,
        notes,
    }
}

/// The note on a file read in the wrong zone (English; `metrics::coverage` words it in Japanese).
fn shifted_copy_note(copy: &ShiftedCopy, original: &str) -> String {
    let minutes = copy.offset.abs() / 60;
    format!(
        "its times lie {}{}h{:02} off {original}, a copy of the same log that records its zone: \
         it was read in the wrong --onprem-tz; its {} events found there count as duplicate",
        if copy.offset < 0 { "-" } else { "+" },
        minutes / 60,
        minutes % 60,
        copy.events
    )
}

/// An id-less export whose events are a copy of an id-bearing log shifted by whole quarter
/// hours: it was read in another zone than the server wrote (`--onprem-tz`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftedCopy {
    /// The id-less file (index in the run's file list).
    pub file: u32,
    /// A file of the log it copies.
    pub original: u32,
    /// Its times minus the original's, in seconds.
    pub offset: i64,
    /// Events recognised as copies once shifted.
    pub events: usize,
}

/// Which on-prem events are copies of another (design §4: the same computer and record id, else
/// the same content), and the id-less files found read in a wrong zone. Events with a record id
/// are compared by id; an event without one (Event Viewer CSV/TXT, PowerShell CSV) by its
/// content — computer, source, event id, message — and its time to the second, with every other
/// event, so one log exported as `.evtx` and as CSV counts once. Identical lines of one id-less
/// file are separate events (ADSync logs 405 twice in a second): the n-th copy of a content is a
/// duplicate only when the id-bearing events, or one earlier id-less file, already hold n copies.
fn onprem_duplicates(events: &[OnpremEvent]) -> (Vec<bool>, Vec<ShiftedCopy>) {
    let mut duplicate = vec![false; events.len()];
    // foldhash: SipHash of (computer, record id) showed in profiles of a month's log.
    let mut ids: crate::model::FastSet<(&str, u64)> = Default::default();
    let keys: Vec<u128> = {
        use rayon::prelude::*;
        events
            .par_iter()
            .map_init(String::new, |text, e| {
                e.content_key_into(text);
                hash128(text)
            })
            .collect()
    };
    // Copies of each content at each second among the distinct id-bearing events, and the
    // seconds (and files) of each content whatever its time, for the zone check.
    let mut with_id: DigestMap<(u128, i64), usize> = DigestMap::default();
    let mut timeless: Vec<(u128, i64, u32)> = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let Some(id) = e.record_id else { continue };
        if !ids.insert((&*e.computer, id)) {
            duplicate[i] = true;
            continue;
        }
        let second = e.time.timestamp();
        *with_id.entry((keys[i], second)).or_default() += 1;
        timeless.push((keys[i], second, e.origin.file));
    }
    // One sorted list (content, second, file), not a list per content.
    rayon::slice::ParallelSliceMut::par_sort_unstable(&mut timeless[..]);
    let mut earlier_files: DigestMap<(u128, i64), usize> = DigestMap::default();
    let mut shifted = Vec::new();
    let mut idless: Vec<usize> = (0..events.len())
        .filter(|&i| events[i].record_id.is_none())
        .collect();
    idless.sort_by_key(|&i| (events[i].origin.file, i));
    for file_events in idless.chunk_by(|&a, &b| events[a].origin.file == events[b].origin.file) {
        let count = |offset: i64, duplicate: &mut [bool]| {
            let mut this_file: DigestMap<(u128, i64), usize> = DigestMap::default();
            let mut matched = 0;
            for &i in file_events {
                let key = (keys[i], events[i].time.timestamp() - offset);
                let n = this_file.entry(key).or_default();
                *n += 1;
                let known = with_id.get(&key).copied().unwrap_or(0);
                let earlier = earlier_files.get(&key).copied().unwrap_or(0);
                if *n <= known.max(earlier) && !duplicate[i] {
                    duplicate[i] = true;
                    matched += 1;
                }
            }
            (this_file, matched)
        };
        let (this_file, _) = count(0, &mut duplicate);
        if let Some(copy) = zone_shift(events, file_events, &keys, &duplicate, &timeless) {
            count(copy.offset, &mut duplicate);
            shifted.push(copy);
        }
        for (k, n) in this_file {
            let seen = earlier_files.entry(k).or_default();
            *seen = (*seen).max(n);
        }
    }
    (duplicate, shifted)
}

/// The whole-quarter-hour offset (up to 14 h) at which most of an id-less file's remaining
/// events have an id-bearing twin, when that is at least half of them (and at least three).
fn zone_shift(
    events: &[OnpremEvent],
    file_events: &[usize],
    keys: &[u128],
    duplicate: &[bool],
    timeless: &[(u128, i64, u32)],
) -> Option<ShiftedCopy> {
    let left: Vec<usize> = file_events
        .iter()
        .copied()
        .filter(|&i| !duplicate[i])
        .collect();
    let mut votes: BTreeMap<i64, (usize, u32)> = BTreeMap::new();
    const REACH: i64 = 14 * 3600;
    for &i in &left {
        let second = events[i].time.timestamp();
        // Only twins within the reach (the list is sorted by content, then second): a
        // heartbeat's text repeats thousands of times a month.
        let key = keys[i];
        let from = timeless.partition_point(|&(k, s, _)| (k, s) < (key, second - REACH));
        let to = timeless.partition_point(|&(k, s, _)| (k, s) <= (key, second + REACH));
        let twins = timeless.get(from..to).unwrap_or_default();
        let mut offsets: Vec<(i64, u32)> = twins
            .iter()
            .map(|&(_, s, file)| (second - s, file))
            .filter(|&(d, _)| d != 0 && d % 900 == 0 && d.abs() <= REACH)
            .collect();
        offsets.sort_unstable();
        offsets.dedup_by_key(|(d, _)| *d);
        for (d, file) in offsets {
            let vote = votes.entry(d).or_insert((0, file));
            vote.0 += 1;
        }
    }
    let (&offset, &(n, original)) = votes.iter().max_by_key(|(d, (n, _))| (*n, -d.abs()))?;
    (n >= 3 && 2 * n >= left.len()).then(|| ShiftedCopy {
        file: events[file_events[0]].origin.file,
        original,
        offset,
        events: n,
    })
}

/// The on-prem side: duplicates (same computer and record id, else content), writeback events
/// in the period, operations, and the stretches each computer's log covers.
fn build_onprem(
    input: OnpremInput<'_>,
    period: &Period,
    options: &BuildOptions,
    file_accounting: &mut [Accounting],
) -> (OnpremModel, CoveredMinutes, Vec<(u32, String)>) {
    let events = input.events;
    let (duplicate, shifted) = onprem_duplicates(&events);
    let notes = shifted
        .iter()
        .map(|copy| {
            let original = input
                .files
                .get(copy.original as usize)
                .map(|f| f.file.display.clone())
                .unwrap_or_default();
            (copy.file, shifted_copy_note(copy, &original))
        })
        .collect();
    let trail: Vec<bool> = events
        .iter()
        .zip(&duplicate)
        .map(|(e, dup)| !dup && e.is_writeback_event())
        .collect();
    let tz = options.tz;
    let in_period = |t: DateTime<Utc>| period.contains(t.with_timezone(&tz).date_naive());
    let used: Vec<bool> = events
        .iter()
        .zip(&trail)
        .map(|(e, t)| *t && in_period(e.time))
        .collect();
    for ((e, dup), u) in events.iter().zip(&duplicate).zip(&used) {
        let Some(acc) = file_accounting.get_mut(e.origin.file as usize) else {
            continue;
        };
        match (dup, u) {
            (true, _) => acc.duplicate += 1,
            (false, true) => acc.used += 1,
            (false, false) => acc.out_of_scope += 1,
        }
    }
    // Operations are paired over the whole log (a start just before the period pairs with its
    // outcome inside it) and reported when their time lies in the period.
    let (ops, edge_ops) = onprem_model::assemble(&events, &trail, options.match_window)
        .into_iter()
        .partition(|op| in_period(op.time));
    let (minutes, spans) = merged_coverage(input.coverage, &shifted);
    let stretches = minutes
        .iter()
        .map(|(computer, m)| {
            let mut runs = stretches_of(m, options.gap);
            // Minutes bound the stretches inside; the log's own first and last event bound
            // its ends exactly.
            if let Some(&(first, last)) = spans.get(computer) {
                if let Some(run) = runs.first_mut() {
                    run.0 = run.0.max(first);
                }
                if let Some(run) = runs.last_mut() {
                    run.1 = run.1.min(last);
                }
            }
            (computer.clone(), runs)
        })
        .collect();
    let (lo, hi) = (
        period.start_utc(tz).timestamp().div_euclid(60),
        period.end_utc(tz).timestamp().div_euclid(60),
    );
    let records_in_period = minutes
        .values()
        .any(|minutes| minutes.range(lo..hi.max(lo)).next().is_some());
    let model = OnpremModel {
        events,
        duplicate,
        used,
        ops,
        edge_ops,
        spans,
        stretches,
        records_in_period,
    };
    (model, minutes, notes)
}

/// Each computer's covered minutes.
type CoveredMinutes = BTreeMap<String, std::collections::BTreeSet<i64>>;

/// What the on-prem model is built from: the events, each computer's covered minutes per
/// file, and the files (for the names in the notes).
struct OnpremInput<'a> {
    events: Vec<OnpremEvent>,
    coverage: &'a [crate::model::inputs::OnpremCoverage],
    files: &'a [crate::model::inputs::FileReport],
}

/// Each computer's covered minutes and exact first and last event, over all its files; a file
/// found read in a wrong zone is shifted back to the time its twin records.
fn merged_coverage(
    coverage: &[crate::model::inputs::OnpremCoverage],
    shifted: &[ShiftedCopy],
) -> (
    BTreeMap<String, std::collections::BTreeSet<i64>>,
    BTreeMap<String, Stretch>,
) {
    let shift: HashMap<u32, i64> = shifted.iter().map(|c| (c.file, c.offset)).collect();
    let mut minutes: BTreeMap<String, std::collections::BTreeSet<i64>> = BTreeMap::new();
    let mut spans: BTreeMap<String, Stretch> = BTreeMap::new();
    for c in coverage {
        let d = shift.get(&c.file).copied().unwrap_or(0);
        minutes
            .entry(c.computer.clone())
            .or_default()
            .extend(c.minutes.iter().map(|m| m - d / 60));
        let back = chrono::Duration::seconds(d);
        let (first, last) = (c.first - back, c.last - back);
        spans
            .entry(c.computer.clone())
            .and_modify(|(f, l)| {
                *f = (*f).min(first);
                *l = (*l).max(last);
            })
            .or_insert((first, last));
    }
    (minutes, spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_into_is_to_lowercase() {
        let mut out = String::from("left over");
        for text in ["Directory_8A1B_XYZ", "", "ÉCOLE-Σ", "İd", "abc"] {
            assert_eq!(lower_into(&mut out, text), text.to_lowercase());
        }
    }
    use crate::model::audit::{Origin, SSPR_SERVICE, activity};
    use crate::model::inputs::{FileReport, InputFile};
    use chrono::TimeZone;

    fn rec(
        id: Option<&str>,
        day: u32,
        corr: &str,
        service: &str,
        act: &str,
        rel: Relevance,
    ) -> AuditRecord {
        AuditRecord {
            id: id.map(Into::into),
            time: Utc
                .with_ymd_and_hms(2026, 10, day, 3, 0, 0)
                .single()
                .expect("time"),
            service: service.into(),
            activity: act.into(),
            result: AuditResult::Success,
            reason: "".into(),
            correlation_id: corr.into(),
            actor_upn: Some("a@x.jp".into()),
            target_upn: None,
            ip: None,
            onprem_agent: None,
            relevance: rel,
            origin: Origin {
                file: 0,
                location: Default::default(),
            },
        }
    }

    fn ingested(records: Vec<AuditRecord>, irrelevant: u64) -> Ingested {
        let kept = records.len() as u64;
        Ingested {
            files: vec![FileReport {
                file: InputFile {
                    display: "f.csv".into(),
                    path: "f.csv".into(),
                },
                kind: FileKind::AuditLog,
                format: String::new(),
                encoding: None,
                records_read: kept + irrelevant + 1,
                irrelevant,
                rejected: 1,
                kept,
                first: records.iter().map(|r| r.time).min(),
                last: records.iter().map(|r| r.time).max(),
                warnings: vec![],
            }],
            records,
            ..Ingested::default()
        }
    }

    #[test]
    fn every_record_is_counted_once() {
        let records = vec![
            rec(
                Some("1"),
                3,
                "c1",
                SSPR_SERVICE,
                activity::RESET,
                Relevance::Flow,
            ),
            rec(
                Some("1"),
                3,
                "c1",
                SSPR_SERVICE,
                activity::RESET,
                Relevance::Flow,
            ), // same id
            rec(
                None,
                3,
                "c1",
                SSPR_SERVICE,
                activity::RESET,
                Relevance::Flow,
            ), // same content, no id
            rec(
                Some("2"),
                3,
                "c1",
                "Core Directory",
                "Reset user password",
                Relevance::Evidence,
            ),
            rec(
                Some("3"),
                4,
                "c2",
                "Core Directory",
                "Reset user password",
                Relevance::Evidence,
            ), // no flow
            rec(
                Some("4"),
                30,
                "c3",
                SSPR_SERVICE,
                activity::PROGRESS,
                Relevance::Flow,
            ), // outside period
            rec(
                Some("5"),
                5,
                "",
                "Authentication Methods",
                "User registered security info",
                Relevance::Registration,
            ),
        ];
        let mut ing = ingested(records, 10);
        let period = crate::time::Period {
            from: Period::month(2026, 10).expect("month").from,
            to: chrono::NaiveDate::from_ymd_opt(2026, 10, 20).expect("date"),
        };
        let model = build(
            &mut ing,
            &PeriodChoice::Explicit(period),
            &BuildOptions {
                tz: chrono_tz::UTC,
                match_window: chrono::Duration::minutes(5),
                gap: chrono::Duration::hours(6),
            },
        );
        let a = model.accounting;
        assert_eq!(model.flows.len(), 1);
        assert_eq!(model.flows[0].records.len(), 2, "reset + evidence");
        assert_eq!(model.registrations.len(), 1);
        assert_eq!(
            (a.used, a.duplicate, a.out_of_scope, a.rejected),
            (3, 2, 12, 1)
        );
        assert_eq!(a.records_read, 18);
        assert!(a.balances());
        assert_eq!(model.file_accounting[0], a);
    }

    /// A whole-minute copy that took a finer time and then an id is that id's record only: a
    /// later record with another id and the same content is another record, whichever second
    /// it falls in (the search once still found the copy under its first, whole-minute time).
    #[test]
    fn a_copy_that_took_an_id_matches_no_other_id() {
        let at = |r: &mut AuditRecord, file: u32, ms: i64| {
            r.origin.file = file;
            r.time += chrono::Duration::milliseconds(ms);
        };
        let reset = || {
            rec(
                None,
                3,
                "c1",
                SSPR_SERVICE,
                activity::ADMIN_RESET,
                Relevance::Flow,
            )
        };
        // File 0: a whole-minute re-save (two records, times on the minute, no ids).
        let mut resaved = reset();
        at(&mut resaved, 0, 0);
        let mut other = rec(
            None,
            3,
            "c1",
            SSPR_SERVICE,
            activity::PROGRESS,
            Relevance::Flow,
        );
        at(&mut other, 0, 60_000);
        // File 1: the same reset with id X at :01.2, and another one with id Y at :01.5.
        let mut x = rec(
            Some("X"),
            3,
            "c1",
            SSPR_SERVICE,
            activity::ADMIN_RESET,
            Relevance::Flow,
        );
        at(&mut x, 1, 1_200);
        let mut y = rec(
            Some("Y"),
            3,
            "c1",
            SSPR_SERVICE,
            activity::ADMIN_RESET,
            Relevance::Flow,
        );
        at(&mut y, 1, 1_500);
        let mut ing = ingested(vec![resaved, other, x, y], 0);
        let model = build(
            &mut ing,
            &PeriodChoice::FromData,
            &BuildOptions {
                tz: chrono_tz::UTC,
                match_window: chrono::Duration::minutes(5),
                gap: chrono::Duration::hours(6),
            },
        );
        let used = &model.flows[0].records;
        assert!(!used.contains(&2), "X is the re-saved row: {used:?}");
        assert!(used.contains(&3), "Y is another reset: {used:?}");
        assert_eq!(used.len(), 3);
    }

    #[test]
    fn distinct_ids_are_distinct_records_and_copies_merge() {
        let mut csv_copy = rec(
            None,
            3,
            "c1",
            SSPR_SERVICE,
            activity::ADMIN_RESET,
            Relevance::Flow,
        );
        csv_copy.time += chrono::Duration::milliseconds(123); // a workbook's millisecond time
        let mut json_copy = rec(
            Some("A"),
            3,
            "c1",
            SSPR_SERVICE,
            activity::ADMIN_RESET,
            Relevance::Flow,
        );
        json_copy.onprem_agent = Some("None".into());
        json_copy.ip = Some("198.51.100.7".into());
        let twin = rec(
            Some("B"),
            3,
            "c1",
            SSPR_SERVICE,
            activity::ADMIN_RESET,
            Relevance::Flow,
        );
        let mut ing = ingested(vec![csv_copy, json_copy, twin], 0);
        let model = build(
            &mut ing,
            &PeriodChoice::FromData,
            &BuildOptions {
                tz: chrono_tz::UTC,
                match_window: chrono::Duration::minutes(5),
                gap: chrono::Duration::hours(6),
            },
        );
        assert_eq!(
            model.accounting.duplicate, 1,
            "the JSON copy of the CSV row"
        );
        assert_eq!(model.flows[0].records.len(), 2, "id B is another record");
        assert!(
            model.flows[0].cloud_only,
            "the CSV copy took OnPremisesAgent from the JSON copy"
        );
        let merged: Vec<_> = model.flows[0]
            .records
            .iter()
            .map(|&i| &model.records[i])
            .filter(|r| r.id.as_deref() != Some("B"))
            .collect();
        assert_eq!(merged.len(), 1);
        assert_eq!(
            merged[0].ip.as_deref(),
            Some("198.51.100.7"),
            "and the IP address"
        );
    }

    #[test]
    fn period_from_data_spans_the_audit_log() {
        let mut ing = ingested(
            vec![
                rec(
                    Some("1"),
                    2,
                    "c1",
                    SSPR_SERVICE,
                    activity::RESET,
                    Relevance::Flow,
                ),
                rec(
                    Some("2"),
                    9,
                    "c2",
                    SSPR_SERVICE,
                    activity::RESET,
                    Relevance::Flow,
                ),
            ],
            0,
        );
        let tokyo: Tz = "Asia/Tokyo".parse().expect("tz");
        let model = build(
            &mut ing,
            &PeriodChoice::FromData,
            &BuildOptions {
                tz: tokyo,
                match_window: chrono::Duration::minutes(5),
                gap: chrono::Duration::hours(6),
            },
        );
        assert_eq!(model.period.from.to_string(), "2026-10-02");
        assert_eq!(model.period.to.to_string(), "2026-10-09");
        assert_eq!(model.flows.len(), 2);
    }

    /// Where the prefixes of two texts differ, they order the texts as the texts order
    /// themselves: short texts, shared starts, NUL bytes and non-ASCII included.
    #[test]
    fn order_prefixes_order_as_the_texts() {
        let pieces = [
            "",
            "a",
            "b",
            "\0",
            "0f3c",
            "ab",
            "\u{e9}",
            "z",
            "-",
            "ffffffffffff",
        ];
        let mut rng = crate::synth::Rng::new(41);
        let text = |rng: &mut crate::synth::Rng| -> String {
            (0..rng.below(8))
                .map(|_| pieces[rng.below(pieces.len() as u64) as usize])
                .collect()
        };
        let mut decided = 0;
        for _ in 0..20_000 {
            let (a, b) = (text(&mut rng), text(&mut rng));
            let (ka, kb) = (order_prefix(&a), order_prefix(&b));
            if ka != kb {
                decided += 1;
                assert_eq!(ka.cmp(&kb), a.cmp(&b), "{a:?} {b:?}");
            }
        }
        assert!(decided > 10_000, "{decided}");
    }
}
