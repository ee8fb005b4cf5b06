//! The Parquet history (`run --history DIR`): every report's tables, month by month, in a Hive
//! layout that Spark, Trino, DuckDB and polars read as they are:
//! `DIR/<table>/tenant=<NAME>/month=<YYYY-MM>/part-0.parquet`. `trend` reads it back.
//!
//! A month's partition is one file, replaced by a rename: a reader sees the old file or the new
//! one, never half of either, and never two copies of a month (a `kill -9` leaves at most a
//! hidden temporary file, which no engine's glob matches and the next write removes).

pub mod read;
pub mod typed;

use crate::render::csv::CsvTable;
use polars::prelude::*;
use std::path::{Path, PathBuf};

/// The version of the columns this build writes and reads. A partition of another version is
/// refused, never guessed at.
pub const SCHEMA_VERSION: i32 = 1;

/// Tables of the history and the report file each comes from. `summary` is written last, so a
/// month's summary row never describes tables that are not there yet.
pub const TABLES: [(&str, &str); 8] = [
    ("flows", "flows.csv"),
    ("daily", "daily.csv"),
    ("failure_reasons", "failure_reasons.csv"),
    ("throttling", "throttling.csv"),
    ("registrations", "registrations.csv"),
    ("license_gaps", "license_gaps.csv"),
    ("writeback_events", "writeback_events.csv"),
    ("writeback_health", "writeback_health.csv"),
];

/// The one-row-per-month table of every number of summary.json.
pub const SUMMARY: &str = "summary";

/// Problems with the history. Reading and writing it never panics on what is on disk.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// The file system refused.
    #[error("{action} {}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// polars could not build or write a table (a bug, not bad input).
    #[error("writing {}: {message}", .path.display())]
    Write { path: PathBuf, message: String },
    /// A partition written by another version of the history's columns.
    #[error(
        "{}: schema_version {found} is not one this sspr-report knows ({SCHEMA_VERSION}); \
         read it with the sspr-report that wrote it, or move it out of the history",
        .path.display()
    )]
    UnknownSchema { path: PathBuf, found: String },
    /// A Parquet file that cannot be read (truncated, not Parquet, wrong columns).
    #[error("{}: cannot be read ({message}); its month is left out", .path.display())]
    Damaged { path: PathBuf, message: String },
    /// A symbolic link where the layout has a folder or a partition file: following it could
    /// write or read outside the history (a linked month folder made a run overwrite a file
    /// elsewhere).
    #[error(
        "{}: a symbolic link inside the history; sspr-report never follows links there (one \
         could lead outside it): replace it with a real folder, or choose another history folder",
        .0.display()
    )]
    Link(PathBuf),
    /// The folder holds no history at all.
    #[error(
        "{} holds no sspr-report history (no {SUMMARY}/tenant=…/month=…/part-0.parquet); \
         write one with `sspr-report run … --history {}`",
        .0.display(), .0.display()
    )]
    NoHistory(PathBuf),
}

impl HistoryError {
    /// The message in Japanese (`--lang ja`); paths and values stay as they are.
    pub fn japanese(&self) -> String {
        match self {
            HistoryError::Io { action, path, .. } => {
                let action = match *action {
                    "creating folder" => "フォルダーの作成",
                    "writing" => "書き込み",
                    "replacing" => "置き換え",
                    other => other,
                };
                format!("{} の{action}に失敗しました", path.display())
            }
            HistoryError::Write { path, message } => {
                format!("{} の書き込みに失敗しました: {message}", path.display())
            }
            HistoryError::UnknownSchema { path, found } => format!(
                "{}: schema_version {found} はこの sspr-report の知らない版です ({SCHEMA_VERSION} のみ対応)。\
                 書き込んだ sspr-report で読むか、履歴の外へ移してください",
                path.display()
            ),
            HistoryError::Damaged { path, message } => format!(
                "{}: 読み込めません ({message})。この月は空欄になります",
                path.display()
            ),
            HistoryError::Link(path) => format!(
                "{}: 履歴の中のシンボリックリンクです。履歴の外を指すおそれがあるため、リンクはたどりません。\
                 実際のフォルダーに置き換えるか、別の履歴フォルダーを指定してください",
                path.display()
            ),
            HistoryError::NoHistory(dir) => format!(
                "{} に sspr-report の履歴がありません (summary/tenant=…/month=…/part-0.parquet がない)。\
                 `sspr-report run … --history {}` で作成してください",
                dir.display(),
                dir.display()
            ),
        }
    }
}

fn io<'a>(
    action: &'static str,
    path: &'a Path,
) -> impl FnOnce(std::io::Error) -> HistoryError + 'a {
    move |source| HistoryError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// The partition file of one table, tenant and month.
pub fn partition(dir: &Path, table: &str, tenant: &str, month: &str) -> PathBuf {
    dir.join(table)
        .join(format!("tenant={tenant}"))
        .join(format!("month={month}"))
        .join("part-0.parquet")
}

