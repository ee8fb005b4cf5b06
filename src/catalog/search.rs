//! What `explain` does with free text, after the exact lookups found nothing: the ways users
//! type differ from the catalog's own (full-width digits from a Japanese input method, British
//! or American spelling, Japanese with no spaces between words), so queries and catalog texts
//! are brought to one form first, and Japanese is matched by substring, not by word.

use super::{
    ENTRIES, EVENTS, EntryKind, HR_CODES, Lang, ReasonCategory, Text, event_aliases, fold,
};
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

fn texts<const N: usize>(t: [Text; N]) -> Vec<&'static str> {
    t.into_iter().flat_map(|t| [t.en, t.ja]).collect()
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

/// Every entry's haystacks, built once: reasons, events and hr codes, in table order. `head` is
/// what names an entry — code, name, logged wordings, meaning, the user's message — and
/// `text` adds its likely cause and fix: a word found only there is a weaker match.
struct Haystacks {
    reasons: Vec<Entry>,
    events: Vec<Entry>,
    hrs: Vec<Entry>,
}

/// One entry's haystacks and whether it reports a problem (a failure, an error, a warning)
/// rather than a progress step or a success. `names`: what the entry is called and how it is
/// classed (code, name, category); `head`: that and what it means (logged wordings, meaning,
/// the user's message); `text`: that and its likely cause and fix.
struct Entry {
    names: Haystack,
    head: Haystack,
    text: Haystack,
    problem: bool,
}

impl Entry {
    fn new(names: &[&str], head: &[&str], rest: &[&str], problem: bool) -> Self {
        Entry {
            names: Haystack::new(names.iter().copied()),
            head: Haystack::new(names.iter().chain(head).copied()),
            text: Haystack::new(names.iter().chain(head).chain(rest).copied()),
            problem,
        }
    }
}

/// An entry's names: its handles and its category, in both languages ("スロットリング (24 時間
/// ブロック)" names BlockedFromSspr as much as its name does).
fn names<'a>(handles: &[&'a str], category: ReasonCategory) -> Vec<&'a str> {
    let mut out = handles.to_vec();
    if category != ReasonCategory::Other {
        out.extend([category.label(Lang::En), category.label(Lang::Ja)]);
    }
    out
}

/// Whether an event reports a problem: a failed operation, its detail, a lost connection, a
/// configuration error, a stop — or an informational event whose category names a fault.
fn event_is_problem(e: &super::EventEntry) -> bool {
    use super::EventRole as R;
    match e.role {
        R::Failure(_)
        | R::ErrorDetail
        | R::Connectivity
        | R::ServiceBusWarning
        | R::Config
        | R::ServiceStopped => true,
        R::Informational => e.category != super::ReasonCategory::Other,
        _ => false,
    }
}

static HAYSTACKS: std::sync::LazyLock<Haystacks> = std::sync::LazyLock::new(|| Haystacks {
    reasons: ENTRIES
        .iter()
        .map(|e| {
            let messages = USER_MESSAGES_JA
                .iter()
                .filter(|(code, _, _)| !e.code.is_empty() && *code == e.code)
                .flat_map(|(_, message, detail)| [*message, *detail]);
            let head: Vec<&str> = [e.meaning.en, e.meaning.ja]
                .into_iter()
                .chain(e.texts.iter().copied())
                .chain(messages)
                .collect();
            let problem = matches!(e.kind, EntryKind::Failure | EntryKind::Code);
            let names = names(&[e.code, e.name], e.category);
            Entry::new(&names, &head, &texts([e.cause, e.fix]), problem)
        })
        .collect(),
    events: EVENTS
        .iter()
        .map(|e| {
            let id = e.id.to_string();
            let mut handles = vec![id.as_str(), e.name, e.source.as_str()];
            for alias in event_aliases(e) {
                handles.push(alias);
            }
            let names = names(&handles, e.category);
            let head = [e.meaning.en, e.meaning.ja];
            Entry::new(&names, &head, &texts([e.cause, e.fix]), event_is_problem(e))
        })
        .collect(),
    hrs: HR_CODES
        .iter()
        .map(|h| {
            let names = names(&[h.code, h.name], h.category);
            let head = [h.meaning.en, h.meaning.ja];
            Entry::new(&names, &head, &texts([h.cause, h.fix]), true)
        })
        .collect(),
});

