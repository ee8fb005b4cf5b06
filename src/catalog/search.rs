//! What `explain` does with free text, after the exact lookups found nothing: the ways users
//! type differ from the catalog's own (full-width digits from a Japanese input method, British
//! or American spelling, Japanese with no spaces between words), so queries and catalog texts
//! are brought to one form first, and Japanese is matched by substring, not by word.

use super::{ENTRIES, EVENTS, HR_CODES, Text, event_aliases, fold};
use std::collections::BTreeSet;

/// Full-width ASCII and the ideographic space as plain ASCII: the part of NFKC a Japanese input
/// method puts into queries (`３３００４` ⇒ `33004`, `ＳＳＰＲ＿００１２` ⇒ `SSPR_0012`).
pub(super) fn narrow(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// British spellings (as the catalog's own texts write) and their American forms (as Microsoft's
/// logged wordings write), by stem; both queries and texts take the American form.
const SPELLINGS: &[(&str, &str)] = &[
    ("licenc", "licens"),
    ("authoris", "authoriz"),
    ("organis", "organiz"),
    ("synchronis", "synchroniz"),
    ("recognis", "recogniz"),
    ("customis", "customiz"),
    ("cancell", "cancel"),
    ("behaviour", "behavior"),
    ("enrolment", "enrollment"),
    ("centre", "center"),
    ("catalogue", "catalog"),
];

/// One spelling for a folded (lower-case) text.
pub(super) fn spelled(folded: &str) -> String {
    let mut s = folded.to_string();
    for (british, american) in SPELLINGS {
        if s.contains(british) {
            s = s.replace(british, american);
        }
    }
    s
}

/// Query and catalog text in the one comparable form.
fn normalized(s: &str) -> String {
    spelled(&fold(&narrow(s)))
}

/// Kana and CJK ideographs: text written without spaces between words.
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// Words too common to say anything about an entry.
const STOP_WORDS: &[&str] = &[
    "the", "and", "for", "not", "was", "are", "has", "had", "with", "this", "that", "from", "can",
    "can't", "cannot", "could", "does", "did", "doesn't", "didn't", "his", "her", "its", "our",
    "you", "your", "all", "any", "but", "why", "what", "how", "when", "who",
];

/// One word of a query.
enum Token {
    /// Latin letters and digits: matches a word of the text, or its start when at least five
    /// characters long (`licens` ⇒ `licensed`, `password` ⇒ `passwords`).
    Word(String),
    /// Japanese (or Chinese) text: matches a substring; one of at least four characters also
    /// matches when four in five of its two-character pieces occur (a pasted message whose
    /// wording differs a little from the documented one).
    Cjk(Vec<char>),
}

fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '、' | '。'
                | '「'
                | '」'
                | '『'
                | '』'
                | '（'
                | '）'
                | '('
                | ')'
                | '['
                | ']'
                | '【'
                | '】'
                | ','
                | ';'
                | '"'
                | '“'
                | '”'
                | '!'
                | '?'
                | '・'
                | '：'
                | '<'
                | '>'
        )
}

/// The tokens of a normalised query that can tell entries apart; CJK runs and Latin runs are
/// separate tokens even when written together (`sspr が有効` ⇒ `sspr`, `が有効`).
fn tokens(q: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for chunk in q.split(is_separator) {
        let mut run = String::new();
        let mut run_cjk = false;
        for c in chunk.chars().chain(std::iter::once(' ')) {
            let cjk = is_cjk(c);
            if c == ' ' || (cjk != run_cjk && !run.is_empty()) {
                push_token(&mut out, std::mem::take(&mut run), run_cjk);
            }
            if c != ' ' {
                run.push(c);
                run_cjk = cjk;
            }
        }
    }
    out
}

fn push_token(out: &mut Vec<Token>, run: String, cjk: bool) {
    if cjk {
        let chars: Vec<char> = run.chars().collect();
        if chars.len() >= 2 {
            out.push(Token::Cjk(chars));
        }
        return;
    }
    let word = run.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
    if word.chars().count() >= 3 && !STOP_WORDS.contains(&word.as_str()) {
        out.push(Token::Word(word));
    }
}

/// One entry's searchable text: every wording, name and text in both languages, normalised,
/// and its Latin words.
struct Haystack {
    text: String,
    words: BTreeSet<String>,
}

