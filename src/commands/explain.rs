//! `sspr-report explain CODE|TEXT`: the catalog's meaning, cause and fix of an SSPR code, a
//! logged reason text, an on-prem event ID (33004) or an `hr=` code (0x80230619).

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
    let entries = catalog::explain_any(query);
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
        write!(out, "{}", catalog::render_explained(entry, lang))?;
    }
    Ok(Status::Done)
}
