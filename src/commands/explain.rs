//! `sspr-report explain CODE|TEXT`: the catalog's meaning, cause and fix of an SSPR code, a
//! logged reason text, an on-prem event ID (33004), an `hr=` code (0x80230619) or any words;
//! `explain --list`: every code with its title.

use crate::catalog::{self, EntryKind, Lang, Text};
use crate::commands::Status;
use std::io::Write;

/// Prints every matching entry; `Failed` when nothing matches.
pub fn explain(
    query: &str,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<Status> {
    let entries = catalog::explain_any(query);
    if entries.is_empty() {
        let msg = match catalog::event_number(query) {
            Some((source, id)) => unknown_event(source, id, lang),
            None => nothing_found(query, lang),
        };
        writeln!(err, "{msg}")?;
        return Ok(Status::Failed);
    }
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        write!(out, "{}", catalog::render_explained(entry, lang))?;
    }
    Ok(Status::Done)
}

/// What can be said of an event ID the catalog does not hold (ADSync 6801, which the page lists
/// as `unknown`): no source the catalog is built from documents it, and the `hr=` code its
/// message carries — shown beside it on the page — is what says what failed.
fn unknown_event(source: Option<catalog::EventSource>, id: u32, lang: Lang) -> String {
    let name = match (source, lang) {
        (Some(s), _) => format!("{} {id}", s.as_str()),
        (None, Lang::En) => format!("Event ID {id}"),
        (None, Lang::Ja) => format!("イベント ID {id}"),
    };
    match lang {
        Lang::En => format!(
            "{name}: not documented. No Microsoft document this catalog is built from describes \
             it, so the report lists it as 'unknown', with its message. When the message carries \
             an hr= code (the Error code column on the page, error_code in \
             writeback_events.csv), that code says what failed: run \
             'sspr-report explain <code>', for example 'sspr-report explain 0x80230402'. \
             'sspr-report explain --list' shows every documented event ID"
        ),
        Lang::Ja => format!(
            "{name}: 文書化されていません。このカタログの基にした Microsoft の文書には記載がないため、\
             レポートでは「不明」としてメッセージとともに一覧します。メッセージに hr= コードがある場合 \
             (ページの「エラー コード」列、writeback_events.csv の error_code 列)、そのコードが失敗の内容を示します。\
             'sspr-report explain <コード>' (例: 'sspr-report explain 0x80230402') で確認してください。\
             文書化されたイベント ID はすべて 'sspr-report explain --list' で表示されます"
        ),
    }
}

/// The message for a query nothing matches.
fn nothing_found(query: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "no catalog entry for '{}': try an SSPR code (SSPR_0012), an on-premises event ID (33004), \
                 an hr code (0x80230619), or other words in English or Japanese; \
                 'sspr-report explain --list' shows every code",
            query.trim()
        ),
        Lang::Ja => format!(
            "'{}' に該当する項目はありません。SSPR コード (SSPR_0012)、オンプレミスのイベント ID (33004)、\
                 hr コード (0x80230619)、または英語か日本語の別の語句を指定してください。\
                 すべてのコードは 'sspr-report explain --list' で表示されます",
            query.trim()
        ),
    }
}

/// One line of the list: what to pass to `explain`, the entry's name, its title.
struct Item {
    key: String,
    name: String,
    title: String,
}

/// Prints every code of the catalog, grouped, each with its title in `lang`.
pub fn list(lang: Lang, out: &mut dyn Write) -> anyhow::Result<Status> {
    for (heading, items) in groups(lang) {
        writeln!(out, "{}", heading.get(lang))?;
        let width = items
            .iter()
            .map(|i| i.key.chars().count())
            .max()
            .unwrap_or(0);
        for i in &items {
            match i.name.as_str() {
                "" => writeln!(out, "  {:<width$}  {}", i.key, i.title)?,
                name => writeln!(out, "  {:<width$}  {name} — {}", i.key, i.title)?,
            }
        }
        writeln!(out)?;
    }
    Ok(Status::Done)
}

