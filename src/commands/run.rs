//! `sspr-report run`: inputs → ingest → model → metrics → report folder.

use crate::catalog::Lang;
use crate::commands::history::{self, HistoryTarget};
use crate::commands::{Presentation, Status, check_output_folder};
use crate::config::{RunConfig, check_paths};
use crate::correlate::Correlation;
use crate::ingest::{self, IngestOptions};
use crate::metrics::coverage::Warning;
use crate::metrics::writeback::WritebackSummary;
use crate::metrics::{self, Metrics, MetricsOptions};
use crate::model::build;
use crate::model::{Accounting, Model};
use crate::render::ReportDir;
use crate::render::report::{self, RenderOptions};
use crate::render::sanitize::display;
use crate::time::PeriodChoice;
use chrono::NaiveDate;
use std::io::{IsTerminal, Write};
use std::path::Path;

/// Runs the report. Writes a short account to `out` unless `--quiet`.
pub fn run(config: &RunConfig, out: &mut dyn Write) -> anyhow::Result<Status> {
    run_with_history(config, None, out)
}

/// Wall time of each phase on stderr when `SSPR_REPORT_TIMINGS` is set: how `bench/run.sh`
/// tells reading from the single-threaded work after it.
pub(crate) struct Phases {
    last: Option<std::time::Instant>,
}

impl Phases {
    /// Timing on when the environment asks for it.
    pub(crate) fn from_env() -> Phases {
        let on = std::env::var_os("SSPR_REPORT_TIMINGS").is_some_and(|v| !v.is_empty());
        Phases {
            last: on.then(std::time::Instant::now),
        }
    }

    /// Whether timing was asked for.
    pub(crate) fn on(&self) -> bool {
        self.last.is_some()
    }

    /// Ends the phase `name` (and starts the next).
    pub(crate) fn mark(&mut self, name: &str) {
        if let Some(last) = self.last {
            let now = std::time::Instant::now();
            eprintln!(
                "timing: {name} {:.3} s{}",
                (now - last).as_secs_f64(),
                memory_now()
            );
            self.last = Some(now);
        }
    }
}

/// The process's resident and peak memory, where the system tells (Linux).
fn memory_now() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .map(|v| v.trim().to_string())
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(rss), Some(peak)) => {
            // Mapped file pages (the binary's code) count in the RSS too: said apart.
            let file = field("RssFile:").map_or(String::new(), |f| format!(", of it file {f}"));
            format!(" (RSS {rss}, peak {peak}{file})")
        }
        _ => String::new(),
    }
}

/// Gives the memory freed so far back to the system. glibc keeps freed blocks in the arena of
/// the thread that allocated them: what the reading threads freed (read buffers, parsed
/// fields not kept) stayed resident while the model and report, built on other threads, took
/// new memory (the whole tenant: 546 → 520 MB peak with this alone). Elsewhere the allocator
/// returns memory on its own, and this does nothing.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> i32;
        }
        // SAFETY: malloc_trim takes no pointers and only walks glibc's own arenas, under
        // their locks; any thread may call it at any time.
        unsafe {
            malloc_trim(0);
        }
    }
}

/// The pool the model, metrics and report's parallel steps run on: `--threads` threads, as
/// the reading did. `None` when the system gives no threads (all is then done on this one).
fn thread_pool(threads: usize) -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .ok()
}

/// Sets the allocator up for a batch of large buffers: with glibc, every block of 1 MiB or
/// more gets its own mapping, returned when freed. glibc's default threshold climbs to 32 MiB
/// as large blocks are freed, after which read buffers and table parts come from the
/// threads' arenas and stay resident there (the whole tenant: 484 -> 458 MB peak, time
/// unchanged, `MALLOC_MMAP_THRESHOLD_` runs of `bench/run.sh`). Elsewhere this does nothing.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        /// glibc's `M_MMAP_THRESHOLD` parameter of `mallopt`.
        const M_MMAP_THRESHOLD: i32 = -3;
        unsafe extern "C" {
            fn mallopt(param: i32, value: i32) -> i32;
        }
        // SAFETY: mallopt takes no pointers and sets a glibc parameter under its own lock; a
        // bad value is refused with 0, which leaves the default in place.
        unsafe {
            mallopt(M_MMAP_THRESHOLD, 1 << 20);
        }
    }
}

