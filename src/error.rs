//! Typed errors of the library. The binary wraps them in `anyhow` and maps them to exit codes.
//!
//! Layer: the bottom; imports nothing of this crate.

use std::path::PathBuf;

/// A problem with the command line that the user must fix (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// An option value that does not parse or is out of range.
    #[error("invalid value '{value}' for '{option}': {reason}")]
    InvalidValue {
        option: &'static str,
        value: String,
        reason: String,
    },
    /// Options that contradict each other.
    #[error("{0}")]
    Conflict(String),
    /// An input path that does not exist.
    #[error(
        "input not found: {}; check the path (relative paths start at the current folder, or at \
         the config file's folder for paths in it)",
        .0.display()
    )]
    MissingInput(PathBuf),
    /// The output folder would overlap an input.
    #[error("output folder {} overlaps input {}: choose --out outside the inputs", .out.display(), .input.display())]
    OutputOverlapsInput { out: PathBuf, input: PathBuf },
    /// The output folder exists and is not one this tool may replace (it holds files the tool
    /// did not write, or it is the current, home or root folder); `reason` says what to do.
    #[error("refusing to write into {}: {reason}", .out.display())]
    OutputNotReplaceable { out: PathBuf, reason: String },
    /// No input given and the bundled sample is not where it should be.
    #[error(
        "no INPUT given and the bundled sample folder fixtures/sample/ was not found; pass the exported files or folders to read"
    )]
    NoSample,
    /// A config file (`--config`, `./sspr-report.toml`) that cannot be read or is not TOML;
    /// `reason` says what to do.
    #[error("config file {}: {reason}", .file.display())]
    ConfigFile { file: PathBuf, reason: String },
    /// A key in a config file that is not an option of `run` (a typo must not be ignored).
    #[error(
        "unknown key '{key}' in config file {}: the keys are the long option names of run \
         (sspr-report run --help): {known}",
        .file.display()
    )]
    UnknownConfigKey {
        key: String,
        file: PathBuf,
        known: String,
    },
    /// A value of the wrong type or out of range in a config file.
    #[error("invalid value for '{key}' in config file {}: {reason}", .file.display())]
    ConfigValue {
        key: String,
        file: PathBuf,
        reason: String,
    },
    /// The file given to --pseudonymize-key-file cannot be read.
    #[error(
        "cannot read the pseudonymisation key from {}: {reason}; give --pseudonymize-key-file \
         a readable text file whose first line is the key",
        .path.display()
    )]
    KeyFile { path: PathBuf, reason: String },
}

impl ConfigError {
    /// The message in Japanese, for `--lang ja` (`Display` is the English one). Values, paths
    /// and option names stay as typed; a reason this catalogue does not know stays English.
    pub fn japanese(&self) -> String {
        match self {
            ConfigError::InvalidValue {
                option,
                value,
                reason,
            } => format!(
                "'{option}' の値 '{value}' は使えません: {}",
                reason_ja(reason)
            ),
            ConfigError::Conflict(text) => conflict_ja(text),
            ConfigError::MissingInput(path) => format!(
                "入力が見つかりません: {}。パスを確認してください (相対パスは現在のフォルダーから、\
                 設定ファイル内のパスはそのファイルのフォルダーから数えます)",
                path.display()
            ),
            ConfigError::OutputOverlapsInput { out, input } => format!(
                "出力フォルダー {} が入力 {} と重なっています。--out には入力の外のフォルダーを指定してください",
                out.display(),
                input.display()
            ),
            ConfigError::OutputNotReplaceable { out, reason } => format!(
                "{} には書き込みません: {}",
                out.display(),
                reason_ja(reason)
            ),
            ConfigError::NoSample => {
                "入力が指定されておらず、同梱のサンプル フォルダー fixtures/sample/ \
                 も見つかりません。エクスポートしたファイルまたはフォルダーを指定してください"
                    .to_string()
            }
            ConfigError::ConfigFile { file, reason } => {
                format!("設定ファイル {}: {}", file.display(), reason_ja(reason))
            }
            ConfigError::UnknownConfigKey { key, file, known } => format!(
                "設定ファイル {} のキー '{key}' は使えません。キーは run の長いオプション名です \
                 (sspr-report run --help): {known}",
                file.display()
            ),
            ConfigError::ConfigValue { key, file, reason } => format!(
                "設定ファイル {} の '{key}' の値は使えません: {}",
                file.display(),
                reason_ja(reason)
            ),
            ConfigError::KeyFile { path, reason } => format!(
                "{} から仮名化のキーを読み込めません: {reason}。--pseudonymize-key-file には、\
                 1 行目がキーである読み取り可能なテキスト ファイルを指定してください",
                path.display()
            ),
        }
    }
}