/// One entry found by [`full_text`]: its table (0 [`ENTRIES`], 1 [`EVENTS`], 2 [`HR_CODES`])
/// and its index there.
pub(super) type Hit = (usize, usize);

/// The entries whose texts, in either language, hold every telling word of `query`, best
/// first. Failing that, the entries that come closest where every Japanese word is close
/// ([`CLOSE`]): a pasted message whose wording differs a little from the documented one finds its
/// entry, not every entry sharing a few characters. Empty when the query has no telling word.
///
/// Best first: entries that hold the query in what names them (code, name, wording, meaning)
/// before those that hold it only in their cause or fix ("ライセンス" is SSPR_0012, not a step
/// whose fix mentions licences); then problems before progress steps and successes; then the
/// entries matching more of the query's characters; then catalog order.
pub(super) fn full_text(query: &str) -> Vec<Hit> {
    let q = normalized(query);
    let tokens = tokens(&q);
    if tokens.is_empty() {
        return Vec::new();
    }
    let h = &*HAYSTACKS;
    let tables = [&h.reasons, &h.events, &h.hrs];
    // Per entry: the sum of its token scores, or None when a token is missing.
    let score = |hay: &Haystack| {
        let each: Vec<f64> = tokens.iter().map(|t| hay.score(t)).collect();
        each.iter()
            .all(|&s| s >= CLOSE)
            .then(|| each.iter().sum::<f64>())
    };
    let found: Vec<(Hit, f64)> = tables
        .iter()
        .enumerate()
        .flat_map(|(t, table)| {
            table
                .iter()
                .enumerate()
                .filter_map(move |(i, e)| score(&e.text).map(|s| ((t, i), s)))
        })
        .collect();
    let all = tokens.len() as f64;
    let exact = found.iter().any(|&(_, s)| s >= all);
    let best = found.iter().fold(0.0_f64, |m, &(_, s)| m.max(s));
    let wanted = if exact { all } else { best };
    let mut hits: Vec<(Rank, Hit)> = found
        .into_iter()
        .filter(|&(_, s)| s >= wanted && s > 0.0)
        .filter_map(|(hit, _)| {
            let entry = tables.get(hit.0)?.get(hit.1)?;
            Some((rank(entry, &tokens), hit))
        })
        .collect();
    hits.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    hits.into_iter().map(|(_, hit)| hit).collect()
}

/// Sort key of a found entry, smaller first: where the whole query is found (0 its names,
/// 1 its meaning or wording, 2 only its cause or fix), not a problem, minus the query characters
/// found there (in thousandths, to sort as an integer).
type Rank = (u8, bool, i64);

fn rank(entry: &Entry, tokens: &[Token]) -> Rank {
    let holds = |hay: &Haystack| tokens.iter().all(|t| hay.score(t) >= CLOSE);
    let (tier, hay) = if holds(&entry.names) {
        (0, &entry.names)
    } else if holds(&entry.head) {
        (1, &entry.head)
    } else {
        (2, &entry.text)
    };
    let chars: f64 = tokens
        .iter()
        .map(|t| hay.score(t) * token_chars(t) as f64)
        .sum();
    (tier, !entry.problem, -((chars * 1000.0) as i64))
}

fn token_chars(t: &Token) -> usize {
    match t {
        Token::Word(w) => w.chars().count(),
        Token::Cjk(c) => c.len(),
    }
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
    fn names_before_meanings_before_fixes_and_problems_before_steps() {
        let name = |hit: &Hit| match hit.0 {
            0 => ENTRIES[hit.1].name,
            1 => EVENTS[hit.1].name,
            _ => HR_CODES[hit.1].name,
        };
        let found: Vec<&str> = full_text("ライセンス").iter().map(name).collect();
        assert_eq!(found.first(), Some(&"UserNotLicensed"), "{found:?}");
        assert_eq!(found.last(), Some(&"SubmittedUserId"), "{found:?}");
        let blocked: Vec<&str> = full_text("ブロック").iter().map(name).collect();
        assert_eq!(blocked[..2], ["BlockedFromSspr", "BlockedFor24Hours"]);
    }

    #[test]
    fn every_user_message_belongs_to_an_sspr_code_entry() {
        for (code, _, _) in USER_MESSAGES_JA {
            assert!(ENTRIES.iter().any(|e| e.code == *code), "{code}");
        }
    }
}