/// The groups of the list, in a fixed order, each in a stable order of its own.
fn groups(lang: Lang) -> Vec<(Text, Vec<Item>)> {
    // The key is what `explain` takes; the name column shows the other handle, if any.
    let reason = |e: &catalog::CatalogEntry, key: &str| Item {
        key: key.to_string(),
        name: [e.name, e.code]
            .into_iter()
            .find(|n| !n.is_empty() && *n != key)
            .unwrap_or_default()
            .to_string(),
        title: title(e.meaning.get(lang), lang),
    };
    let entries = catalog::ENTRIES;
    let is_code = |e: &&catalog::CatalogEntry| e.code.starts_with("SSPR_");
    let mut codes: Vec<Item> = entries
        .iter()
        .filter(is_code)
        .map(|e| reason(e, e.code))
        .collect();
    codes.sort_by(|a, b| a.key.cmp(&b.key));
    let reasons = entries
        .iter()
        .filter(|e| !is_code(e) && e.kind != EntryKind::Step)
        .map(|e| reason(e, e.name))
        .collect();
    let steps = entries
        .iter()
        .filter(|e| e.kind == EntryKind::Step)
        .map(|e| reason(e, e.name))
        .collect();
    let mut events: Vec<_> = catalog::EVENTS.iter().collect();
    events.sort_by_key(|e| (e.id, e.source.as_str()));
    let events = events
        .into_iter()
        .map(|e| Item {
            key: e.id.to_string(),
            name: format!("{} ({})", e.name, e.source.as_str()),
            title: title(e.meaning.get(lang), lang),
        })
        .collect();
    let mut hrs: Vec<_> = catalog::HR_CODES.iter().collect();
    hrs.sort_by_key(|h| h.code);
    let hrs = hrs
        .into_iter()
        .map(|h| Item {
            key: h.code.to_string(),
            name: h.name.to_string(),
            title: title(h.meaning.get(lang), lang),
        })
        .collect();
    let text = |en, ja| Text { en, ja };
    vec![
        (
            text(
                "SSPR error codes (shown to users)",
                "SSPR エラー コード (ユーザーに表示)",
            ),
            codes,
        ),
        (
            text("Result reasons (audit log)", "結果の理由 (監査ログ)"),
            reasons,
        ),
        (
            text("Progress steps (audit log)", "進行ステップ (監査ログ)"),
            steps,
        ),
        (
            text(
                "On-premises event IDs (Application log of the Entra Connect server)",
                "オンプレミスのイベント ID (Entra Connect サーバーのアプリケーション ログ)",
            ),
            events,
        ),
        (
            text(
                "hr codes (sync engine messages)",
                "hr コード (同期エンジンのメッセージ)",
            ),
            hrs,
        ),
    ]
}

/// An entry's title: the first sentence of its meaning, cut to one line.
fn title(meaning: &str, lang: Lang) -> String {
    catalog::title(meaning, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_first_sentences_cut_to_a_line() {
        assert_eq!(title("Short one. More.", Lang::En), "Short one");
        assert_eq!(title("短い。続き。", Lang::Ja), "短い");
        let long = "word ".repeat(40);
        let t = title(&long, Lang::En);
        assert!(t.ends_with("word…") && t.chars().count() <= 111, "{t}");
    }

    #[test]
    fn every_listed_key_is_explained() {
        for lang in [Lang::En, Lang::Ja] {
            let listed: usize = groups(lang).iter().map(|(_, items)| items.len()).sum();
            let total = catalog::ENTRIES.len() + catalog::EVENTS.len() + catalog::HR_CODES.len();
            assert_eq!(listed, total, "every entry once");
            for (_, items) in groups(lang) {
                for i in items {
                    assert!(!catalog::explain_any(&i.key).is_empty(), "{}", i.key);
                }
            }
        }
    }
}