/// Japanese for the reasons option checks give, by their English text (they are built in
/// `config`, `render::output`, `render::pseudonymize` and `render::charts`, below or beside
/// this module's callers). Unknown reasons are returned as they are.
fn reason_ja(reason: &str) -> String {
    const EXACT: &[(&str, &str)] = &[
        (
            "expected YYYY-MM, for example 2026-10",
            "YYYY-MM の形式で指定してください (例: 2026-10)",
        ),
        (
            "the month must be 01 to 12",
            "月は 01 から 12 で指定してください",
        ),
        (
            "the year must be 1970 to 9999",
            "年は 1970 から 9999 で指定してください",
        ),
        ("not a month", "月ではありません"),
        (
            "the user must not be blank; give a UPN such as taro.yamada@contoso.co.jp",
            "ユーザーが空です。taro.yamada@contoso.co.jp のような UPN を指定してください",
        ),
        (
            "the flow must not be blank; give its CorrelationId",
            "フローが空です。CorrelationId を指定してください",
        ),
        (
            "expected a date YYYY-MM-DD, for example 2026-10-01",
            "YYYY-MM-DD の形式の日付を指定してください (例: 2026-10-01)",
        ),
        (
            "not an IANA time-zone name; use a name such as UTC, Asia/Tokyo or Europe/Berlin",
            "IANA のタイム ゾーン名ではありません。UTC、Asia/Tokyo、Europe/Berlin などの名前を指定してください",
        ),
        (
            "expected a duration such as 90s, 5m, 1h or 1h30m",
            "90s、5m、1h、1h30m のような長さを指定してください",
        ),
        (
            "expected a number before each unit, such as 5m",
            "単位の前に数値を付けてください (例: 5m)",
        ),
        ("too long", "長すぎます"),
        (
            "missing unit: write 5m, not 5",
            "単位がありません。5 ではなく 5m のように指定してください",
        ),
        ("must be longer than zero", "0 より長くしてください"),
        ("must be at most 366 days", "366 日以下にしてください"),
        (
            "must be at most 24h: a wider window pairs unrelated resets",
            "24h 以下にしてください。これより広いと無関係なリセットを組み合わせてしまいます",
        ),
        (
            "must be at most 7d: Microsoft's rules count attempts per hour or per 24 hours",
            "7d 以下にしてください。Microsoft の規則は 1 時間または 24 時間あたりの試行回数を数えます",
        ),
        (
            "it is the root folder; give --out a new or empty folder",
            "ルート フォルダーです。--out には新しいフォルダーか空のフォルダーを指定してください",
        ),
        (
            "it is your home folder; give --out a new or empty folder",
            "ホーム フォルダーです。--out には新しいフォルダーか空のフォルダーを指定してください",
        ),
        (
            "it is the current folder or holds it; give --out a new or empty folder, such as reports/2026-10",
            "現在のフォルダーか、それを含むフォルダーです。--out には新しいフォルダーか空のフォルダー (例: reports/2026-10) を指定してください",
        ),
        (
            "it is a symbolic link; give the folder's own path, or another --out",
            "シンボリック リンクです。フォルダー自体のパスか、別の --out を指定してください",
        ),
        (
            "a file, not a folder, has that name: choose another --out",
            "その名前はフォルダーではなくファイルです。別の --out を指定してください",
        ),
        (
            "it is a report of sspr-report run, not a synthetic tenant of sspr-report synth; choose another folder, or remove it yourself",
            "sspr-report run のレポートで、sspr-report synth の合成テナントではありません。別のフォルダーを指定するか、ご自分で削除してください",
        ),
        (
            "it is a synthetic tenant of sspr-report synth, not a report of sspr-report run; choose another folder, or remove it yourself",
            "sspr-report synth の合成テナントで、sspr-report run のレポートではありません。別のフォルダーを指定するか、ご自分で削除してください",
        ),
    ];
    if let Some((_, ja)) = EXACT.iter().find(|(en, _)| *en == reason) {
        return (*ja).to_string();
    }
    if let Some(names) = reason
        .strip_prefix("it holds files sspr-report did not write (")
        .and_then(|rest| rest.split_once("), which replacing it would delete"))
        .map(|(names, _)| names)
    {
        let names = match names.rsplit_once(" and ") {
            Some((shown, more)) => match more.strip_suffix(" more") {
                Some(n) => format!("{shown} ほか {n} 件"),
                None => names.to_string(),
            },
            None => names.to_string(),
        };
        return format!(
            "sspr-report が書いていないファイル ({names}) があり、置き換えると削除されてしまいます。\
             新しいフォルダーか空のフォルダーを指定するか、それらのファイルを移動するかフォルダーをご自分で削除してください"
        );
    }
    if let Some(e) = reason
        .strip_prefix("its content cannot be listed (")
        .and_then(|r| r.strip_suffix(')'))
    {
        return format!("中身を一覧できません ({e})");
    }
    if reason.starts_with("the --pseudonymize key is empty") {
        return "--pseudonymize のキーが空です。8 文字以上の秘密の文字列を指定し、次回以降の実行のために保管してください".to_string();
    }
    if reason.starts_with("the --pseudonymize key is shorter than") {
        return "--pseudonymize のキーが 8 文字未満です。短いキーは総当たりで見つかり、そこから仮名も名前の総当たりで元に戻せてしまいます".to_string();
    }
    reason.to_string()
}