impl Haystack {
    fn new<'a>(parts: impl IntoIterator<Item = &'a str>) -> Self {
        let text = parts
            .into_iter()
            .map(normalized)
            .collect::<Vec<_>>()
            .join("\n");
        let words = text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '\''))
            .map(|w| w.trim_matches('\'').to_string())
            .filter(|w| !w.is_empty())
            .collect();
        Haystack { text, words }
    }

    /// How well `token` occurs: 1 when it does (a word, or a substring for Japanese), else for
    /// a Japanese token of four or more characters the share of its two-character pieces that
    /// occur, else 0.
    fn score(&self, token: &Token) -> f64 {
        match token {
            Token::Word(w) => {
                let found = self.words.contains(w)
                    || (w.len() >= 5 && self.words.iter().any(|x| x.starts_with(w.as_str())));
                f64::from(u8::from(found))
            }
            Token::Cjk(chars) => {
                let s: String = chars.iter().collect();
                if self.text.contains(&s) {
                    return 1.0;
                }
                if chars.len() < 4 {
                    return 0.0;
                }
                let pieces = chars.windows(2).count();
                let found = chars
                    .windows(2)
                    .filter(|p| self.text.contains(&p.iter().collect::<String>()))
                    .count();
                found as f64 / pieces as f64
            }
        }
    }
}

/// A Japanese token whose wording differs a little still matches when four in five of its
/// two-character pieces occur.
const CLOSE: f64 = 0.8;

fn texts(t: [Text; 3]) -> impl Iterator<Item = &'static str> {
    t.into_iter().flat_map(|t| [t.en, t.ja])
}

/// The messages users see on the password reset page for each SSPR code, in Japanese, as the
/// Japanese troubleshooting page (seeds/004) prints them: the message, then its technical
/// detail. What a user pastes into `explain` is one of these.
const USER_MESSAGES_JA: &[(&str, &str, &str)] = &[
    (
        "SSPR_0009",
        "申し訳ありません。管理者が組織でのパスワードのリセットを無効にしているため、現時点ではパスワードをリセットできません。 この状況を解決するためにご自分で行える処理はありません。 管理者に連絡して、この機能を有効にするように依頼してください。",
        "パスワードのリセットが管理者によって有効にされていないことが検出されました。 管理者に連絡して、組織のパスワードのリセットを有効にするように依頼してください。",
    ),
    (
        "SSPR_0010",
        "申し訳ありません。管理者が組織に必要なサービスを有効にしていないため、現時点ではパスワードをリセットできません。 この状況を解決するためにご自分で行える処理はありません。 管理者に連絡して、組織の構成を確認するように依頼してください。",
        "パスワード ライトバックが有効になっていないことが検出されました。 管理者に連絡して、パスワード ライトバックを有効にするように依頼してください。",
    ),
    (
        "SSPR_0011",
        "申し訳ありません。管理者が組織のパスワード リセットを構成していないため、現時点ではパスワードをリセットできません。 この状況を解決するためにご自分で行える処理はありません。 管理者に連絡して、パスワードのリセットを構成するように依頼してください。",
        "組織でパスワード リセット ポリシーを定義していません。 管理者に連絡して、パスワード リセット ポリシーを定義するように依頼してください。",
    ),
    (
        "SSPR_0012",
        "申し訳ありません。組織で必要なライセンスが不足しているため、現時点ではパスワードをリセットできません。 この状況を解決するためにご自分で行える処理はありません。 管理者に連絡して、ご自分のライセンスの割り当てを確認するように依頼してください。",
        "組織には、パスワードのリセットを実行するために必要なライセンスがありません。 管理者に連絡して、ライセンスの割り当てを見直すように依頼してください。",
    ),
    (
        "SSPR_0013",
        "申し訳ありません。管理者が、お使いのアカウントでパスワードのリセットを使用するように構成していないため、現時点ではパスワードをリセットできません。 この状況を解決するためにご自分で行える処理はありません。 管理者に連絡して、お使いのアカウントでパスワード リセットを構成するように依頼してください。",
        "パスワード リセットが有効になっているグループのメンバーではありません。 管理者に連絡して、このグループに追加してもらうよう依頼してください。",
    ),
    (
        "SSPR_0014",
        "申し訳ありません。お使いのアカウントでは必要な情報が不足しているため、現時点ではパスワードをリセットできません。 この状況を解決するためにご自分で行える処理はありません。 管理者に連絡して、パスワードをリセットしてもらうよう依頼してください。 ご自分のアカウントにもう一度アクセスできるようになったら、必要な情報を登録していただく必要があります。",
        "パスワードをリセットするための追加のセキュリティ情報が必要です。 続行するには、管理者に連絡して、パスワードをリセットしてもらうよう依頼してください。 ご自分のアカウントにアクセスできるようになったら、 https://aka.ms/ssprsetup で追加のセキュリティ情報を登録することができます。",
    ),
    (
        "SSPR_0029",
        "申し訳ありません。組織のパスワード リセット構成に問題があるため、現時点ではパスワードをリセットできません。 この状況を解決するためにご自分で行える処理はありません。 管理者に連絡して、調査するように依頼してください。",
        "オンプレミス構成でのエラーのため、パスワードをリセットすることができません。 管理者に連絡して、調査するように依頼してください。",
    ),
    (
        "SSPR_0030",
        "申し訳ありません。組織への接続に問題があるため、現時点ではパスワードをリセットできません。 今すぐ実行すべきアクションはありませんが、あとでもう一度試してみて、問題が解決する場合があります。 問題が解決しない場合は、管理者に連絡して、調査するように依頼してください。",
        "オンプレミス環境との接続状況が悪いため、パスワードをリセットできません。 管理者に連絡して、調査するように依頼してください。",
    ),
];

