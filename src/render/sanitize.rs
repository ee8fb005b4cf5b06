//! Text that lies to the reader: control characters and direction overrides in file names,
//! reasons and messages can rewrite a terminal (escape codes set its title, a carriage return
//! overwrites a line), reverse what a page shows (U+202E), or make an SVG or XML file
//! ill-formed (a NUL). Everything printed to the terminal and everything drawn on the page or
//! into a chart goes through here.

use std::borrow::Cow;

/// Whether a character would control the display rather than show: C0 and C1 controls (tab
/// and line feed excepted where `keep_lines`), DEL, and the bidirectional embeddings,
/// overrides and isolates (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C).
fn is_control(c: char, keep_lines: bool) -> bool {
    if keep_lines && matches!(c, '\t' | '\n') {
        return false;
    }
    c.is_control()
        || matches!(
            c,
            '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200b}'..='\u{200f}'
                | '\u{061c}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{2060}'
                | '\u{feff}'
                | '\u{e0000}'..='\u{e007f}'
        )
}

/// Text for one terminal line or one page cell: every control character becomes `?`, so that
/// what was there stays visible as a mark and nothing can move the cursor or flip the text.
pub fn display(text: &str) -> Cow<'_, str> {
    replace(text, false)
}

/// Like [`display`], keeping tabs and line feeds (multi-line messages on the page).
pub fn display_lines(text: &str) -> Cow<'_, str> {
    replace(text, true)
}

fn replace(text: &str, keep_lines: bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_control(c, keep_lines)) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if is_control(c, keep_lines) { '?' } else { c })
            .collect(),
    )
}

/// Text that XML 1.0 accepts (SVG, XLSX parts): characters outside its `Char` production — C0
/// controls other than tab, LF and CR, and U+FFFE/U+FFFF — become `?`. Escaping `<&>"'` is
/// the writer's job; this makes escaped text well-formed whatever it held.
pub fn xml(text: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    if !text.chars().any(bad) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(|c| if bad(c) { '?' } else { c }).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_direction_overrides_become_marks() {
        assert_eq!(display("report: ok"), "report: ok");
        assert_eq!(
            display("a\nb\x1b]0;title\x07c\r"),
            "a?b?]0;title?c?",
            "newline, escape, bell and carriage return"
        );
        assert_eq!(display("invoice\u{202e}fdp.exe"), "invoice?fdp.exe");
        assert_eq!(display("\u{85}x\u{9b}"), "?x?", "C1 controls");
        assert_eq!(display_lines("a\nb\tc\x00"), "a\nb\tc?");
        assert!(matches!(display("日本語"), Cow::Borrowed(_)));
    }

    #[test]
    fn xml_text_is_always_well_formed() {
        assert_eq!(xml("a\u{0}b\u{1f}c\td\ne\u{fffe}"), "a?b?c\td\ne?");
        assert!(matches!(xml("plain <text>"), Cow::Borrowed(_)));
    }
}