/// Runs `work` on `pool`, or on this thread without one.
fn on_pool<R: Send>(pool: &Option<rayon::ThreadPool>, work: impl FnOnce() -> R + Send) -> R {
    match pool {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// Reads the inputs and computes the model and metrics of `period`.
pub(crate) fn analyse(
    config: &RunConfig,
    files: &[ingest::InputFile],
    period: &PeriodChoice,
) -> anyhow::Result<(Model, Metrics)> {
    let mut phases = Phases::from_env();
    let progress = !config.quiet && std::io::stderr().is_terminal();
    let mut ingested = ingest::ingest(
        files,
        IngestOptions {
            progress,
            onprem_tz: config.onprem_tz,
            threads: config.threads,
        },
    )?;
    release_free_memory();
    phases.mark("read");
    let options = build::BuildOptions {
        tz: config.tz,
        match_window: config.match_window,
        gap: config.gap,
    };
    let pool = thread_pool(config.threads);
    let model = on_pool(&pool, || build::build(&mut ingested, period, &options));
    release_free_memory();
    phases.mark("model");
    if phases.on() {
        eprintln!(
            "timing: kept {} audit records, {} bytes each before their texts",
            model.records.len(),
            std::mem::size_of::<crate::model::AuditRecord>()
        );
    }
    let explicit = matches!(period, PeriodChoice::Explicit(_));
    let metrics_options = MetricsOptions {
        gap: config.gap,
        explicit_period: explicit,
        throttle_threshold: config.throttle_threshold,
        throttle_window: config.throttle_window,
        lang: config.lang,
        match_window: config.match_window,
    };
    let metrics = on_pool(&pool, || metrics::compute(&model, &metrics_options))?;
    phases.mark("metrics");
    Ok((model, metrics))
}

/// Runs the report and, with `--history`, writes its months into the Parquet history.
pub fn run_with_history(
    config: &RunConfig,
    history: Option<&HistoryTarget>,
    out: &mut dyn Write,
) -> anyhow::Result<Status> {
    let shown = Presentation::of(config)?;
    let target = shown.report_dir(config);
    check_paths(&config.inputs, Some(&target))?;
    check_output_folder(&target, crate::render::output::OutputKind::Report)?;
    if let Some(h) = history {
        h.check(&config.inputs, &target)?;
    }
    let mut files = ingest::collect_files(&config.inputs)?;
    // Sorted, so the order of INPUT arguments never changes the report.
    files.sort();
    let (model, mut metrics) = analyse(config, &files, &config.period)?;

    let chosen_by = match &config.period {
        PeriodChoice::Explicit(p) if p.slug().len() == 7 => "month",
        PeriodChoice::Explicit(_) => "range",
        PeriodChoice::FromData => "data",
    };
    // Display names are only known once the snapshots are read. File names may name a person
    // (`taro.yamada@….csv`): every warning that quotes one shows its pseudonym, as inputs.csv
    // and rejects.csv do, on the page and on the terminal alike.
    let pseudonymizer = shown.pseudonymizer.clone().map(|mut p| {
        p.add_files(model.inputs.files.iter().map(|f| f.file.display.as_str()));
        if let Some(onprem) = &model.onprem {
            p.add_computers(onprem.spans.keys());
        }
        if let Some(s) = &model.registration.snapshot {
            p.add_names(s.rows.values().filter_map(|r| r.display_name.clone()));
        }
        if let Some(l) = &model.licenses {
            p.add_names(l.rows.values().filter_map(|r| r.display_name.clone()));
        }
        p
    });
    if let Some(crate::render::charts::FontPlan::SvgOnly(_)) = &shown.charts {
        metrics.coverage.warnings.push(Warning::NoJapaneseFont);
    }
    let (previous, mut notes) = match history {
        Some(h) => {
            let (p, note) = history::previous(h, &config.period);
            (p, note.into_iter().collect())
        }
        None => (None, Vec::new()),
    };
    let options = RenderOptions {
        stream_events: !config.xlsx && history.is_none(),
        bom: config.bom,
        lang: config.lang,
        chosen_by,
        charts: shown.charts.clone(),
        xlsx: config.xlsx,
        parquet: config.parquet,
        pseudonymizer: pseudonymizer.clone(),
        previous,
    };
    let mut phases = Phases::from_env();
    // The report's parallel steps (the events' order, table parts) on `--threads` threads too.
    let pool = thread_pool(config.threads);
    let (summary, tables) = on_pool(&pool, || report::prepared(&model, &metrics, &options))?;
    phases.mark("tables");
    // The history's Parquet and the report's files are made side by side when the history
    // takes the report's own tables (a run of one month, named): both only read them, and the
    // history's flushes to disk wait on the device, not on a core. A history that computes its
    // months again comes first, alone. A failed history leaves no report either way: the
    // report's folder is swapped in only after it.
    let beside = history.is_some_and(|_| !history::rereads_inputs(&config.period, &model.period));
    let mut dir = ReportDir::create(&target)?;
    let write_history = || -> anyhow::Result<history::Written> {
        let Some(h) = history else {
            return Ok(history::Written::default());
        };
        let report = history::Report {
            model: &model,
            metrics: &metrics,
            summary: &summary,
            tables: &tables,
        };
        history::write(config, h, &files, &report, &options)
    };
    let render = || {
        report::render_prepared(
            &model,
            &metrics,
            &summary,
            &tables,
            &options,
            &mut |name, body| dir.write_with(name, |out| body.write_to(out)),
        )
    };
    let history_written = if beside {
        let (history_written, rendered) = on_pool(&pool, || rayon::join(write_history, render));
        // The history's error first, as when it ran before the report.
        let history_written = history_written?;
        rendered?;
        history_written
    } else {
        let history_written = write_history()?;
        on_pool(&pool, render)?;
        history_written
    };
    notes.extend(history_written.notes);
    let months = history_written.months;
    let written = dir.files().len();
    let path = dir.commit()?;
    phases.mark(match history {
        Some(_) => "history, render and write",
        None => "render and write",
    });

    let acc = &model.accounting;
    if !config.quiet {
        let t = Terminal(config.lang);
        let s = &metrics.sspr.counts;
        // Without an audit log there is no flow line: the first warning says why.
        if model.audit_span.is_some() {
            let period = (model.period.from, model.period.to, model.tz.name());
            writeln!(
                out,
                "{}",
                t.flows(
                    s.flows,
                    period,
                    [s.succeeded, s.failed, s.blocked, s.abandoned]
                )
            )?;
        }
        writeln!(out, "{}", t.records(acc))?;
        match (&metrics.writeback, &metrics.correlation) {
            (Some(w), Some(c)) => writeln!(out, "{}", t.writeback(&w.summary, c))?,
            // A log was read, but none of it lies in the period: unknown, not zero.
            (None, Some(_)) => writeln!(out, "{}", t.writeback_unknown())?,
            _ => {}
        }
        for w in &metrics.coverage.warnings {
            let text = w.text(config.lang);
            let text = match &pseudonymizer {
                Some(p) => p.warning(&text),
                None => text,
            };
            writeln!(out, "{} {}", t.warning(), display(&text))?;
        }
        for n in &notes {
            writeln!(out, "{} {}", t.warning(), display(n))?;
        }
        writeln!(out, "{}", t.written(&path, written))?;
        if let Some(h) = history.filter(|_| !months.is_empty()) {
            writeln!(out, "{}", t.history(h, &months))?;
        }
    }
    let rejected = acc.rejected;
    free_in_background(model, metrics);
    if config.strict && rejected > 0 {
        anyhow::bail!(Terminal(config.lang).strict(rejected, &path));
    }
    Ok(Status::Done)
}

/// Frees the model and metrics on a thread of their own: a large run's take some 40 ms to
/// free, on the one thread left once the report is written, just before the process ends
/// (and the system takes the memory back whole). Called in a loop (the fuzz target), the
/// memory is still freed.
fn free_in_background(model: Model, metrics: Metrics) {
    // Were no thread to be had, the closure and what it holds are dropped here.
    let _ = std::thread::Builder::new().spawn(move || drop((model, metrics)));
}

/// A path as the terminal may show it: control characters (a newline, an escape sequence that
/// sets the window title) become `?`.
fn shown(path: &Path) -> String {
    display(&path.display().to_string()).into_owned()
}

/// The account `run` prints, in the report's language.
struct Terminal(Lang);

impl Terminal {
    fn warning(&self) -> &'static str {
        match self.0 {
            Lang::En => "warning:",
            Lang::Ja => "警告:",
        }
    }

    fn flows(&self, n: u64, (from, to, tz): (NaiveDate, NaiveDate, &str), o: [u64; 4]) -> String {
        match self.0 {
            Lang::En => format!(
                "{n} flows from {from} to {to} ({tz}): {} succeeded, {} failed, {} blocked, {} abandoned",
                o[0], o[1], o[2], o[3]
            ),
            Lang::Ja => format!(
                "{from} から {to} ({tz}) の SSPR フロー {n} 件: 成功 {}、失敗 {}、ブロック {}、中断 {}",
                o[0], o[1], o[2], o[3]
            ),
        }
    }

    fn records(&self, a: &Accounting) -> String {
        let (files, read) = (a.files, a.records_read);
        let (used, scope, dup, rej) = (a.used, a.out_of_scope, a.duplicate, a.rejected);
        match self.0 {
            Lang::En => format!(
                "{files} files, {read} records read: {used} used, {scope} out of scope, {dup} duplicate, \
                 {rej} rejected{}",
                if rej > 0 { " (see rejects.csv)" } else { "" }
            ),
            Lang::Ja => format!(
                "{files} ファイル、{read} レコードを読み込み: 使用 {used}、対象外 {scope}、重複 {dup}、\
                 不正 {rej}{}",
                if rej > 0 {
                    " (rejects.csv を参照)"
                } else {
                    ""
                }
            ),
        }
    }

    fn writeback_unknown(&self) -> &'static str {
        match self.0 {
            Lang::En => "writeback: unknown (no on-prem log record lies inside the period)",
            Lang::Ja => "ライトバック: 不明 (期間内のオンプレミス ログのレコードがありません)",
        }
    }

    fn writeback(&self, w: &WritebackSummary, c: &Correlation) -> String {
        match self.0 {
            Lang::En => format!(
                "writeback: {} operations ({} succeeded, {} failed, {} pending), {} outage(s) ({} min); \
                 {} flows matched, {} cloud only, {} on-prem only, {} not checked",
                w.requests,
                w.succeeded,
                w.failed,
                w.pending,
                w.outages,
                w.outage_minutes,
                c.matched,
                c.cloud_only,
                c.onprem_only,
                c.not_checked
            ),
            Lang::Ja => format!(
                "ライトバック: 操作 {} 件 (成功 {}、失敗 {}、結果なし {})、停止 {} 回 ({} 分); \
                 オンプレミスと一致 {}、クラウドのみ {}、オンプレミスのみ {}、未確認 {}",
                w.requests,
                w.succeeded,
                w.failed,
                w.pending,
                w.outages,
                w.outage_minutes,
                c.matched,
                c.cloud_only,
                c.onprem_only,
                c.not_checked
            ),
        }
    }

    fn strict(&self, rejected: u64, path: &Path) -> String {
        match self.0 {
            Lang::En => format!(
                "--strict: {rejected} record(s) rejected; the report was written to {} (see rejects.csv)",
                shown(path)
            ),
            Lang::Ja => format!(
                "--strict: 不正なレコードが {rejected} 件ありました。レポートは {} に出力しました (rejects.csv を参照)",
                shown(path)
            ),
        }
    }

    /// The months `--history` wrote: new or replacing the stored one, and whether complete.
    fn history(&self, target: &HistoryTarget, months: &[history::MonthWritten]) -> String {
        let each: Vec<String> = months
            .iter()
            .map(|m| {
                let (new, replaced, short) = match self.0 {
                    Lang::En => ("new", "replaced", " (incomplete)"),
                    Lang::Ja => ("新規", "置き換え", " (不完全)"),
                };
                let done = if m.replaced { replaced } else { new };
                let short = if m.complete { "" } else { short };
                format!("{} {done}{short}", m.month)
            })
            .collect();
        let (dir, tenant) = (shown(&target.dir), display(&target.tenant));
        match self.0 {
            Lang::En => format!("history: {dir} (tenant {tenant}): {}", each.join(", ")),
            Lang::Ja => format!("履歴: {dir} (テナント {tenant}): {}", each.join("、")),
        }
    }

    fn written(&self, path: &Path, files: usize) -> String {
        match self.0 {
            Lang::En => format!("report: {} ({files} files)", shown(path)),
            Lang::Ja => format!("レポート: {} ({files} ファイル)", shown(path)),
        }
    }
}