/// Every entry's haystack, built once: reasons, events and hr codes, in table order.
struct Haystacks {
    reasons: Vec<Haystack>,
    events: Vec<Haystack>,
    hrs: Vec<Haystack>,
}

static HAYSTACKS: std::sync::LazyLock<Haystacks> = std::sync::LazyLock::new(|| Haystacks {
    reasons: ENTRIES
        .iter()
        .map(|e| {
            let messages = USER_MESSAGES_JA
                .iter()
                .filter(|(code, _, _)| !e.code.is_empty() && *code == e.code)
                .flat_map(|(_, message, detail)| [*message, *detail]);
            Haystack::new(
                [e.code, e.name]
                    .into_iter()
                    .chain(e.texts.iter().copied())
                    .chain(texts([e.meaning, e.cause, e.fix]))
                    .chain(messages),
            )
        })
        .collect(),
    events: EVENTS
        .iter()
        .map(|e| {
            let id = e.id.to_string();
            let head = [id.as_str(), e.name, e.source.as_str()].map(str::to_string);
            let parts: Vec<String> = head
                .into_iter()
                .chain(event_aliases(e).map(str::to_string))
                .chain(texts([e.meaning, e.cause, e.fix]).map(str::to_string))
                .collect();
            Haystack::new(parts.iter().map(String::as_str))
        })
        .collect(),
    hrs: HR_CODES
        .iter()
        .map(|h| {
            Haystack::new(
                [h.code, h.name]
                    .into_iter()
                    .chain(texts([h.meaning, h.cause, h.fix])),
            )
        })
        .collect(),
});

/// Indices in [`ENTRIES`], [`EVENTS`] and [`HR_CODES`] of the entries whose texts, in either
/// language, hold every telling word of `query`. Failing that, the entries that come closest
/// where every Japanese word is close ([`CLOSE`]): a pasted message whose wording differs a
/// little from the documented one finds its entry, not every entry sharing a few characters.
/// Empty when the query has no telling word.
pub(super) fn full_text(query: &str) -> [Vec<usize>; 3] {
    let q = normalized(query);
    let tokens = tokens(&q);
    let h = &*HAYSTACKS;
    let tables = [&h.reasons, &h.events, &h.hrs];
    if tokens.is_empty() {
        return [Vec::new(), Vec::new(), Vec::new()];
    }
    // Per table, per entry: the sum of its token scores, or None when a token is missing.
    let scores = tables.map(|hay| {
        hay.iter()
            .map(|h| {
                let each: Vec<f64> = tokens.iter().map(|t| h.score(t)).collect();
                each.iter()
                    .all(|&s| s >= CLOSE)
                    .then(|| each.iter().sum::<f64>())
            })
            .collect::<Vec<_>>()
    });
    let all = tokens.len() as f64;
    let exact = scores.iter().flatten().flatten().any(|&s| s >= all);
    let best = scores
        .iter()
        .flatten()
        .flatten()
        .fold(0.0_f64, |m, &s| m.max(s));
    let wanted = if exact { all } else { best };
    scores.map(|table| {
        table
            .iter()
            .enumerate()
            .filter(|(_, s)| s.is_some_and(|s| s >= wanted && s > 0.0))
            .map(|(i, _)| i)
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_and_spelling_fold_away() {
        assert_eq!(narrow("３３００４　ＳＳＰＲ＿００１２"), "33004 SSPR_0012");
        assert_eq!(normalized("Licence authorisation"), "license authorization");
        assert_eq!(normalized("LICENSED"), "licensed");
    }

    #[test]
    fn japanese_and_latin_runs_are_separate_tokens() {
        let t = tokens(&normalized("SSPR が有効、ライセンス。 a the licence"));
        let shown: Vec<String> = t
            .iter()
            .map(|t| match t {
                Token::Word(w) => w.clone(),
                Token::Cjk(c) => c.iter().collect(),
            })
            .collect();
        assert_eq!(shown, ["sspr", "が有効", "ライセンス", "license"]);
    }

    #[test]
    fn japanese_matches_by_substring_and_close_wording() {
        let hay = Haystack::new(["組織で必要なライセンスが不足しているため"]);
        let score = |t: &str| hay.score(&Token::Cjk(t.chars().collect()));
        assert_eq!(score("ライセンス"), 1.0);
        assert_eq!(score("組織で必要なライセンスが不足して"), 1.0);
        // One character different: still close.
        assert!(score("組織に必要なライセンスが不足して") >= CLOSE);
        assert_eq!(score("ロックアウト"), 0.0);
    }

    #[test]
    fn every_user_message_belongs_to_an_sspr_code_entry() {
        for (code, _, _) in USER_MESSAGES_JA {
            assert!(ENTRIES.iter().any(|e| e.code == *code), "{code}");
        }
    }
}
