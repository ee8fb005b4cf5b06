//! What a person reads for the report's machine words. CSV column names and values are the
//! interface and stay English; the page, the charts and the terminal show these labels instead.
//! A `|` in a Japanese label marks where a line may break (`<wbr>` on the page): Japanese has no
//! spaces, and a browser would otherwise break mid-word ("スロットリングされたユー / ザー").

use crate::catalog::{Lang, ReasonCategory};

/// Picks the text of `lang`.
pub fn pick(lang: Lang, en: &'static str, ja: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Ja => ja,
    }
}

/// Heading of a report column on the page.
pub fn column(name: &str, lang: Lang) -> &'static str {
    let (en, ja) = match name {
        "source" => ("Source", "発生元"),
        "code" => ("Code", "コード"),
        "reason" => ("Reason", "理由"),
        "logged_reason" => ("Reason as logged", "ログの文言"),
        "category" => ("Category", "区分"),
        "count" => ("Count", "件数"),
        "share" => ("Share", "割合"),
        "remedy" => ("What to do", "対処"),
        "meaning" => ("Meaning", "意味"),
        "error" => ("Error", "エラー"),
        "user" => ("User", "ユーザー"),
        "status" => ("Status", "状態"),
        "block_events" => ("Block records", "ブロック|記録"),
        "last_blocked_at" => ("Last blocked", "最後の|ブロック"),
        "blocked_until" => ("Blocked until", "ブロック|解除"),
        "max_flows_in_window" => ("Most flows in one window", "時間枠内の|最大|フロー数"),
        "flows_in_period" => ("Flows in the period", "期間内の|フロー数"),
        "evidence" => ("Evidence", "根拠"),
        "licenses" => ("Licences", "ライセンス"),
        "time" => ("Time", "時刻"),
        "computer" => ("Server", "サーバー"),
        "event_id" => ("Event ID", "イベント ID"),
        "name" => ("Event", "イベント"),
        "error_code" => ("Error code", "エラー コード"),
        // trend.csv's columns, on trend.html.
        "month" => ("Month", "月"),
        "flows" => ("Flows", "フロー数"),
        "succeeded" => ("Succeeded", "成功"),
        "failed" => ("Failed", "失敗"),
        "blocked" => ("Blocked", "ブロック"),
        "abandoned" => ("Abandoned", "中断"),
        "success_rate" => ("Success rate", "成功率"),
        "failure_rate" => ("Failure rate", "失敗率"),
        "abandon_rate" => ("Abandon rate", "中断率"),
        "throttled_users" => ("Throttled users", "スロットリングされた|ユーザー"),
        "inferred_throttled_users" => ("Inferred throttled users", "推定|スロットリング|ユーザー"),
        "registration_events" => ("Registration events", "登録|イベント"),
        "registration_users" => ("Users who registered", "登録した|ユーザー"),
        "license_gap_users" => ("Licence-gap users", "ライセンス|不足の|ユーザー"),
        "writeback_requests" => ("Writeback operations", "ライトバック|操作"),
        "writeback_failed" => ("Failed writebacks", "ライトバック|失敗"),
        "outage_minutes" => ("Outage minutes", "停止時間|(分)"),
        "matched" => ("Matched on-premises", "オンプレミスと|一致"),
        "cloud_only" => ("Cloud only", "クラウドのみ"),
        "onprem_only" => ("On-premises only", "オンプレミスのみ"),
        "not_checked" => ("Not checked", "未確認"),
        "complete" => ("Complete month", "完全な月"),
        "timezone" => ("Time zone", "タイム|ゾーン"),
        _ => ("", ""),
    };
    pick(lang, en, ja)
}