/// Japanese for a conflict between options, by its English text.
fn conflict_ja(text: &str) -> String {
    if let Some((to, from)) = text
        .strip_prefix("--to ")
        .and_then(|r| r.strip_suffix(": the period would be empty"))
        .and_then(|r| r.split_once(" is before --from "))
    {
        return format!("--to {to} が --from {from} より前です。期間が空になります");
    }
    if text.starts_with("the period is longer than 366 days") {
        return "期間が 366 日を超えています。1 か月または 1 年ずつレポートしてください"
            .to_string();
    }
    text.to_string()
}

/// A failure that stops a run (exit code 1). Bad records never produce one of these:
/// they are counted as rejected and listed in `rejects.csv`.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Reading an input or writing the report failed at the file-system level.
    // The cause is not repeated here: it is the error's source, which the binary prints
    // after this text (`error: writing report/flows.csv: File too large (os error 27)`).
    #[error("{action} {}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The aggregation engine failed (a bug, not bad input).
    #[error("aggregation failed: {0}")]
    Polars(#[from] polars::error::PolarsError),
    /// Reading an input failed outside the parsers (a reader thread died).
    #[error("reading {file}: {message}")]
    Read { file: String, message: String },
    /// Serialising a report failed.
    #[error("writing {file}: {message}")]
    Render { file: String, message: String },
}

impl RunError {
    /// The message in Japanese, for `--lang ja` (`Display` is the English one); the cause (an
    /// operating-system error) is printed after it as the system gives it.
    pub fn japanese(&self) -> String {
        match self {
            RunError::Io { action, path, .. } => {
                let action = match *action {
                    "creating folder" => "フォルダーの作成",
                    "moving aside" => "退避",
                    "moving into place" => "所定の場所への移動",
                    "opening" => "オープン",
                    "reading" => "読み込み",
                    "reading folder" => "フォルダーの読み込み",
                    "removing" => "削除",
                    "writing" => "書き込み",
                    other => other,
                };
                format!("{} の{action}に失敗しました", path.display())
            }
            RunError::Polars(e) => format!("集計に失敗しました: {e}"),
            RunError::Read { file, message } => {
                format!("{file} の読み込みに失敗しました: {message}")
            }
            RunError::Render { file, message } => {
                format!("{file} の書き込みに失敗しました: {message}")
            }
        }
    }

