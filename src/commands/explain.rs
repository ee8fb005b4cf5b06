//! `sspr-report explain CODE|TEXT`: the catalog's meaning, cause and fix.

use crate::catalog::{self, Lang};
use crate::commands::Status;
use std::io::Write;

/// Prints every matching entry; `Failed` when nothing matches.
pub fn explain(
    query: &str,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<Status> {
    let entries = catalog::explain(query);
    if entries.is_empty() {
        let msg = match lang {
            Lang::En => format!(
                "no catalog entry for '{}': try an SSPR code (SSPR_0012), a code number, or part of the reason text",
                query.trim()
            ),
            Lang::Ja => format!(
                "'{}' に該当する項目はありません。SSPR コード (SSPR_0012)、番号、または理由テキストの一部を指定してください",
                query.trim()
            ),
        };
        writeln!(err, "{msg}")?;
        return Ok(Status::Failed);
    }
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        write!(out, "{}", catalog::render_entry(entry, lang))?;
    }
    Ok(Status::Done)
}