/// Refuses a symbolic link anywhere on the paths of `tenant`'s partitions below `dir`: table
/// folders, the tenant folders, month folders and partition files. `dir` itself may be a link
/// (the user named it); nothing below it may lead elsewhere.
pub fn check_links(dir: &Path, tenant: &str) -> Result<(), HistoryError> {
    let is_link = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
    let refuse = |p: &Path| {
        if is_link(p) {
            Err(HistoryError::Link(p.to_path_buf()))
        } else {
            Ok(())
        }
    };
    for table in TABLES.iter().map(|(t, _)| *t).chain([SUMMARY]) {
        let table_dir = dir.join(table);
        let tenant_dir = table_dir.join(format!("tenant={tenant}"));
        refuse(&table_dir)?;
        refuse(&tenant_dir)?;
        let Ok(entries) = std::fs::read_dir(&tenant_dir) else {
            continue;
        };
        for e in entries.flatten() {
            refuse(&e.path())?;
            refuse(&e.path().join("part-0.parquet"))?;
        }
    }
    Ok(())
}

/// One month of a report, ready for the history.
#[derive(Debug)]
pub struct MonthData<'a> {
    /// `YYYY-MM`, a local month in the report's time zone.
    pub month: String,
    /// summary.json as the report writes it (pseudonymized when asked for).
    pub summary: &'a serde_json::Value,
    /// The report's tables by file name (pseudonymized when asked for).
    pub tables: &'a [(&'static str, CsvTable)],
    /// Whether the whole month lies in the period and the inputs cover it.
    pub complete: bool,
}

/// Writes (or replaces) one month of one tenant: a partition per table, the summary last.
/// The partitions are encoded and flushed to temporary files side by side, then renamed into
/// place one by one in the order of [`TABLES`], the summary last.
pub fn write_month(dir: &Path, tenant: &str, data: &MonthData<'_>) -> Result<(), HistoryError> {
    use rayon::prelude::*;
    check_links(dir, tenant)?;
    let existing = partition(dir, SUMMARY, tenant, &data.month);
    if existing.is_file() {
        // A month written by a newer layout is not overwritten by an older one.
        read::check_version(&existing)?;
    }
    let staged: Vec<Staged> = TABLES
        .par_iter()
        .filter_map(|(table, file)| {
            let (_, t) = data.tables.iter().find(|(n, _)| n == file)?;
            let path = partition(dir, table, tenant, &data.month);
            Some(
                typed::table_frame(t)
                    .map_err(|e| write_error(&path, e))
                    .and_then(|mut df| stage(path, &mut df)),
            )
        })
        .collect::<Result<_, _>>()?;
    let path = partition(dir, SUMMARY, tenant, &data.month);
    let mut df =
        typed::summary_frame(data.summary, data.complete).map_err(|e| write_error(&path, e))?;
    let summary = stage(path, &mut df)?;
    // Test seam: a run killed between writing the new files and renaming them.
    if std::env::var_os("SSPR_TEST_HISTORY_CRASH").is_some() {
        std::process::abort();
    }
    for s in staged {
        s.commit()?;
    }
    summary.commit()
}

fn write_error(path: &Path, e: PolarsError) -> HistoryError {
    HistoryError::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// A partition written whole to a temporary file beside its place, not yet renamed over it.
struct Staged {
    temp: PathBuf,
    path: PathBuf,
}

/// Writes `df` to a hidden temporary file beside `path` and flushes it to disk.
fn stage(path: PathBuf, df: &mut DataFrame) -> Result<Staged, HistoryError> {
    let folder = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(io("creating folder", folder))?;
    remove_leftovers(folder);
    let temp = folder.join(format!(".part-0.parquet.tmp-{}", std::process::id()));
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes)
        .with_compression(crate::render::parquet::COMPRESSION)
        .finish(df)
        .map_err(|e| write_error(&path, e))?;
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&temp).map_err(io("writing", &temp))?;
        f.write_all(&bytes).map_err(io("writing", &temp))?;
        f.sync_all().map_err(io("writing", &temp))?;
    }
    Ok(Staged { temp, path })
}

impl Staged {
    /// Renames the temporary file over the partition: the rename is atomic, so the partition
    /// is always the old file or the new one, whole.
    fn commit(self) -> Result<(), HistoryError> {
        std::fs::rename(&self.temp, &self.path).map_err(io("replacing", &self.path))?;
        // The rename itself reaches the disk only when the folder is flushed.
        if let Some(folder) = self.path.parent()
            && let Ok(d) = std::fs::File::open(folder)
        {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

/// Removes temporary files that a killed run left in a partition folder.
fn remove_leftovers(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for e in entries.flatten() {
        if e.file_name()
            .to_string_lossy()
            .starts_with(".part-0.parquet.tmp-")
        {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Whether a tenant name is safe as one path component of the layout.
pub fn valid_tenant(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.starts_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The folder named as the history may be a link; a partition file below it may not
    /// (reading it would read whatever it leads to).
    #[cfg(unix)]
    #[test]
    fn links_are_refused_below_the_history_but_not_as_it() {
        let root = tempfile::tempdir().expect("tempdir");
        let real = root.path().join("real");
        let part = partition(&real, SUMMARY, "t", "2026-10");
        std::fs::create_dir_all(part.parent().expect("parent")).expect("mkdir");
        let linked_dir = root.path().join("linked");
        std::os::unix::fs::symlink(&real, &linked_dir).expect("symlink");
        assert!(check_links(&linked_dir, "t").is_ok());
        std::fs::write(root.path().join("elsewhere"), b"x").expect("write");
        std::os::unix::fs::symlink(root.path().join("elsewhere"), &part).expect("symlink");
        let err = check_links(&linked_dir, "t").expect_err("refused");
        assert!(matches!(&err, HistoryError::Link(p) if p.ends_with("part-0.parquet")));
        assert!(
            err.japanese().contains("シンボリックリンク"),
            "{}",
            err.japanese()
        );
    }
}