    /// What to do next, in `lang`, when the error itself cannot say it: the message names the
    /// path and the system's reason, this names the fix.
    pub fn next_step(&self, japanese: bool) -> Option<&'static str> {
        let (en, ja) = match self {
            RunError::Io { action, source, .. } => io_next_step(action, source.kind())?,
            RunError::Polars(_) => (
                "this is a bug in sspr-report, not in your files: please report it with the \
                 command line and the output of sspr-report inspect on the same inputs",
                "これは入力ファイルではなく sspr-report の不具合です。コマンド ラインと、同じ入力に対する \
                 sspr-report inspect の出力を添えて報告してください",
            ),
            RunError::Read { .. } | RunError::Render { .. } => return None,
        };
        Some(if japanese { ja } else { en })
    }

    /// Wraps an I/O error with what was being done and to which path.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        RunError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

/// The next step after a file-system error, by what was being done (reading an input or
/// writing the report) and the system's reason; `None` when there is no useful advice.
fn io_next_step(action: &str, kind: std::io::ErrorKind) -> Option<(&'static str, &'static str)> {
    use std::io::ErrorKind as K;
    let reading = action.starts_with("reading") || action == "opening";
    Some(match (reading, kind) {
        (true, K::PermissionDenied) => (
            "check that this account may read the file (or copy the exports to a folder it can \
             read), then run again",
            "このアカウントがファイルを読めることを確認し (または読めるフォルダーにエクスポートをコピーし)、\
             もう一度実行してください",
        ),
        (true, K::NotFound) => (
            "the file went away while the report was being built; keep the exports in place \
             until the run ends, then run again",
            "レポートの作成中にファイルがなくなりました。実行が終わるまでエクスポートを動かさず、\
             もう一度実行してください",
        ),
        (false, K::PermissionDenied) => (
            "choose an --out folder this account may write to, then run again",
            "このアカウントが書き込める --out フォルダーを指定して、もう一度実行してください",
        ),
        (false, K::StorageFull | K::QuotaExceeded | K::FileTooLarge) => (
            "free disk space or choose an --out folder on another disk (leaving out --parquet \
             and --xlsx also writes less), then run again",
            "ディスクの空きを増やすか別のディスクの --out フォルダーを指定して (--parquet と --xlsx \
             を省くと書き込みも減ります)、もう一度実行してください",
        ),
        (false, K::ReadOnlyFilesystem) => (
            "the disk is read-only: choose an --out folder on a writable disk",
            "ディスクが読み取り専用です。書き込めるディスクの --out フォルダーを指定してください",
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_messages_translate_known_reasons_and_keep_values() {
        let e = ConfigError::InvalidValue {
            option: "--month",
            value: "2026-13".into(),
            reason: "the month must be 01 to 12".into(),
        };
        assert_eq!(
            e.japanese(),
            "'--month' の値 '2026-13' は使えません: 月は 01 から 12 で指定してください"
        );
        let e = ConfigError::OutputNotReplaceable {
            out: "r".into(),
            reason: "it holds files sspr-report did not write (a, b, c and 2 more), which \
                     replacing it would delete; choose …"
                .into(),
        };
        assert!(
            e.japanese().contains("(a, b, c ほか 2 件)"),
            "{}",
            e.japanese()
        );
        let unknown = ConfigError::Conflict("something new".into());
        assert_eq!(
            unknown.japanese(),
            "something new",
            "unknown text stays as it is"
        );
        let io = RunError::io("writing", "r/flows.csv", std::io::Error::other("full"));
        assert_eq!(io.japanese(), "r/flows.csv の書き込みに失敗しました");
    }

    #[test]
    fn file_system_errors_name_the_next_step() {
        use std::io::{Error, ErrorKind};
        let step = |action, kind| {
            RunError::io(action, "p", Error::from(kind))
                .next_step(false)
                .unwrap_or_default()
        };
        assert!(step("writing", ErrorKind::PermissionDenied).contains("--out"));
        assert!(step("writing", ErrorKind::StorageFull).contains("free disk space"));
        assert!(step("reading", ErrorKind::PermissionDenied).contains("may read"));
        assert!(step("opening", ErrorKind::NotFound).contains("keep the exports"));
        assert_eq!(step("writing", ErrorKind::Interrupted), "");
        let ja = RunError::io("writing", "p", Error::from(ErrorKind::PermissionDenied));
        assert!(ja.next_step(true).unwrap_or_default().contains("--out"));
    }
}
