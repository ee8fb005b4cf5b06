//! What docs/collect.md promises about the folders an administrator hands over: a storage
//! account's diagnostic-settings archive, downloaded as it is, is read whole.

use crate::support::{fixture, run_report};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The archive's blob path for the hour of `time` (`2026-10-04T17:15:59…Z`): one `PT1H.json` per
/// hour, every one with the same name, under `y=/m=/d=/h=/m=00` folders (Azure Monitor's naming).
fn blob_path(root: &Path, tenant: &str, time: &str) -> PathBuf {
    let (y, mo, d, h) = (&time[0..4], &time[5..7], &time[8..10], &time[11..13]);
    root.join("insights-logs-auditlogs")
        .join("resourceId=")
        .join("tenants")
        .join(tenant)
        .join("providers")
        .join("Microsoft.aadiam")
        .join(format!("y={y}"))
        .join(format!("m={mo}"))
        .join(format!("d={d}"))
        .join(format!("h={h}"))
        .join("m=00")
        .join("PT1H.json")
}

/// Cuts the Event Hub fixture into the hourly blobs of a storage archive under `root`; returns
/// how many lines each blob got, by its path relative to `root` with `/` separators.
fn write_archive(root: &Path) -> BTreeMap<String, usize> {
    let text = std::fs::read_to_string(fixture("formats/event_hub_diagnostic_PT1H.json"))
        .expect("fixture reads");
    let mut blobs: BTreeMap<PathBuf, String> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let record: serde_json::Value = serde_json::from_str(line).expect("fixture line parses");
        let time = record["time"].as_str().expect("every line has a time");
        let tenant = record["tenantId"]
            .as_str()
            .expect("every line has a tenant");
        let blob = blobs.entry(blob_path(root, tenant, time)).or_default();
        blob.push_str(line);
        blob.push('\n');
    }
    let mut lines = BTreeMap::new();
    for (path, body) in &blobs {
        std::fs::create_dir_all(path.parent().expect("blob has a folder")).expect("mkdir");
        std::fs::write(path, body).expect("write blob");
        let rel = path.strip_prefix(root).expect("under root");
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        lines.insert(rel.join("/"), body.lines().count());
    }
    lines
}

#[test]
fn storage_account_archive_is_read_recursively_every_blob_and_record() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("archive");
    let blobs = write_archive(&root);
    // The fixture spans 2026-10-04 17:00 to 2026-10-05 08:00 UTC: many hours, many same-named files.
    assert!(
        blobs.len() > 5,
        "the fixture should span several hours: {blobs:?}"
    );
    let total: usize = blobs.values().sum();

    let archive = run_report(
        std::slice::from_ref(&root),
        &["--tz", "Asia/Tokyo", "--quiet"],
    );
    assert_eq!(archive.code, 0, "{}", archive.stderr);
    archive.assert_accounting();

    // Every blob has its own row, recognised as the audit log, with all of its lines read.
    let rows = archive.rows("inputs.csv");
    let header = &rows[0];
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("inputs.csv has no {name}: {header:?}"))
    };
    let (file, kind, read, rejected) = (
        col("file"),
        col("kind"),
        col("records_read"),
        col("rejected"),
    );
    let mut seen = BTreeMap::new();
    for row in rows.iter().skip(1) {
        assert_eq!(row[kind], "audit_log", "{row:?}");
        assert_eq!(row[rejected], "0", "{row:?}");
        let rel = row[file]
            .strip_prefix("archive/")
            .unwrap_or_else(|| panic!("file named under the folder given: {row:?}"));
        let n: usize = row[read].parse().expect("records_read is a number");
        seen.insert(rel.to_string(), n);
    }
    assert_eq!(
        seen, blobs,
        "one inputs.csv row per blob, with every line read"
    );
    assert_eq!(
        archive.summary()["inputs"]["records_read"].as_u64(),
        Some(total as u64)
    );
    assert_eq!(
        archive.summary()["inputs"]["duplicate"].as_u64(),
        Some(0),
        "same-named blobs in different hours are not copies of each other"
    );

    // The flows are those of the same records read as one file.
    let single = run_report(
        &[fixture("formats/event_hub_diagnostic_PT1H.json")],
        &["--tz", "Asia/Tokyo", "--quiet"],
    );
    assert_eq!(single.code, 0, "{}", single.stderr);
    let flows = |r: &crate::support::Report| -> BTreeSet<Vec<String>> {
        r.rows("flows.csv").into_iter().skip(1).collect()
    };
    assert!(!flows(&single).is_empty());
    assert_eq!(flows(&archive), flows(&single));
}