/// Label of a value of `column`, `None` when the value is data to show as it is.
pub fn value(column: &str, value: &str, lang: Lang) -> Option<&'static str> {
    let (en, ja) = match (column, value) {
        ("status", "throttled") => ("Throttled", "ブロック|された"),
        ("status", "inferred") => ("Inferred", "推定"),
        ("reason", "sspr_failed_unlicensed") => {
            ("SSPR failed: no licence", "ライセンスが|なく|SSPR が|失敗")
        }
        ("reason", "writeback_without_p1") => {
            ("Writeback without P1", "P1 なしで|ライトバックを|使用")
        }
        ("reason", "sspr_enabled_unlicensed") => (
            "SSPR enabled, no licence",
            "SSPR が|有効だが|ライセンス|なし",
        ),
        ("source", "cloud") => ("Cloud", "クラウド"),
        ("source", "onprem") => ("On-premises", "オンプレミス"),
        ("licenses", "Unlicensed") => ("Unlicensed", "ライセンスなし"),
        ("name", "unknown") => ("unknown", "不明"),
        ("category", c) => return category(c).map(|c| c.label(lang)),
        _ => return None,
    };
    Some(pick(lang, en, ja))
}

/// The category behind its column value.
pub fn category(value: &str) -> Option<ReasonCategory> {
    ReasonCategory::all()
        .iter()
        .copied()
        .find(|c| c.as_str() == value)
}

/// A registration method's name in the report language (the names are the portal's English
/// display names; the Japanese portal's wording is used for the common ones).
pub fn method(name: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return name.to_string();
    }
    let ja = match name {
        crate::model::methods::ALL_REQUIRED => "必要な情報をすべて登録",
        "Mobile phone" => "携帯電話",
        "Alternate mobile phone" => "代替の携帯電話",
        "Office phone" => "会社電話",
        "Email" => "メール",
        "Security questions" => "セキュリティの質問",
        "Microsoft Authenticator app" => "Microsoft Authenticator アプリ",
        "Software OATH token" => "ソフトウェア OATH トークン",
        "Hardware OATH token" => "ハードウェア OATH トークン",
        "FIDO2 security key" => "FIDO2 セキュリティ キー",
        "Temporary Access Pass" => "一時アクセス パス",
        "Other" => "その他",
        other => return other.to_string(),
    };
    ja.to_string()
}

/// A failure reason for a chart bar: in Japanese the category and an identifier (the logged
/// wording is English prose; a logged identifier such as `PasswordDoesnotComplyFuzzyPolicy`
/// tells two wordings of one code apart); in English the logged wording.
pub fn reason_bar(reason: &str, code: &str, category_value: &str, lang: Lang) -> String {
    let identifier = !reason.is_empty() && !reason.contains(' ');
    match (lang, category(category_value)) {
        (Lang::Ja, Some(c)) if identifier && code.len() == 5 => {
            format!("{} ({code} {reason})", c.label(lang))
        }
        (Lang::Ja, Some(c)) if identifier => format!("{} ({reason})", c.label(lang)),
        (Lang::Ja, Some(c)) if !code.is_empty() => format!("{} ({code})", c.label(lang)),
        (Lang::Ja, Some(c)) => c.label(lang).to_string(),
        _ if reason.is_empty() => code.to_string(),
        _ => reason.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_a_page_shows_has_a_japanese_label() {
        for (col, v) in [
            ("status", "throttled"),
            ("status", "inferred"),
            ("reason", "writeback_without_p1"),
            ("source", "onprem"),
            ("category", "onprem_permissions"),
        ] {
            let ja = value(col, v, Lang::Ja).expect("labelled");
            assert!(!ja.is_ascii(), "{col}={v}: {ja}");
        }
        assert_eq!(value("user", "a@b.jp", Lang::Ja), None, "data stays data");
        assert_eq!(method("all required", Lang::Ja), "必要な情報をすべて登録");
        assert_eq!(
            reason_bar(
                "ADPermissionsError",
                "33004",
                "onprem_permissions",
                Lang::Ja
            ),
            format!(
                "{} (33004 ADPermissionsError)",
                ReasonCategory::OnpremPermissions.label(Lang::Ja)
            )
        );
    }
}
