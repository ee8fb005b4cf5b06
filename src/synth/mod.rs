//! Synthetic Entra ID audit data: the bundled sample, the per-format test fixtures and the
//! `synth` command's tenants.
//!
//! Events are modelled once, in the shape Entra itself logs them ([`SynthAuditEvent`], close to
//! Graph `directoryAudit`), and [`audit_formats`] renders the same events in every export format.
//! Keeping one model means every format carries exactly the same facts, so a parser test can
//! compare formats with each other and with hand-written expectations.
//!
//! Everything here is deterministic: randomness comes from [`Rng`] (splitmix64) with fixed seeds,
//! so the same call always produces the same events and the same bytes.
//!
//! Layer: beside the pipeline, used by the `synth` command and by tests to make data; it may
//! import `ingest` (BinXML constants), `model`, `time` and `catalog`, never `metrics`, `render`,
//! `config` or `commands`.

use chrono::{DateTime, Utc};

pub mod audit_formats;
pub mod directory;
pub mod directory_formats;
pub mod evtx_writer;
pub mod onprem;
pub mod onprem_formats;
pub mod sample;
pub mod tenant;

/// Tenant (directory) id of the fictitious Contoso Japan tenant used by all synthetic data.
pub const TENANT_ID: &str = "5e7f3c21-8a4b-4d6e-9f10-2b3c4d5e6f70";

/// Log Analytics workspace id (the `TenantId` column of Log Analytics tables is the workspace).
pub const WORKSPACE_ID: &str = "a1b2c3d4-0e1f-4a5b-8c6d-7e8f9a0b1c2d";

/// One audit record as Entra logs it (the writers render it in each export format).
#[derive(Debug, Clone, PartialEq)]
pub struct SynthAuditEvent {
    /// Record id, prefixed by the logging service as in real logs, e.g. `SSPR_<corr>_<5 chars>_<n>`,
    /// `Directory_<corr>_…`, `Authentication Methods_<corr>_…`.
    pub id: String,
    /// Activity time with sub-second precision (100 ns ticks, up to 7 fraction digits).
    pub time: DateTime<Utc>,
    /// `loggedByService`.
    pub service: String,
    /// `category`, e.g. `UserManagement`.
    pub category: String,
    /// `activityDisplayName`.
    pub activity: String,
    /// `operationType`: `Update`, `Add`, `Assign`, …
    pub operation_type: String,
    /// `success` | `failure` | `timeout` (lower case, as Graph writes it).
    pub result: String,
    /// `resultReason`; may be empty. Trailing spaces are kept exactly as the real log has them.
    pub reason: String,
    /// `correlationId`.
    pub correlation_id: String,
    /// `initiatedBy`.
    pub actor: Actor,
    /// `targetResources`.
    pub targets: Vec<Target>,
    /// `additionalDetails` as (key, value) pairs.
    pub additional_details: Vec<(String, String)>,
    /// `userAgent` (portal downloads and Graph beta carry it).
    pub user_agent: Option<String>,
}

/// Who initiated an audited activity (`initiatedBy.user` or `initiatedBy.app`).
#[derive(Debug, Clone, PartialEq)]
pub enum Actor {
    /// A user (including the service identities `fim_password_service@…` and `Sync_…`).
    User {
        /// Object id.
        id: String,
        /// User principal name as logged (for SSPR steps: what the user typed).
        upn: String,
        /// Display name; SSPR records usually log none.
        display_name: Option<String>,
        /// Client IP address.
        ip: Option<String>,
    },
    /// An application (service principal).
    App {
        /// Application (client) id.
        app_id: String,
        /// Display name of the application.
        display_name: String,
        /// Object id of the service principal.
        service_principal_id: String,
    },
}

/// One entry of `targetResources`.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// Object id.
    pub id: String,
    /// Display name.
    pub display_name: Option<String>,
    /// `type`: `User`, `Group`, `ServicePrincipal`, `Device`, `Other`, …
    pub kind: String,
    /// User principal name (user targets only).
    pub upn: Option<String>,
    /// `modifiedProperties` as (displayName, oldValue, newValue); values are the JSON-encoded
    /// texts Entra logs (e.g. `["2026-10-05T00:12:31Z"]`); an empty string stands for `null`.
    pub modified_properties: Vec<(String, String, String)>,
}

/// Deterministic pseudo-random numbers (splitmix64): tiny, seedable, and stable across
/// platforms and versions, which is what reproducible fixtures need (no `rand` dependency).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`; equal seeds give equal sequences.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0). Uses the multiply-shift reduction, whose bias is
    /// negligible for the small ranges used here.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `lo..=hi` (`lo` when `hi < lo`).
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        // 53 random bits give a uniform f64 in [0, 1).
        let x = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        x < p
    }

    /// One element of a non-empty slice (panics on an empty slice: a programming error).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = self.below(items.len() as u64) as usize;
        &items[i]
    }

    /// A random version-4 GUID in lower case, as Entra writes object and correlation ids.
    pub fn guid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xFFFF,
            a & 0x0FFF,
            ((b >> 48) & 0x3FFF) | 0x8000,
            b & 0xFFFF_FFFF_FFFF
        )
    }
}

/// Sorts events by time, then id: the order every generator in this module returns.
pub fn sort_events(events: &mut [SynthAuditEvent]) {
    events.sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.id.cmp(&b.id)));
}
