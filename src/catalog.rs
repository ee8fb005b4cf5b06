//! Knowledge base for SSPR reasons: every result-reason text the Entra audit log is known to
//! carry for self-service password reset, the user-facing SSPR_00xx error codes, and the
//! on-premises side of password writeback (Entra Connect Application-log events and sync-engine
//! `hr=` codes), each mapped to a stable name, a failure category (a report column) and a
//! meaning, likely cause and fix in English and Japanese.
//!
//! Layer: the bottom, beside `time`. It imports nothing of this crate, so every layer may ask
//! it (see `layering.rs`).
//!
//! Sources: `reference/formats.md` §2.1–2.6 (activity semantics, current step texts, the legacy
//! "Details" vocabulary of the classic-portal report, observed failure identifiers, the
//! SSPR_00xx table of the troubleshooting page) and the Japanese troubleshooting pages in
//! `seeds/`. Where the audit wording is tied to an SSPR_00xx code by *inference* (Microsoft does
//! not document that correspondence) the entry's meaning says so.
//!
//! Design notes:
//! - Entries are plain `static` data so the catalog costs nothing at start-up and can be
//!   iterated in a fixed order (reports and `explain` output stay deterministic).
//! - Matching is tolerant of the ways exports mangle text (trailing space, trailing period,
//!   case, typographic apostrophes, doubled spaces) but otherwise exact, plus a few documented
//!   family rules; unknown text is reported as unknown, never guessed.
//! - On-premises knowledge lives beside the cloud reasons, in its own tables: [`EVENTS`] (every
//!   documented PasswordResetService ID, the ADSync and Directory Synchronization events of the
//!   writeback trail, each with an [`EventRole`] for health metrics and correlation and a
//!   `ReasonCategory`) and [`HR_CODES`] (the sync engine's `hr=` codes). Sources:
//!   `reference/onprem.md` §1.2–§1.5 and the Japanese writeback pages in `seeds/`.
//!   [`explain_any`] searches all three tables; [`explain`] stays cloud-only.

mod search;

/// Output language of user-facing text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Ja,
}

/// Failure category of a reason (a column value in reports: keep the strings stable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReasonCategory {
    /// The user has no licence covering SSPR (or writeback).
    License,
    /// The user has not registered enough authentication methods.
    NotRegistered,
    /// SSPR is off for the tenant, user or group; writeback is off; no policy.
    NotEnabled,
    /// The cloud banned-password ("fuzzy") policy rejected the new password.
    BannedPassword,
    /// The on-premises AD password policy rejected the new password.
    OnpremPolicy,
    /// The writeback account lacks permission on the on-premises user.
    OnpremPermissions,
    /// The cloud could not reach the on-premises writeback service.
    OnpremConnectivity,
    /// On-premises configuration problem while setting the password (SSPR_0029).
    OnpremConfig,
    /// The user could not be found (on-premises).
    UserNotFound,
    /// The user is blocked from SSPR for 24 hours.
    Throttled,
    /// The user canceled, abandoned, or contacted an admin instead.
    Canceled,
    /// The user's device or browser (e.g. cookies disabled).
    Client,
    /// A cloud-side failure after on-premises success.
    CloudError,
    /// Anything else, including unknown reasons.
    Other,
}

impl ReasonCategory {
    /// The stable machine string used in CSV/JSON columns.
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCategory::License => "license",
            ReasonCategory::NotRegistered => "not_registered",
            ReasonCategory::NotEnabled => "not_enabled",
            ReasonCategory::BannedPassword => "banned_password",
            ReasonCategory::OnpremPolicy => "onprem_policy",
            ReasonCategory::OnpremPermissions => "onprem_permissions",
            ReasonCategory::OnpremConnectivity => "onprem_connectivity",
            ReasonCategory::OnpremConfig => "onprem_config",
            ReasonCategory::UserNotFound => "user_not_found",
            ReasonCategory::Throttled => "throttled",
            ReasonCategory::Canceled => "canceled",
            ReasonCategory::Client => "client",
            ReasonCategory::CloudError => "cloud_error",
            ReasonCategory::Other => "other",
        }
    }

    /// Every category, in declaration order (so reports can list zero rows deterministically).
    pub fn all() -> &'static [ReasonCategory] {
        &[
            ReasonCategory::License,
            ReasonCategory::NotRegistered,
            ReasonCategory::NotEnabled,
            ReasonCategory::BannedPassword,
            ReasonCategory::OnpremPolicy,
            ReasonCategory::OnpremPermissions,
            ReasonCategory::OnpremConnectivity,
            ReasonCategory::OnpremConfig,
            ReasonCategory::UserNotFound,
            ReasonCategory::Throttled,
            ReasonCategory::Canceled,
            ReasonCategory::Client,
            ReasonCategory::CloudError,
            ReasonCategory::Other,
        ]
    }

    /// A human label for report headings and `explain` output (the column value stays `as_str`).
    pub fn label(self, lang: Lang) -> &'static str {
        let t = match self {
            ReasonCategory::License => Text {
                en: "Licence",
                ja: "ライセンス",
            },
            ReasonCategory::NotRegistered => Text {
                en: "Not registered (too few authentication methods)",
                ja: "認証方法の登録不足",
            },
            ReasonCategory::NotEnabled => Text {
                en: "Not enabled (SSPR, group or writeback)",
                ja: "未有効化 (SSPR・対象グループ・ライトバック)",
            },
            ReasonCategory::BannedPassword => Text {
                en: "Banned password",
                ja: "禁止パスワード",
            },
            ReasonCategory::OnpremPolicy => Text {
                en: "On-premises password policy",
                ja: "オンプレミスのパスワード ポリシー",
            },
            ReasonCategory::OnpremPermissions => Text {
                en: "On-premises permissions",
                ja: "オンプレミスのアクセス許可",
            },
            ReasonCategory::OnpremConnectivity => Text {
                en: "On-premises connectivity",
                ja: "オンプレミスとの接続",
            },
            ReasonCategory::OnpremConfig => Text {
                en: "On-premises configuration",
                ja: "オンプレミスの構成",
            },
            ReasonCategory::UserNotFound => Text {
                en: "User not found",
                ja: "ユーザーが見つからない",
            },
            ReasonCategory::Throttled => Text {
                en: "Throttled (blocked for 24 hours)",
                ja: "スロットリング (24 時間ブロック)",
            },
            ReasonCategory::Canceled => Text {
                en: "Canceled or abandoned by the user",
                ja: "ユーザーによる中止・放棄",
            },
            ReasonCategory::Client => Text {
                en: "Client (browser or device)",
                ja: "クライアント (ブラウザー・デバイス)",
            },
            ReasonCategory::CloudError => Text {
                en: "Cloud service error",
                ja: "クラウド側のエラー",
            },
            ReasonCategory::Other => Text {
                en: "Other",
                ja: "その他",
            },
        };
        t.get(lang)
    }
}

/// An entry's title in `lang`: the first sentence of its meaning, cut to one line (how
/// `explain --list` and a Japanese diagnosis name an entry).
pub fn title(meaning: &str, lang: Lang) -> String {
    let (end, limit) = match lang {
        Lang::En => (". ", 110),
        Lang::Ja => ("。", 60),
    };
    let first = meaning.split(end).next().unwrap_or(meaning);
    let first = first.trim_end_matches(['.', '。']);
    if first.chars().count() <= limit {
        return first.to_string();
    }
    let cut: String = first.chars().take(limit).collect();
    // English is cut at a word; Japanese has no spaces to cut at.
    let cut = match (lang, cut.rfind(' ')) {
        (Lang::En, Some(i)) => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ' ', ';', ':']))
}

/// A text in both report languages.
#[derive(Debug, Clone, Copy)]
pub struct Text {
    pub en: &'static str,
    pub ja: &'static str,
}

impl Text {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Ja => self.ja,
        }
    }
}

/// What kind of knowledge an entry holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A failure reason found in the audit log that has no documented user-facing code.
    Failure,
    /// A progress step of "Self-service password reset flow activity progress" (not an error).
    Step,
    /// A success reason.
    Success,
    /// A failure listed in Microsoft's user-facing SSPR error table (SSPR_00xx or enum name);
    /// `texts` holds the audit wordings that carry it, if any are known. Treat like `Failure`.
    Code,
}

impl EntryKind {
    /// Stable lower-case name, for rendering.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Failure => "failure",
            EntryKind::Step => "step",
            EntryKind::Success => "success",
            EntryKind::Code => "code",
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        let t = match self {
            EntryKind::Failure => Text {
                en: "failure reason",
                ja: "失敗理由",
            },
            EntryKind::Step => Text {
                en: "progress step",
                ja: "進行ステップ",
            },
            EntryKind::Success => Text {
                en: "success",
                ja: "成功",
            },
            EntryKind::Code => Text {
                en: "SSPR error code",
                ja: "SSPR エラー コード",
            },
        };
        t.get(lang)
    }
}

/// One piece of knowledge: a reason (or code) with its meaning, cause and fix.
#[derive(Debug)]
pub struct CatalogEntry {
    /// "SSPR_0012" where Microsoft documents the code (or a correspondence, marked "inferred" in
    /// `meaning`), else the enum-like identifier ("FuzzyPolicyViolationInvalidPassword"), else "".
    pub code: &'static str,
    /// Short stable name, e.g. "UserNotLicensed", "SubmittedUserId".
    pub name: &'static str,
    pub kind: EntryKind,
    /// Meaningful for `Failure`/`Code`; `Other` for `Step`/`Success`.
    pub category: ReasonCategory,
    /// Every exact wording that maps here, as logged, without trailing spaces.
    pub texts: &'static [&'static str],
    pub meaning: Text,
    pub cause: Text,
    pub fix: Text,
}

/// Names of entries that family rules in [`classify_reason`] resolve to.
const THROTTLE_ENTRY: &str = "BlockedFor24Hours";
const ABANDONED_ENTRY: &str = "UserAbandoned";
const CONTACTED_ADMIN_ENTRY: &str = "ContactedAdmin";
const CANCELED_ENTRY: &str = "UserCanceled";

/// The catalog, in display order: progress steps, successes, user-facing codes, other failures,
/// user-side outcomes, throttling.
pub static ENTRIES: &[CatalogEntry] = &[
    // ------------------------------------------------------------------------------------------
    // Progress steps of "Self-service password reset flow activity progress" (formats.md §2.2).
    // Logged with result success; they tell how far an attempt got (the funnel), not why it
    // failed. Fixes address flows that *stop* after the step.
    // ------------------------------------------------------------------------------------------
    CatalogEntry {
        code: "",
        name: "SubmittedUserId",
        kind: EntryKind::Step,
        category: ReasonCategory::Other,
        texts: &["User submitted their user ID"],
        meaning: Text {
            en: "Progress step: the user entered their user ID (UPN) and the CAPTCHA on the password reset page (https://aka.ms/sspr). It is the first step of every SSPR attempt.",
            ja: "進行ステップ: ユーザーがパスワード リセット ページ (https://aka.ms/sspr) でユーザー ID (UPN) と CAPTCHA を入力しました。すべての SSPR 試行の最初のステップです。",
        },
        cause: Text {
            en: "Normal progress, not an error. A flow that ends right after this step usually means the next screen refused the user (SSPR not enabled for them, no licence, no registered methods) or the user closed the page.",
            ja: "通常の進行であり、エラーではありません。このステップの直後で終わっているフローは、次の画面でユーザーが対象外と判定された (SSPR が有効でない、ライセンスがない、認証方法が未登録) か、ユーザーがページを閉じたことを示す場合がほとんどです。",
        },
        fix: Text {
            en: "Nothing to do for the step itself. For flows that stop here, read the failure record with the same CorrelationId, then check the user's SSPR scope (Entra admin center > Entra ID > Password reset > Properties) and registration (Authentication methods > User registration details).",
            ja: "このステップ自体への対処は不要です。ここで止まったフローは、同じ CorrelationId の失敗レコードを確認したうえで、ユーザーが SSPR の対象か (Microsoft Entra 管理センター > [Entra ID] > [パスワード リセット] > [プロパティ])、認証方法を登録済みか ([認証方法] > [ユーザー登録の詳細]) を確認してください。",
        },
    },
    CatalogEntry {
        code: "",
        name: "PresentedVerificationOptions",
        kind: EntryKind::Step,
        category: ReasonCategory::Other,
        texts: &["User was presented with verification options"],
        meaning: Text {
            en: "Progress step: the user passed the user-ID screen and was shown the verification methods they can use (methods allowed by the SSPR policy for which they have registered data).",
            ja: "進行ステップ: ユーザー ID の画面を通過し、利用できる認証方法 (SSPR ポリシーで許可され、かつユーザーが登録済みの方法) の一覧が表示されました。",
        },
        cause: Text {
            en: "Normal progress. Flows that stop here often mean the user did not recognise or no longer has the listed methods (old phone number, lost alternate mailbox).",
            ja: "通常の進行です。ここで止まるフローは、表示された方法にユーザーが心当たりがない、または使えなくなっている (古い電話番号、使えない連絡用メール アドレス) ことが多いです。",
        },
        fix: Text {
            en: "Nothing to do for the step. If many flows stop here, ask users to review their methods at https://aka.ms/mysecurityinfo and set Password reset > Registration > 'Number of days before users are asked to re-confirm their authentication information' to a shorter value.",
            ja: "このステップへの対処は不要です。ここで止まるフローが多い場合は、https://aka.ms/mysecurityinfo で登録内容を見直すようユーザーに案内し、[パスワード リセット] > [登録] の認証情報の再確認を求めるまでの日数を短くしてください。",
        },
    },
    CatalogEntry {
        code: "",
        name: "StartedMobileSms",
        kind: EntryKind::Step,
        category: ReasonCategory::Other,
        texts: &["User started the mobile SMS verification option"],
        meaning: Text {
            en: "Progress step: the user chose a text message (SMS) to their mobile phone and a one-time code was sent.",
            ja: "進行ステップ: ユーザーが携帯電話への SMS を選択し、ワンタイム コードが送信されました。",
        },
        cause: Text {
            en: "Normal progress. If the flow stops after this step the SMS probably did not arrive, arrived late, or the code expired (codes are valid for 5 minutes).",
            ja: "通常の進行です。このステップの後でフローが止まっている場合、SMS が届かなかった、遅れて届いた、またはコードの有効期限 (5 分) が切れた可能性があります。",
        },
        fix: Text {
            en: "Nothing to do for the step. If flows stop here: check the mobile number in the user's authentication methods is in '+CountryCode Number' form (e.g. +81 9012345678, no extension), ask the carrier about SMS filtering of short codes, and consider the Microsoft Authenticator app as a more reliable method.",
            ja: "このステップへの対処は不要です。ここで止まる場合は、ユーザーの認証方法に登録された携帯電話番号が「+国番号 番号」形式 (例: +81 9012345678、内線なし) であることを確認し、キャリア側の SMS フィルターを確認するとともに、より確実な Microsoft Authenticator アプリの利用を検討してください。",
        },
    },
    CatalogEntry {
        code: "",
        name: "CompletedMobileSms",
        kind: EntryKind::Step,
        category: ReasonCategory::Other,
        texts: &["User completed the mobile SMS verification option"],
        meaning: Text {
            en: "Progress step: the user entered the correct SMS code; this verification gate is passed.",
            ja: "進行ステップ: ユーザーが正しい SMS コードを入力し、この認証ステップを通過しました。",
        },
        cause: Text {
            en: "Normal progress. When the policy requires two methods the user continues with a second one.",
            ja: "通常の進行です。ポリシーで 2 つの方法が必要な場合、ユーザーは続けて 2 つ目の方法に進みます。",
        },
        fix: Text {
            en: "Nothing to do.",
            ja: "対処は不要です。",
        },
    },
    CatalogEntry {
        code: "",
        name: "StartedMobileVoiceCall",
        kind: EntryKind::Step,
        category: ReasonCategory::Other,
        texts: &["User started the mobile voice call verification option"],
        meaning: Text {
            en: "Progress step: the user chose a voice call to their mobile phone and the call was placed.",
            ja: "進行ステップ: ユーザーが携帯電話への音声通話を選択し、発信されました。",
        },
        cause: Text {
            en: "Normal progress. If the flow stops after this step the call was not answered, went to voicemail, or was blocked.",
            ja: "通常の進行です。このステップの後で止まっている場合、着信に応答できなかった、留守番電話につながった、または着信がブロックされた可能性があります。",
        },
        fix: Text {
            en: "Nothing to do for the step. If flows stop here: check the number format (+CountryCode Number, no extension; SSPR strips extensions), and that the phone accepts calls from unknown international numbers.",
            ja: "このステップへの対処は不要です。ここで止まる場合は、電話番号の形式 (+国番号 番号、内線なし。SSPR は内線番号を削除して発信します) と、非通知・海外番号からの着信が拒否されていないことを確認してください。",
        },
    },
    CatalogEntry {
        code: "",
        name: "CompletedMobileVoiceCall",
        kind: EntryKind::Step,
        category: ReasonCategory::Other,
        texts: &["User completed the mobile voice call verification option"],
        meaning: Text {
            en: "Progress step: the user answered the verification call and confirmed it; this gate is passed.",
            ja: "進行ステップ: ユーザーが確認の電話に応答して承認し、この認証ステップを通過しました。",
        },
        cause: Text {
            en: "Normal progress.",
            ja: "通常の進行です。",
        },
        fix: Text {
            en: "Nothing to do.",
            ja: "対処は不要です。",
        },
    },
    CatalogEntry {
        code: "",
        name: "StartedSecurityQuestions",
        kind: EntryKind::Step,
        category: ReasonCategory::Other,
        texts: &["User started the security questions verification option"],
        meaning: Text {
            en: "Progress step: the user chose to answer their security questions.",
            ja: "進行ステップ: ユーザーがセキュリティの質問に回答する方法を選択しました。",
        },
        cause: Text {
            en: "Normal progress. If the flow stops after this step the user did not remember the answers.",
            ja: "通常の進行です。このステップの後で止まっている場合、ユーザーが回答を覚えていなかった可能性があります。",
        },
        fix: Text {
            en: "Nothing to do for the step. Security questions are the weakest SSPR method; if users fail here often, enable the Authenticator app or SMS in Password reset > Authentication methods and ask users to register them.",
            ja: "このステップへの対処は不要です。セキュリティの質問は最も弱い SSPR の方法です。ここでの失敗が多い場合は、[パスワード リセット] > [認証方法] で Authenticator アプリや SMS を有効にし、ユーザーに登録してもらってください。",
        },
    },
    CatalogEntry {
        code: "",
        name: "CompletedSecurityQuestions",
        kind: EntryKind::Step,
        category: ReasonCategory::Other,
        texts: &["User completed the security questions verification option"],
        meaning: Text {
            en: "Progress step: the user answered the required number of security questions correctly; this gate is passed.",
            ja: "進行ステップ: ユーザーが必要な数のセキュリティの質問に正しく回答し、この認証ステップを通過しました。",
        },
        cause: Text {
            en: "Normal progress.",
            ja: "通常の進行です。",
        },
        fix: Text {
            en: "Nothing to do.",
            ja: "対処は不要です。",
        },
    },
    CatalogEntry {
        code: "",
        name: "StartedEmail",
        kind: EntryKind::Step,
        category: ReasonCategory::Other,
        texts: &["User started the email verification option"],
        meaning: Text {
            en: "Progress step: the user chose email and a one-time code was sent to their registered alternate email address.",
            ja: "進行ステップ: ユーザーがメールを選択し、登録済みの連絡用メール アドレスにワンタイム コードが送信されました。",
        },
        cause: Text {
            en: "Normal progress. If the flow stops after this step the message was filtered as spam, went to a mailbox the user cannot open without the forgotten password, or the code expired.",
            ja: "通常の進行です。このステップの後で止まっている場合、メールが迷惑メールとして扱われた、忘れたパスワードがないと開けないメールボックスに届いた、またはコードの有効期限が切れた可能性があります。",
        },
        fix: Text {
            en: "Nothing to do for the step. If flows stop here: ask users to check junk folders, and make sure the registered address is a personal mailbox, not the work mailbox protected by the same password.",
            ja: "このステップへの対処は不要です。ここで止まる場合は、迷惑メール フォルダーを確認するよう案内し、登録されたアドレスが同じパスワードで保護された会社のメールボックスではなく、個人のメールボックスであることを確認してください。",
        },
    },
    CatalogEntry {
        code: "",
        name: "CompletedEmail",
        kind: EntryKind::Step,
        category: ReasonCategory::Other,
        texts: &["User completed the email verification option"],
        meaning: Text {
            en: "Progress step: the user entered the correct email code; this gate is passed.",
            ja: "進行ステップ: ユーザーが正しいメールのコードを入力し、この認証ステップを通過しました。",
        },
        cause: Text {
            en: "Normal progress.",
            ja: "通常の進行です。",
        },
        fix: Text {
            en: "Nothing to do.",
            ja: "対処は不要です。",
        },
    },
    CatalogEntry {
        code: "",
        name: "StartedMobileAppNotification",
        kind: EntryKind::Step,
        category: ReasonCategory::Other,
        texts: &["User started the mobile app notification verification option"],
        meaning: Text {
            en: "Progress step: the user chose a notification to the Microsoft Authenticator app and a push was sent.",
            ja: "進行ステップ: ユーザーが Microsoft Authenticator アプリへの通知を選択し、プッシュ通知が送信されました。",
        },
        cause: Text {
            en: "Normal progress. If the flow stops after this step the phone was offline, notifications were disabled, or the user denied the request.",
            ja: "通常の進行です。このステップの後で止まっている場合、スマートフォンがオフラインだった、通知がオフになっていた、またはユーザーが要求を拒否した可能性があります。",
        },
        fix: Text {
            en: "Nothing to do for the step. If flows stop here: have the user open the Authenticator app to pull the pending request, check notification settings, or use the app code instead. Microsoft documents that app notification is offered for SSPR only when the policy requires two methods.",
            ja: "このステップへの対処は不要です。ここで止まる場合は、Authenticator アプリを開いて保留中の要求を受け取る、通知設定を確認する、またはアプリのコードを使うよう案内してください。なお、SSPR でアプリ通知が選択肢に出るのは、ポリシーで 2 つの方法が必要な場合だけです。",
        },
    },
    CatalogEntry {
        code: "",
        name: "CompletedMobileAppNotification",
        kind: EntryKind::Step,
        category: ReasonCategory::Other,
        texts: &["User completed the mobile app notification verification option"],
        meaning: Text {
            en: "Progress step: the user approved the Authenticator notification; this gate is passed.",
            ja: "進行ステップ: ユーザーが Authenticator の通知を承認し、この認証ステップを通過しました。",
        },
        cause: Text {
            en: "Normal progress.",
            ja: "通常の進行です。",
        },
        fix: Text {
            en: "Nothing to do.",
            ja: "対処は不要です。",
        },
    },
    CatalogEntry {
        code: "",
        name: "StartedMobileAppCode",
        kind: EntryKind::Step,
        category: ReasonCategory::Other,
        texts: &["User started the mobile app code verification option"],
        meaning: Text {
            en: "Progress step: the user chose to type a verification code from the Authenticator app (or another software OATH app).",
            ja: "進行ステップ: ユーザーが Authenticator アプリ (またはその他のソフトウェア OATH アプリ) の確認コードを入力する方法を選択しました。",
        },
        cause: Text {
            en: "Normal progress. If the flow stops after this step the code was rejected (phone clock out of sync, wrong account in the app) or the user no longer has the app.",
            ja: "通常の進行です。このステップの後で止まっている場合、コードが拒否された (スマートフォンの時刻のずれ、アプリ内の別アカウントのコード) か、ユーザーがアプリを使えなくなっている可能性があります。",
        },
        fix: Text {
            en: "Nothing to do for the step. If flows stop here: have users set the phone clock to automatic time and pick the code of the right account; users who replaced their phone must re-register the app at https://aka.ms/mysecurityinfo.",
            ja: "このステップへの対処は不要です。ここで止まる場合は、スマートフォンの時刻を自動設定にし、正しいアカウントのコードを使うよう案内してください。機種変更したユーザーは https://aka.ms/mysecurityinfo でアプリを再登録する必要があります。",
        },
    },
    CatalogEntry {
        code: "",
        name: "CompletedMobileAppCode",
        kind: EntryKind::Step,
        category: ReasonCategory::Other,
        texts: &["User completed the mobile app code verification option"],
        meaning: Text {
            en: "Progress step: the user entered a valid app code; this gate is passed.",
            ja: "進行ステップ: ユーザーが有効なアプリのコードを入力し、この認証ステップを通過しました。",
        },
        cause: Text {
            en: "Normal progress.",
            ja: "通常の進行です。",
        },
        fix: Text {
            en: "Nothing to do.",
            ja: "対処は不要です。",
        },
    },
    CatalogEntry {
        code: "",
        name: "CompletedAllVerification",
        kind: EntryKind::Step,
        category: ReasonCategory::Other,
        texts: &["User completed all verification steps required to reset their password"],
        meaning: Text {
            en: "Progress step: the user passed the number of verification methods the policy requires (1 or 2) and is now asked for a new password.",
            ja: "進行ステップ: ユーザーがポリシーで必要な数 (1 つまたは 2 つ) の認証方法をすべて通過し、新しいパスワードの入力画面に進みました。",
        },
        cause: Text {
            en: "Normal progress. A flow that ends after this step without a new password means the user left at the password screen or the password was rejected before submission.",
            ja: "通常の進行です。このステップの後に新しいパスワードの送信がないまま終わっているフローは、ユーザーがパスワード入力画面で離脱したか、送信前にパスワードが拒否されたことを示します。",
        },
        fix: Text {
            en: "Nothing to do for the step. If many flows stop here, publish the password rules (length, banned words, on-premises complexity) where users will see them.",
            ja: "このステップへの対処は不要です。ここで止まるフローが多い場合は、パスワードの要件 (長さ、禁止語、オンプレミスの複雑さ要件) をユーザーの目に付く場所で案内してください。",
        },
    },
    CatalogEntry {
        code: "",
        name: "SubmittedNewPassword",
        kind: EntryKind::Step,
        category: ReasonCategory::Other,
        texts: &["User submitted a new password"],
        meaning: Text {
            en: "Progress step: the user submitted a new password. Entra ID now checks it (banned passwords) and, for a synchronised user, sends it to on-premises AD through password writeback.",
            ja: "進行ステップ: ユーザーが新しいパスワードを送信しました。この後 Microsoft Entra ID がパスワードを検査 (禁止パスワード) し、同期ユーザーの場合はパスワード ライトバックでオンプレミスの AD に送ります。",
        },
        cause: Text {
            en: "Normal progress. If no success follows, the password was rejected in the cloud or the writeback failed.",
            ja: "通常の進行です。この後に成功の記録がない場合は、クラウドでパスワードが拒否されたか、ライトバックに失敗しています。",
        },
        fix: Text {
            en: "Nothing to do for the step. If no success follows: read the 'Reset password (self-service)' record of the same CorrelationId, and on the Entra Connect server look at the Application log (source PasswordResetService: 31001 start, then 31002 success or 31003 failure with a 33xxx detail) at the same minute.",
            ja: "このステップへの対処は不要です。この後に成功がない場合は、同じ CorrelationId の「Reset password (self-service)」レコードを確認し、Microsoft Entra Connect サーバーのアプリケーション イベント ログ (ソース PasswordResetService: 31001 開始、続いて 31002 成功または 31003 失敗と 33xxx の詳細) を同じ時刻で確認してください。",
        },
    },
    // ------------------------------------------------------------------------------------------
    // Success reasons (formats.md §2.2, §2.3).
    // ------------------------------------------------------------------------------------------
    CatalogEntry {
        code: "",
        name: "PasswordResetSucceeded",
        kind: EntryKind::Success,
        category: ReasonCategory::Other,
        texts: &["User successfully reset password", "Succeeded"],
        meaning: Text {
            en: "Final progress step (and the legacy result 'Succeeded'): the password reset is complete, in the cloud and, for a synchronised user, written back to on-premises AD.",
            ja: "最終の進行ステップ (旧レポートの結果「Succeeded」): パスワードのリセットが完了しました。クラウドで、また同期ユーザーの場合はオンプレミスの AD にも書き戻されています。",
        },
        cause: Text {
            en: "Successful reset; nothing went wrong.",
            ja: "リセットに成功しており、問題はありません。",
        },
        fix: Text {
            en: "Nothing to do. If the user still cannot sign in to on-premises resources, wait for AD replication between domain controllers and have them lock and unlock the PC while connected to the corporate network (or VPN) so cached credentials update.",
            ja: "対処は不要です。ユーザーがオンプレミスのリソースにサインインできない場合は、ドメイン コントローラー間の AD レプリケーションを待ち、社内ネットワーク (または VPN) に接続した状態で PC をロックしてからロック解除し、キャッシュされた資格情報を更新するよう案内してください。",
        },
    },
    CatalogEntry {
        code: "",
        name: "ResetCompleted",
        kind: EntryKind::Success,
        category: ReasonCategory::Other,
        texts: &["Successfully completed reset."],
        meaning: Text {
            en: "Result reason of a successful 'Reset password (self-service)' and of a successful 'Reset password (by admin)'. For admin resets the additional detail OnPremisesAgent says where the password went (None = cloud only, Microsoft Entra Connect, CloudSync).",
            ja: "成功した「Reset password (self-service)」および「Reset password (by admin)」の結果の理由です。管理者によるリセットでは、追加の詳細 OnPremisesAgent がパスワードの書き込み先 (None = クラウドのみ、Microsoft Entra Connect、CloudSync) を示します。",
        },
        cause: Text {
            en: "Successful reset; nothing went wrong.",
            ja: "リセットに成功しており、問題はありません。",
        },
        fix: Text {
            en: "Nothing to do.",
            ja: "対処は不要です。",
        },
    },
    CatalogEntry {
        code: "",
        name: "NoStatusReason",
        kind: EntryKind::Success,
        category: ReasonCategory::Other,
        texts: &["None"],
        meaning: Text {
            en: "Status reason 'None', seen on successful 'Change password (self-service)' records: the change succeeded and there is nothing more to report.",
            ja: "状態の理由「None」。成功した「Change password (self-service)」レコードで見られます。変更は成功しており、追加の情報はありません。",
        },
        cause: Text {
            en: "Successful change; nothing went wrong.",
            ja: "変更に成功しており、問題はありません。",
        },
        fix: Text {
            en: "Nothing to do. If it appears on a failure record, the reason is in another record of the same CorrelationId.",
            ja: "対処は不要です。失敗レコードで見られる場合は、同じ CorrelationId の別のレコードに理由が記録されています。",
        },
    },
    // ------------------------------------------------------------------------------------------
    // User-facing SSPR error codes (formats.md §2.6), each with the audit wordings that carry the
    // same condition. Only OnPremisesConnectivityError is seen verbatim in logs; the other
    // wording-to-code links are inferences from meaning, and the entries say so.
    // ------------------------------------------------------------------------------------------
    CatalogEntry {
        code: "SSPR_0009",
        name: "TenantSSPRFlagDisabled",
        kind: EntryKind::Code,
        category: ReasonCategory::NotEnabled,
        texts: &[
            "Password reset has been disabled entirely for this tenant. See [here](http://aka.ms/ssprtroubleshoot) to resolve this.",
        ],
        meaning: Text {
            en: "Self-service password reset is switched off for the whole organisation, so users cannot reset (administrators follow a separate Microsoft-managed policy). Users see SSPR_0009 (TenantSSPRFlagDisabled = 9). The audit wording 'Password reset has been disabled entirely for this tenant' is matched to this code by inference.",
            ja: "組織全体でセルフサービス パスワード リセット (SSPR) が無効になっているため、ユーザーはパスワードをリセットできません (管理者には Microsoft が管理する別のポリシーが適用されます)。ユーザーには SSPR_0009 (TenantSSPRFlagDisabled = 9) が表示されます。監査ログの文言「Password reset has been disabled entirely for this tenant」とこのコードの対応は推定です。",
        },
        cause: Text {
            en: "'Self service password reset enabled' under Password reset > Properties is set to None (for example after a pilot was stopped), or SSPR was disabled tenant-wide through an older interface.",
            ja: "[パスワード リセット] > [プロパティ] の [セルフサービス パスワード リセットが有効] が [なし] になっている (パイロットの終了時に無効化したなど) か、旧来の管理画面からテナント全体で SSPR が無効化されています。",
        },
        fix: Text {
            en: "Sign in to the Microsoft Entra admin center as at least Authentication Policy Administrator, go to Entra ID (older menu: Protection) > Password reset > Properties, set 'Self service password reset enabled' to Selected (and pick the group) or All, and Save. Who changed it and when is in the audit log under service 'Self-service Password Management'.",
            ja: "Microsoft Entra 管理センターに認証ポリシー管理者以上でサインインし、[Entra ID] (旧メニューでは [保護]) > [パスワード リセット] > [プロパティ] で [セルフサービス パスワード リセットが有効] を [選択] (対象グループを指定) または [すべて] にして [保存] します。誰がいつ変更したかは、監査ログのサービス「Self-service Password Management」で確認できます。",
        },
    },
    CatalogEntry {
        code: "SSPR_0010",
        name: "WritebackNotEnabled",
        kind: EntryKind::Code,
        category: ReasonCategory::NotEnabled,
        texts: &[
            "User's password is managed on-premises. You can enable Password Writeback to resolve this",
        ],
        meaning: Text {
            en: "The user is synchronised from on-premises AD, so their password is mastered there, but password writeback is not enabled: a cloud reset cannot be written back. Users see SSPR_0010 (WritebackNotEnabled = 10). The audit wording 'User's password is managed on-premises' is matched to this code by inference.",
            ja: "ユーザーはオンプレミスの AD から同期されておりパスワードはオンプレミスで管理されていますが、パスワード ライトバックが有効になっていないため、クラウドでのリセットを書き戻せません。ユーザーには SSPR_0010 (WritebackNotEnabled = 10) が表示されます。監査ログの文言「User's password is managed on-premises」とこのコードの対応は推定です。",
        },
        cause: Text {
            en: "Password writeback is off in Microsoft Entra Connect (Optional features) or in Cloud Sync, or 'Enable password write back for synced users' is off under Password reset > On-premises integration. Common after a Connect server was rebuilt or migrated without re-enabling writeback.",
            ja: "Microsoft Entra Connect の [オプション機能] またはクラウド同期でパスワード ライトバックが無効になっているか、[パスワード リセット] > [オンプレミスの統合] で同期ユーザーのパスワード ライトバックが無効になっています。Connect サーバーを再構築・移行した後にライトバックを有効にし忘れた場合によく起こります。",
        },
        fix: Text {
            en: "On the Entra Connect server run the configuration wizard > Customize synchronization options > Optional features and tick Password writeback (Cloud Sync: enable password writeback in its configuration). Then, as at least Hybrid Identity Administrator, open Entra admin center > Entra ID > Password reset > On-premises integration, turn on 'Enable password write back for synced users' and Save; the page shows the writeback client status. In the Connect server's Application log expect PasswordResetService 31005 (onboarding succeeded) and 31015 (service started). Writeback users need Entra ID P1/P2 or Microsoft 365 Business Premium.",
            ja: "Microsoft Entra Connect サーバーで構成ウィザードを開き、[同期オプションのカスタマイズ] > [オプション機能] で [パスワードの書き戻し] をオンにします (クラウド同期の場合はその構成でパスワード ライトバックを有効化)。続いてハイブリッド ID 管理者以上で Microsoft Entra 管理センター > [Entra ID] > [パスワード リセット] > [オンプレミスの統合] を開き、同期ユーザーのパスワード ライトバックを有効にして [保存] します (この画面でライトバック クライアントの状態も確認できます)。Connect サーバーのアプリケーション イベント ログに PasswordResetService の 31005 (オンボード成功) と 31015 (サービス開始) が記録されることを確認してください。ライトバックを使うユーザーには Microsoft Entra ID P1/P2 または Microsoft 365 Business Premium のライセンスが必要です。",
        },
    },
    CatalogEntry {
        code: "SSPR_0011",
        name: "SsprNotEnabledInUserPolicy",
        kind: EntryKind::Code,
        category: ReasonCategory::NotEnabled,
        texts: &[
            "Password reset is not enabled for this user",
            "Password reset is not enabled for this user. Enable password reset under the configure tab to resolve this",
        ],
        meaning: Text {
            en: "No password reset policy enables SSPR for this user; users see SSPR_0011 (SsprNotEnabledInUserPolicy = 11, 'your organisation has not defined a password reset policy'). The audit wording 'Password reset is not enabled for this user' is matched to this code by inference.",
            ja: "このユーザーに SSPR を有効にするパスワード リセット ポリシーがありません。ユーザーには SSPR_0011 (SsprNotEnabledInUserPolicy = 11、組織でパスワード リセット ポリシーが定義されていない) が表示されます。監査ログの文言「Password reset is not enabled for this user」とこのコードの対応は推定です。",
        },
        cause: Text {
            en: "SSPR was never set up or is set to None ('the configure tab' in the legacy wording is the classic portal's place for the same switch). When SSPR is set to Selected and the user is only outside the group, expect SSPR_0013 ('not a member of the password reset users group') instead.",
            ja: "SSPR が一度も構成されていないか、[なし] に設定されています (旧文言の「configure tab」は旧ポータルで同じ設定を行う場所です)。SSPR が [選択] でユーザーが対象グループに入っていないだけの場合は、代わりに SSPR_0013 (「not a member of the password reset users group」) になります。",
        },
        fix: Text {
            en: "Entra admin center > Entra ID (older menu: Protection) > Password reset > Properties: set SSPR to Selected (with the group) or All. Then under Authentication methods choose the number of methods required (1 or 2) and the allowed methods, and under Registration require users to register when signing in. Retest with the user at https://aka.ms/sspr.",
            ja: "Microsoft Entra 管理センター > [Entra ID] (旧メニューでは [保護]) > [パスワード リセット] > [プロパティ] で SSPR を [選択] (グループを指定) または [すべて] にします。続いて [認証方法] でリセットに必要な方法の数 (1 または 2) と利用可能な方法を選び、[登録] でサインイン時の登録を必須にします。その後 https://aka.ms/sspr でユーザーと一緒に再確認してください。",
        },
    },
    CatalogEntry {
        code: "SSPR_0012",
        name: "UserNotLicensed",
        kind: EntryKind::Code,
        category: ReasonCategory::License,
        texts: &["User does not have a license. You can add a license to the user to resolve this"],
        meaning: Text {
            en: "The user has no licence that covers SSPR. Cloud-only users need Entra ID P1/P2 or a Microsoft 365 plan that includes reset (Business Standard, Business Premium, E3/E5); synchronised users with writeback need Entra ID P1/P2 or Microsoft 365 Business Premium. Users see SSPR_0012 (UserNotLicensed = 12). The audit wording 'User does not have a license' is matched to this code by inference.",
            ja: "ユーザーに SSPR を利用できるライセンスがありません。クラウドのみのユーザーには Microsoft Entra ID P1/P2 またはリセットを含む Microsoft 365 プラン (Business Standard、Business Premium、E3/E5) が、ライトバックを使う同期ユーザーには Microsoft Entra ID P1/P2 または Microsoft 365 Business Premium が必要です。ユーザーには SSPR_0012 (UserNotLicensed = 12) が表示されます。監査ログの文言「User does not have a license」とこのコードの対応は推定です。",
        },
        cause: Text {
            en: "No licence assigned; a licence assigned with the Entra ID P1 service plan (AAD_PREMIUM) switched off; a group-based licence assignment in error (no free seats, missing usage location, conflicting plans); or a synchronised user holding only a plan that does not cover writeback (Business Standard, Microsoft 365 Basic).",
            ja: "ライセンスが割り当てられていない、Microsoft Entra ID P1 のサービス プラン (AAD_PREMIUM) をオフにして割り当てている、グループベースのライセンス割り当てがエラーになっている (空きライセンス不足、利用場所 (Usage location) 未設定、プランの競合)、または同期ユーザーにライトバックを含まないプラン (Business Standard、Microsoft 365 Basic) しかない、のいずれかです。",
        },
        fix: Text {
            en: "Assign a licence that includes Entra ID P1 (Entra ID P1/P2, Microsoft 365 E3/E5, EMS E3/E5, Microsoft 365 Business Premium): Microsoft 365 admin center > Users > Active users > user > Licenses and apps, or Entra admin center > Entra ID > Users > user > Licenses. With group-based licensing open the group's Licenses page, fix assignment errors and set the user's usage location. Make sure the AAD_PREMIUM service plan is not turned off. license_gaps.csv lists the affected users.",
            ja: "Microsoft Entra ID P1 を含むライセンス (Entra ID P1/P2、Microsoft 365 E3/E5、EMS E3/E5、Microsoft 365 Business Premium) を割り当てます。Microsoft 365 管理センター > [ユーザー] > [アクティブなユーザー] > 対象ユーザー > [ライセンスとアプリ]、または Microsoft Entra 管理センター > [Entra ID] > [ユーザー] > 対象ユーザー > [ライセンス] から行えます。グループベースのライセンスの場合は、グループの [ライセンス] でエラーを解消し、ユーザーの利用場所を設定してください。AAD_PREMIUM サービス プランがオフになっていないことも確認します。対象ユーザーは license_gaps.csv に一覧されます。",
        },
    },
    CatalogEntry {
        code: "SSPR_0013",
        name: "UserNotMemberOfScopedAccessGroup",
        kind: EntryKind::Code,
        category: ReasonCategory::NotEnabled,
        texts: &[
            "This user is not a member of the password reset users group. Add this user to that group to resolve this.",
        ],
        meaning: Text {
            en: "SSPR is enabled for one selected group and the user is not in it, directly or through a nested group. Users see SSPR_0013 (UserNotMemberOfScopedAccessGroup = 13). The audit wording 'not a member of the password reset users group' is matched to this code by inference.",
            ja: "SSPR は選択した 1 つのグループに対してのみ有効で、ユーザーがそのグループに (直接または入れ子のグループ経由で) 含まれていません。ユーザーには SSPR_0013 (UserNotMemberOfScopedAccessGroup = 13) が表示されます。監査ログの文言「not a member of the password reset users group」とこのコードの対応は推定です。",
        },
        cause: Text {
            en: "'Self service password reset enabled' is Selected and the user was never added or was removed; the membership change has not synchronised yet (on-premises group); a dynamic group rule excludes the user; or the selected group was replaced (only one group can be selected).",
            ja: "[セルフサービス パスワード リセットが有効] が [選択] で、ユーザーが追加されていない、または削除された、メンバーシップの変更がまだ同期されていない (オンプレミスのグループ)、動的グループのルールで除外されている、または選択グループが別のグループに差し替えられた (選択できるグループは 1 つだけ)、のいずれかです。",
        },
        fix: Text {
            en: "Entra admin center > Entra ID > Password reset > Properties: note the selected group, then add the user (Entra ID > Groups > group > Members > Add members; for a group synchronised from AD, add them in AD and wait for the next sync cycle, 30 minutes by default). To cover other groups nest them in the selected group, or switch SSPR to All.",
            ja: "Microsoft Entra 管理センター > [Entra ID] > [パスワード リセット] > [プロパティ] で選択されているグループを確認し、ユーザーを追加します ([Entra ID] > [グループ] > 対象グループ > [メンバー] > [メンバーの追加]。AD から同期されたグループの場合は AD 側で追加し、次回の同期 (既定 30 分間隔) を待ちます)。ほかのグループも対象にするには選択グループに入れ子にするか、SSPR を [すべて] に切り替えてください。",
        },
    },
    CatalogEntry {
        code: "SSPR_0014",
        name: "UserNotProperlyConfigured",
        kind: EntryKind::Code,
        category: ReasonCategory::NotRegistered,
        texts: &[
            "User's account has insufficient authentication methods defined. Add authentication info to resolve this",
        ],
        meaning: Text {
            en: "The user has not registered as many authentication methods as the SSPR policy requires (1 or 2) among the methods it allows. Users see SSPR_0014 (UserNotProperlyConfigured = 14, 'additional security info is needed'). The audit wording 'insufficient authentication methods defined' is matched to this code by inference.",
            ja: "ユーザーが、SSPR ポリシーで許可された方法のうち必要な数 (1 つまたは 2 つ) の認証方法を登録していません。ユーザーには SSPR_0014 (UserNotProperlyConfigured = 14、パスワードのリセットに追加のセキュリティ情報が必要) が表示されます。監査ログの文言「insufficient authentication methods defined」とこのコードの対応は推定です。",
        },
        cause: Text {
            en: "The user never registered (registration not enforced); registered only methods SSPR cannot use (FIDO2 keys, Windows Hello for Business, passkeys) or methods not enabled for SSPR; the phone number or email is missing or malformed; the policy was raised from 1 to 2 required methods; or methods were deleted.",
            ja: "ユーザーが登録をしていない (登録が強制されていない)、SSPR で使えない方法 (FIDO2 セキュリティ キー、Windows Hello for Business、パスキー) や SSPR で許可していない方法しか登録していない、電話番号やメール アドレスが未設定または形式が不正、必要な方法の数を 1 から 2 に引き上げた、または登録済みの方法が削除された、のいずれかです。",
        },
        fix: Text {
            en: "Check the user in Entra admin center > Entra ID > Authentication methods > User registration details (SSPR Registered / SSPR Capable) or in registrations.csv. Have the user register at https://aka.ms/mysecurityinfo (https://aka.ms/ssprsetup); an Authentication Administrator can add a phone number or email under Users > user > Authentication methods. To prevent it, turn on Password reset > Registration > 'Require users to register when signing in', and keep the allowed methods in Password reset > Authentication methods in line with what users actually have.",
            ja: "Microsoft Entra 管理センター > [Entra ID] > [認証方法] > [ユーザー登録の詳細] (SSPR 登録済み / SSPR 対応) または registrations.csv でユーザーの状態を確認します。ユーザーに https://aka.ms/mysecurityinfo (https://aka.ms/ssprsetup) で登録してもらうか、認証管理者が [ユーザー] > 対象ユーザー > [認証方法] で電話番号やメール アドレスを追加します。再発防止には [パスワード リセット] > [登録] でサインイン時の登録を必須にし、[パスワード リセット] > [認証方法] で許可する方法を実際にユーザーが持っている方法と合わせてください。",
        },
    },
    CatalogEntry {
        code: "SSPR_0029",
        name: "OnPremisesAdminActionRequired",
        kind: EntryKind::Code,
        category: ReasonCategory::OnpremConfig,
        texts: &[
            "We encountered a problem while resetting the user's on-premises password. Check your sync machine's event log",
        ],
        meaning: Text {
            en: "The reset reached the on-premises writeback service, but setting the password in AD DS failed because of an on-premises configuration problem an administrator has to fix. Users see SSPR_0029 (OnPremisesAdminActionRequired = 29). The audit wording 'We encountered a problem while resetting the user's on-premises password' is matched to this code by inference.",
            ja: "リセット要求はオンプレミスのライトバック サービスに届きましたが、オンプレミスの構成の問題により AD DS でのパスワード設定に失敗しました。管理者による対処が必要です。ユーザーには SSPR_0029 (OnPremisesAdminActionRequired = 29) が表示されます。監査ログの文言「We encountered a problem while resetting the user's on-premises password」とこのコードの対応は推定です。",
        },
        cause: Text {
            en: "The AD DS connector account (MSOL_…) lacks Reset password / Change password / write lockoutTime and pwdLastSet on the user (PasswordResetService 33004; also protected users with adminCount=1); the user is not found on-premises or is outside the password hash sync scope (33002, ADSync 6329 with 0x80230405 'No password writeback targets found'); a forest was added after writeback was enabled (6329 with 0x8023061f); domain controllers lack the LDAP password policy hints control; RestrictRemoteSam denies the connector account (ERROR_ACCESS_DENIED); or an unknown AD error (33001, 33009).",
            ja: "AD DS コネクタ アカウント (MSOL_…) に対象ユーザーへの [パスワードのリセット]・[パスワードの変更]・lockoutTime と pwdLastSet への書き込み権限がない (PasswordResetService 33004。adminCount=1 の保護されたユーザーでも発生)、ユーザーがオンプレミスに見つからない、またはパスワード ハッシュ同期の対象外 (33002、ADSync 6329 の 0x80230405「No password writeback targets found」)、ライトバック有効化後にフォレストを追加した (6329 の 0x8023061f)、ドメイン コントローラーで LDAP パスワード ポリシー ヒントのコントロールが使えない、RestrictRemoteSam によりコネクタ アカウントが拒否されている (ERROR_ACCESS_DENIED)、AD の不明なエラー (33001、33009) などです。",
        },
        fix: Text {
            en: "On the Entra Connect server open Event Viewer > Windows Logs > Application and filter sources PasswordResetService and ADSync at the time of the attempt: 31003/31008/31011 (failure) followed by a 33xxx event or ADSync 6329 names the reason. Grant the connector account Reset password, Change password, Write lockoutTime and Write pwdLastSet on the domain root for descendant user objects (e.g. Set-ADSyncPasswordWritebackPermissions from the ADSyncConfig module); for protected accounts (adminCount=1) permissions are reset by SDProp, so reset those passwords on-premises. After adding a forest, disable and re-enable Password writeback in the Connect wizard. Then have the user retry.",
            ja: "Microsoft Entra Connect サーバーでイベント ビューアー > [Windows ログ] > [アプリケーション] を開き、試行時刻のソース PasswordResetService と ADSync を絞り込みます。31003/31008/31011 (失敗) に続く 33xxx のイベントまたは ADSync 6329 が原因を示します。コネクタ アカウントにドメインのルートで子孫のユーザー オブジェクトに対する [パスワードのリセット]・[パスワードの変更]・lockoutTime と pwdLastSet への書き込み権限を付与します (ADSyncConfig モジュールの Set-ADSyncPasswordWritebackPermissions など)。保護されたアカウント (adminCount=1) は SDProp によって権限が戻るため、オンプレミスでリセットしてください。フォレストを追加した後は Connect ウィザードでパスワード ライトバックを無効にしてから再び有効にします。その後ユーザーに再試行してもらってください。",
        },
    },
    CatalogEntry {
        code: "SSPR_0030",
        name: "OnPremisesConnectivityError",
        kind: EntryKind::Code,
        category: ReasonCategory::OnpremConnectivity,
        texts: &[
            "We could not reach your on-premises password reset service. Check your sync machine's event log",
            "OnPremisesConnectivityError",
            "OnPremisesConnectivtyFailure",
        ],
        meaning: Text {
            en: "Entra ID could not reach the password writeback service on the Entra Connect server (or Cloud Sync agent), so the new password could not be written to AD. Users see SSPR_0030 (OnPremisesConnectivityError = 30). The identifier OnPremisesConnectivityError, and the misspelt OnPremisesConnectivtyFailure, have been seen as logged reasons; the long wording 'We could not reach your on-premises password reset service' is matched to this code by inference.",
            ja: "Microsoft Entra ID が Microsoft Entra Connect サーバー (またはクラウド同期エージェント) 上のパスワード ライトバック サービスに接続できず、新しいパスワードを AD に書き込めませんでした。ユーザーには SSPR_0030 (OnPremisesConnectivityError = 30) が表示されます。識別子 OnPremisesConnectivityError と、つづりの誤った OnPremisesConnectivtyFailure は実際のログで確認されています。長い文言「We could not reach your on-premises password reset service」とこのコードの対応は推定です。",
        },
        cause: Text {
            en: "The Connect server is down or the ADSync service (Microsoft Azure AD Sync) is stopped; the writeback service stopped (31016); outbound HTTPS 443 to *.passwordreset.microsoftonline.com or *.servicebus.windows.net is blocked by a firewall, proxy or TLS inspection; root CA certificates are missing (31034 'The remote certificate is invalid'); Service Bus relay errors (31044, 32001, 32002); or an outdated Connect version.",
            ja: "Connect サーバーが停止している、または ADSync サービス (Microsoft Azure AD Sync) が停止している、ライトバック サービスが停止した (31016)、*.passwordreset.microsoftonline.com や *.servicebus.windows.net への送信 HTTPS 443 がファイアウォール・プロキシ・TLS インスペクションで遮断されている、ルート CA 証明書が不足している (31034「The remote certificate is invalid」)、Service Bus リレーのエラー (31044、32001、32002)、または古い Connect のバージョン、のいずれかです。",
        },
        fix: Text {
            en: "On the Connect server: make sure the ADSync service is running and restart it (services.msc > Microsoft Azure AD Sync); in the Application log look for PasswordResetService 31016/31015, 31034, 31044, 32001, 32002 and 32014 around the failure; test outbound HTTPS to *.passwordreset.microsoftonline.com and *.servicebus.windows.net through the proxy and exempt them from TLS inspection; install missing root CAs. If it persists, disable and re-enable Password writeback in the Connect wizard, then upgrade Entra Connect. Entra admin center > Password reset > On-premises integration shows the writeback client's current status.",
            ja: "Connect サーバーで ADSync サービスが実行中であることを確認して再起動し (services.msc > Microsoft Azure AD Sync)、アプリケーション イベント ログで失敗時刻前後の PasswordResetService 31016/31015、31034、31044、32001、32002、32014 を確認します。プロキシ経由で *.passwordreset.microsoftonline.com と *.servicebus.windows.net への送信 HTTPS を確認し、TLS インスペクションの対象から除外します。不足しているルート CA をインストールします。解決しない場合は Connect ウィザードでパスワード ライトバックを無効にしてから再び有効にし、Microsoft Entra Connect を最新版にアップグレードしてください。ライトバック クライアントの現在の状態は Microsoft Entra 管理センター > [パスワード リセット] > [オンプレミスの統合] で確認できます。",
        },
    },
    CatalogEntry {
        code: "OnPremisesSuccessCloudFailure",
        name: "OnPremisesSuccessCloudFailure",
        kind: EntryKind::Code,
        category: ReasonCategory::CloudError,
        texts: &[],
        meaning: Text {
            en: "The new password was written to on-premises AD DS, but updating the password in Microsoft Entra ID then failed. Listed in Microsoft's SSPR error table without a number.",
            ja: "新しいパスワードはオンプレミスの AD DS に書き込まれましたが、その後の Microsoft Entra ID でのパスワード更新に失敗しました。Microsoft の SSPR エラー一覧に番号なしで記載されています。",
        },
        cause: Text {
            en: "A transient Entra ID service error after a successful writeback. The on-premises password has already changed, so the AD and cloud passwords can differ until password hash sync carries the new hash to the cloud.",
            ja: "ライトバック成功後に発生した Microsoft Entra ID 側の一時的なエラーです。オンプレミスのパスワードは既に変更されているため、パスワード ハッシュ同期で新しいハッシュがクラウドに届くまで、AD とクラウドのパスワードが異なる場合があります。",
        },
        fix: Text {
            en: "Tell the user the new password already works on-premises. With password hash sync the cloud password follows within minutes (Connect server Application log: Directory Synchronization 656/657); without it, have the user change the password again or reset once more. If it repeats, check service health in the Microsoft 365 admin center and open a support case quoting the CorrelationId.",
            ja: "新しいパスワードはオンプレミスでは既に有効であることをユーザーに伝えます。パスワード ハッシュ同期を使っている場合は数分以内にクラウドのパスワードも更新されます (Connect サーバーのアプリケーション イベント ログ: Directory Synchronization 656/657)。使っていない場合は、もう一度パスワードを変更またはリセットしてもらいます。繰り返し発生する場合は Microsoft 365 管理センターでサービス正常性を確認し、CorrelationId を添えてサポート リクエストを作成してください。",
        },
    },
    // ------------------------------------------------------------------------------------------
    // Other failure reasons (formats.md §2.2 legacy "Failed" list and §2.3 identifiers).
    // ------------------------------------------------------------------------------------------
    CatalogEntry {
        code: "FuzzyPolicyViolationInvalidPassword",
        name: "BannedPassword",
        kind: EntryKind::Failure,
        category: ReasonCategory::BannedPassword,
        texts: &[
            "FuzzyPolicyViolationInvalidPassword",
            "PasswordDoesnotComplyFuzzyPolicy",
            "Password doesn't comply with fuzzy policy",
        ],
        meaning: Text {
            en: "Microsoft Entra Password Protection rejected the new password: it matches, or is too close to, a term on the global banned password list or the tenant's custom banned list ('fuzzy' matching also catches character substitutions and small edits). Logged on failed 'Reset password (self-service)' and 'Change password (self-service)'.",
            ja: "Microsoft Entra パスワード保護により新しいパスワードが拒否されました。グローバル禁止パスワード リストまたはテナントのカスタム禁止パスワード リストの語句と一致するか、近すぎます (「あいまい」照合は文字の置き換えや小さな変更も検出します)。失敗した「Reset password (self-service)」と「Change password (self-service)」で記録されます。",
        },
        cause: Text {
            en: "The user chose a common or predictable password (season and year, company or product name, 'Password1!' variants) or one containing a term from the custom banned list.",
            ja: "ユーザーがよく使われる、または推測しやすいパスワード (季節と年、会社名や製品名、「Password1!」の変形など) や、カスタム禁止パスワード リストの語句を含むパスワードを選びました。",
        },
        fix: Text {
            en: "Usually no configuration change: ask the user to choose a longer passphrase without company names or common words. If many users hit it, review the custom list under Entra admin center > Entra ID > Authentication methods > Password protection for terms that are too broad; the global list cannot be turned off.",
            ja: "通常は構成の変更は不要です。会社名や一般的な単語を含まない、より長いパスフレーズを選ぶようユーザーに案内してください。多くのユーザーが該当する場合は、Microsoft Entra 管理センター > [Entra ID] > [認証方法] > [パスワード保護] のカスタム禁止パスワード リストに広すぎる語句がないか見直します。グローバル禁止パスワード リストは無効にできません。",
        },
    },
    CatalogEntry {
        code: "OnPremisesPolicyViolation",
        name: "OnPremisesPolicyViolation",
        kind: EntryKind::Failure,
        category: ReasonCategory::OnpremPolicy,
        texts: &["OnPremisesPolicyViolation", "On-premises policy violation"],
        meaning: Text {
            en: "The password reached on-premises AD DS through writeback, but the domain rejected it because it does not meet the on-premises password policy (minimum age, history, length, complexity, or a password filter).",
            ja: "パスワードはライトバックでオンプレミスの AD DS に届きましたが、オンプレミスのパスワード ポリシー (最小有効期間、履歴、長さ、複雑さ、パスワード フィルター) を満たしていないためドメインに拒否されました。",
        },
        cause: Text {
            en: "The minimum password age has not passed (the user changed the password recently), the password is in the history, it is shorter than the default domain policy or a fine-grained password policy (PSO) requires, or a DC password filter such as the Entra Password Protection DC agent refused it. On the Connect server this pairs with PasswordResetService 33008 and ADSync 6329 0x80230619.",
            ja: "パスワードの最小有効期間が経過していない (最近変更したばかり)、履歴にあるパスワードを再利用した、既定のドメイン ポリシーや細かい設定が可能なパスワード ポリシー (PSO) の長さを満たしていない、または Microsoft Entra パスワード保護の DC エージェントなどの DC のパスワード フィルターに拒否された、のいずれかです。Connect サーバーでは PasswordResetService 33008 と ADSync 6329 (0x80230619) が対になって記録されます。",
        },
        fix: Text {
            en: "Have the user choose a password that meets the domain rules, and publish those rules (the SSPR page cannot show them). Check the effective policy with Get-ADDefaultDomainPasswordPolicy and Get-ADUserResultantPasswordPolicy <user>. Confirm on the Connect server: Application log, PasswordResetService 31003/31008 followed by 33008 at that time. If minimum password age blocks an urgent case, reset the password on-premises as an admin.",
            ja: "ドメインの要件を満たすパスワードを選ぶようユーザーに案内し、要件を周知してください (SSPR の画面にはオンプレミスの要件は表示されません)。実際に適用されるポリシーは Get-ADDefaultDomainPasswordPolicy と Get-ADUserResultantPasswordPolicy <ユーザー> で確認できます。Connect サーバーのアプリケーション イベント ログで、同じ時刻に PasswordResetService 31003/31008 と 33008 があることを確認します。最小有効期間のために急ぎの対応ができない場合は、管理者がオンプレミスでパスワードをリセットしてください。",
        },
    },
    CatalogEntry {
        code: "",
        name: "CookiesDisabled",
        kind: EntryKind::Failure,
        category: ReasonCategory::Client,
        texts: &["User tried to reset from a device without cookies enabled"],
        meaning: Text {
            en: "The browser blocked cookies, so the password reset page could not keep its session and the attempt failed.",
            ja: "ブラウザーが Cookie をブロックしたため、パスワード リセット ページがセッションを維持できず、試行に失敗しました。",
        },
        cause: Text {
            en: "Browser privacy settings, a kiosk or shared-PC profile, a browser policy (GPO/Intune) that blocks cookies for Microsoft sites, or an embedded web view that does not keep cookies.",
            ja: "ブラウザーのプライバシー設定、キオスクや共有 PC のプロファイル、Microsoft のサイトの Cookie をブロックするブラウザー ポリシー (GPO/Intune)、または Cookie を保持しない埋め込みブラウザーが原因です。",
        },
        fix: Text {
            en: "Have the user retry in a normal browser window with cookies allowed. For managed browsers allow cookies for https://passwordreset.microsoftonline.com and https://login.microsoftonline.com (e.g. Edge/Chrome policy CookiesAllowedForUrls).",
            ja: "Cookie を許可した通常のブラウザー ウィンドウで再試行するよう案内します。管理対象のブラウザーでは https://passwordreset.microsoftonline.com と https://login.microsoftonline.com の Cookie を許可してください (Edge/Chrome のポリシー CookiesAllowedForUrls など)。",
        },
    },
    CatalogEntry {
        code: "",
        name: "LegacyFailed",
        kind: EntryKind::Failure,
        category: ReasonCategory::Other,
        texts: &["Failed"],
        meaning: Text {
            en: "Result type 'Failed' of the legacy password reset activity report, without the detail text.",
            ja: "旧パスワード リセット アクティビティ レポートの結果「Failed」で、詳細の文言がありません。",
        },
        cause: Text {
            en: "The export kept only the result type; the actual reason is in the Details column or another record of the same attempt.",
            ja: "エクスポートに結果の種類しか含まれていません。実際の理由は [詳細] 列または同じ試行の別のレコードにあります。",
        },
        fix: Text {
            en: "Export again with the Details / result reason column included, or look at the other records with the same CorrelationId.",
            ja: "[詳細] (結果の理由) 列を含めて再エクスポートするか、同じ CorrelationId の別のレコードを確認してください。",
        },
    },
    // ------------------------------------------------------------------------------------------
    // The user stopped: legacy "Canceled", "Abandoned" and "Contacted admin" result types
    // (formats.md §2.2) and the current "cancelled" step text.
    // ------------------------------------------------------------------------------------------
    CatalogEntry {
        code: "",
        name: "UserCanceled",
        kind: EntryKind::Failure,
        category: ReasonCategory::Canceled,
        texts: &[
            "User canceled before passing the required authentication methods",
            "User cancelled before passing the required authentication methods",
            "User canceled before submitting a new password",
            "Canceled",
        ],
        meaning: Text {
            en: "The user pressed Cancel on the password reset page, either before passing the required verification methods or after verifying but before submitting a new password. Not a system fault.",
            ja: "ユーザーがパスワード リセット ページで [キャンセル] を押しました。必要な認証方法を通過する前か、認証後に新しいパスワードを送信する前のどちらかです。システムの障害ではありません。",
        },
        cause: Text {
            en: "The user remembered the password, could not use any offered method (old phone, no access to the alternate email), or gave up at the password rules.",
            ja: "ユーザーがパスワードを思い出した、表示された方法をどれも使えなかった (古い電話番号、連絡用メールにアクセスできない)、またはパスワードの要件で諦めた、などです。",
        },
        fix: Text {
            en: "No fix for a single case. Many cancellations before verification point at stale methods: ask users to review them at https://aka.ms/mysecurityinfo and shorten Password reset > Registration > re-confirmation days; many after verification point at unclear password rules.",
            ja: "単発であれば対処は不要です。認証前のキャンセルが多い場合は登録情報が古い可能性があるため、https://aka.ms/mysecurityinfo での見直しを案内し、[パスワード リセット] > [登録] の再確認までの日数を短くします。認証後のキャンセルが多い場合は、パスワードの要件が分かりにくい可能性があります。",
        },
    },
    CatalogEntry {
        code: "",
        name: "UserAbandoned",
        kind: EntryKind::Failure,
        category: ReasonCategory::Canceled,
        texts: &[
            "User abandoned after completing the email verification option",
            "User abandoned after completing the mobile SMS verification option",
            "User abandoned after completing the mobile voice call verification option",
            "User abandoned after completing the office voice call verification option",
            "User abandoned after completing the security questions option",
            "User abandoned after entering their user ID",
            "User abandoned after starting the email verification option",
            "User abandoned after starting the mobile SMS verification option",
            "User abandoned after starting the mobile voice call verification option",
            "User abandoned after starting the office voice call verification option",
            "User abandoned after starting the security questions option",
            "User abandoned before selecting a new password",
            "User abandoned while selecting a new password",
            "Abandoned",
        ],
        meaning: Text {
            en: "Legacy result 'Abandoned': the user left the reset flow (closed the page, or the 15-minute session expired) at the stage the wording names.",
            ja: "旧レポートの結果「Abandoned」: ユーザーが文言に示された段階でリセットの手順から離脱しました (ページを閉じた、または 15 分のセッションが切れた)。",
        },
        cause: Text {
            en: "A code did not arrive or arrived late (SMS, voice call, email), the user could not answer the security questions, the session timed out, or the user gave up at the new-password step.",
            ja: "コードが届かない、または遅れて届いた (SMS、音声通話、メール)、セキュリティの質問に答えられなかった、セッションがタイムアウトした、または新しいパスワードの段階で諦めた、などです。",
        },
        fix: Text {
            en: "Look at where users stop. 'After starting' an option points at delivery: check phone number format (+CountryCode Number, no extension), voice calls blocked by a PBX, email junk filtering. 'Before/while selecting a new password' points at password rules. Review the allowed methods in Password reset > Authentication methods.",
            ja: "どの段階で離脱しているかを確認します。方法の「開始後」であれば配信の問題です。電話番号の形式 (+国番号 番号、内線なし)、PBX による着信拒否、メールの迷惑メール判定を確認してください。「新しいパスワードの選択前・選択中」であればパスワードの要件が原因です。[パスワード リセット] > [認証方法] で許可する方法も見直してください。",
        },
    },
    CatalogEntry {
        code: "",
        name: "ContactedAdmin",
        kind: EntryKind::Failure,
        category: ReasonCategory::Canceled,
        texts: &[
            "User contacted an admin after trying the email verification option",
            "User contacted an admin after trying the mobile SMS verification option",
            "User contacted an admin after trying the mobile voice call verification option",
            "User contacted an admin after trying the office voice call verification option",
            "User contacted an admin after trying the security question verification option",
            "Contacted admin",
        ],
        meaning: Text {
            en: "Legacy result 'Contacted admin': the user gave up on the named verification option and used the 'contact your administrator' link, which emails the administrators asking them to reset the password.",
            ja: "旧レポートの結果「Contacted admin」: ユーザーが文言に示された認証方法を諦め、[管理者に連絡] のリンクを使いました。管理者宛てにパスワードのリセットを依頼するメールが送信されます。",
        },
        cause: Text {
            en: "The user could not complete verification with that method (no access to the phone or mailbox, forgotten security answers).",
            ja: "その方法で認証を完了できませんでした (電話やメールボックスが使えない、セキュリティの質問の答えを忘れた)。",
        },
        fix: Text {
            en: "Verify the user's identity out of band, reset the password as an admin (Entra admin center > Entra ID > Users > user > Reset password; synchronised users need writeback or an on-premises reset), then have the user update their methods at https://aka.ms/mysecurityinfo. Route the link to your helpdesk under Password reset > Customization > 'Customize helpdesk link'.",
            ja: "別の手段で本人確認を行い、管理者としてパスワードをリセットします (Microsoft Entra 管理センター > [Entra ID] > [ユーザー] > 対象ユーザー > [パスワードのリセット]。同期ユーザーはライトバックが有効であるか、オンプレミスでのリセットが必要です)。その後 https://aka.ms/mysecurityinfo で認証方法を更新してもらいます。[パスワード リセット] > [カスタマイズ] の [ヘルプデスクのリンクをカスタマイズ] で、リンク先を自社のヘルプデスクにできます。",
        },
    },
    // ------------------------------------------------------------------------------------------
    // Throttling (formats.md §2.1, §2.5): the block activity and the legacy "Blocked" texts.
    // ------------------------------------------------------------------------------------------
    CatalogEntry {
        code: "",
        name: "BlockedFromSspr",
        kind: EntryKind::Failure,
        category: ReasonCategory::Throttled,
        texts: &["Blocked from self-service password reset"],
        meaning: Text {
            en: "Audit activity logged when SSPR throttles a user: too many attempts (resets, a specific verification gate, or phone number validation) — more than five in 24 hours per the reporting docs, five in one hour per the troubleshooting page. The record's status is Success; the user cannot use SSPR for the next 24 hours.",
            ja: "SSPR がユーザーをスロットリング (調整) したときに記録される監査アクティビティです。リセット、特定の認証ステップ、電話番号の検証の試行が多すぎた場合に記録されます (レポートのドキュメントでは 24 時間に 5 回超、トラブルシューティングのページでは 1 時間に 5 回)。状態は成功として記録され、ユーザーはその後 24 時間 SSPR を使えません。",
        },
        cause: Text {
            en: "Repeated wrong codes or answers, repeated retries while codes arrive late, or someone else trying to reset the account: compare the IP addresses of the attempts with the user's usual ones.",
            ja: "コードや回答の誤りの繰り返し、コードの到着が遅いことによる再試行の繰り返し、または第三者によるリセットの試行です。試行元の IP アドレスをユーザーの通常の IP アドレスと比べてください。",
        },
        fix: Text {
            en: "The block ends 24 hours after the last attempt; Microsoft documents no way for an admin to lift it early. If the user needs access now, verify their identity and reset the password as an admin. If the attempts did not come from the user, treat it as an attack (review sign-in risk, require two methods). Fix delivery problems that cause retries. throttling.csv lists the users and block times.",
            ja: "ブロックは最後の試行から 24 時間後に解除されます。管理者が早めに解除する方法は文書化されていません。すぐにアクセスが必要な場合は、本人確認のうえ管理者がパスワードをリセットしてください。試行がユーザー本人によるものでない場合は攻撃として扱い (サインイン リスクの確認、必要な方法を 2 つにするなど)、再試行の原因となる配信の問題も解消してください。対象ユーザーとブロック時刻は throttling.csv に一覧されます。",
        },
    },
    CatalogEntry {
        code: "",
        name: "BlockedFor24Hours",
        kind: EntryKind::Failure,
        category: ReasonCategory::Throttled,
        texts: &[
            "User entered too many invalid SMS verification codes and is blocked for 24 hours",
            "User tried mobile phone voice verification too many times and is blocked for 24 hours",
            "User tried office phone voice verification too many times and is blocked for 24 hours",
            "User tried to answer security questions too many times and is blocked for 24 hours",
            "User tried to verify a phone number too many times and is blocked for 24 hours",
            "Blocked",
        ],
        meaning: Text {
            en: "Legacy result 'Blocked': the user hit the SSPR throttle on the gate the wording names (SMS codes, mobile or office voice calls, security questions, phone number verification) and is blocked from SSPR for 24 hours.",
            ja: "旧レポートの結果「Blocked」: 文言に示された認証ステップ (SMS コード、携帯電話・会社電話への音声通話、セキュリティの質問、電話番号の検証) でスロットリングの上限に達し、24 時間 SSPR の利用をブロックされました。",
        },
        cause: Text {
            en: "Wrong codes or answers entered repeatedly, retries because codes or calls arrived late, a wrong or shared phone number, or someone else trying to take over the account.",
            ja: "コードや回答の誤入力の繰り返し、コードや通話の遅延による再試行、誤った電話番号や共用の電話番号、または第三者によるアカウント乗っ取りの試行です。",
        },
        fix: Text {
            en: "Wait 24 hours from the last attempt (no documented admin override) or verify the user and reset the password as an admin. Check the phone number and the user's ability to receive calls/SMS; for security questions consider moving the user to the Authenticator app. If the attempts were not the user's, investigate the source IP addresses.",
            ja: "最後の試行から 24 時間待つ (管理者による解除方法は文書化されていません) か、本人確認のうえ管理者がパスワードをリセットします。電話番号と SMS・通話を受けられる状態かを確認し、セキュリティの質問の場合は Authenticator アプリへの移行を検討してください。本人の試行でない場合は、試行元の IP アドレスを調査してください。",
        },
    },
];

// ----------------------------------------------------------------------------------------------
// Matching
// ----------------------------------------------------------------------------------------------

/// Padding that exports add around a reason (whitespace, a stray BOM).
fn is_pad(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// The comparable core of a reason: padding trimmed, one trailing '.' dropped.
fn core(s: &str) -> &str {
    let t = s.trim_matches(is_pad);
    let t = t.strip_suffix('.').unwrap_or(t);
    t.trim_end_matches(is_pad)
}

/// Case and punctuation folding for one character: ASCII lower-case, and typographic
/// apostrophes to `'` (portal copies and Office re-saves turn `User's` into `User’s`).
fn fold_char(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{02bc}' => '\'',
        _ => c.to_ascii_lowercase(),
    }
}

/// The folded characters of `core(s)`, with every run of whitespace collapsed to one space.
/// An iterator so comparing against the static wordings needs no allocation.
struct Folded<'a> {
    chars: std::str::Chars<'a>,
    pending: Option<char>,
}

impl Iterator for Folded<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        let c = match self.pending.take() {
            Some(c) => c,
            None => self.chars.next()?,
        };
        if is_pad(c) {
            // `core` trimmed both ends, so a run of padding is always followed by a character.
            for d in self.chars.by_ref() {
                if !is_pad(d) {
                    self.pending = Some(d);
                    break;
                }
            }
            return Some(' ');
        }
        Some(fold_char(c))
    }
}

fn folded(s: &str) -> Folded<'_> {
    Folded {
        chars: core(s).chars(),
        pending: None,
    }
}

/// The normalised form of a reason or query (allocates once per lookup).
fn fold(s: &str) -> String {
    folded(s).collect()
}

/// Whether the already-folded `q` equals `raw` once `raw` is folded.
fn same(q: &str, raw: &str) -> bool {
    q.chars().eq(folded(raw))
}

/// An entry by its stable name.
fn by_name(name: &str) -> Option<&'static CatalogEntry> {
    ENTRIES.iter().find(|e| e.name == name)
}

/// The catalog's wordings and its codes and names, folded once, each to the first entry that
/// has it: classifying the reason of every record of a month re-folded them all per lookup.
struct Index {
    texts: std::collections::HashMap<String, &'static CatalogEntry>,
    codes_and_names: std::collections::HashMap<String, &'static CatalogEntry>,
    /// The first sentence of each multi-sentence wording, in catalog order.
    first_sentences: Vec<(String, &'static CatalogEntry)>,
}

static INDEX: std::sync::LazyLock<Index> = std::sync::LazyLock::new(|| {
    let mut index = Index {
        texts: std::collections::HashMap::new(),
        codes_and_names: std::collections::HashMap::new(),
        first_sentences: Vec::new(),
    };
    for e in ENTRIES {
        for t in e.texts {
            index.texts.entry(fold(t)).or_insert(e);
            if let Some(first) = first_sentence(t) {
                index.first_sentences.push((fold(first), e));
            }
        }
        if !e.code.is_empty() {
            index.codes_and_names.entry(fold(e.code)).or_insert(e);
        }
        index.codes_and_names.entry(fold(e.name)).or_insert(e);
    }
    index
});

/// Exact lookup of a folded text: wordings first (they are what logs carry), then code/name.
fn find_exact(q: &str) -> Option<&'static CatalogEntry> {
    if q.is_empty() {
        return None;
    }
    let index = &*INDEX;
    index
        .texts
        .get(q)
        .or_else(|| index.codes_and_names.get(q))
        .copied()
}

/// Classification of an already-folded reason: exact, then the documented families.
fn classify_folded(q: &str) -> Option<&'static CatalogEntry> {
    if q.is_empty() {
        return None;
    }
    if let Some(e) = find_exact(q) {
        return Some(e);
    }
    // Current logs spell "cancelled", the legacy table "canceled": accept either everywhere.
    let respelt;
    let q = if q.contains("cancelled") {
        respelt = q.replace("cancelled", "canceled");
        if let Some(e) = find_exact(&respelt) {
            return Some(e);
        }
        respelt.as_str()
    } else {
        q
    };
    // Families whose members differ only by the method named; new methods appear over time.
    if q.contains("blocked for 24 hours") {
        return by_name(THROTTLE_ENTRY);
    }
    if q.starts_with("user abandoned ") {
        return by_name(ABANDONED_ENTRY);
    }
    if q.starts_with("user contacted an admin ") {
        return by_name(CONTACTED_ADMIN_ENTRY);
    }
    if q.starts_with("user canceled before ") {
        return by_name(CANCELED_ENTRY);
    }
    // Legacy wordings are "<condition>. <how to fix it>": the remedy sentence has changed
    // between portal generations, the first sentence is the stable part.
    first_sentence_match(q)
}

/// The entry whose multi-sentence wording starts with the same first sentence as `q`.
fn first_sentence_match(q: &str) -> Option<&'static CatalogEntry> {
    INDEX.first_sentences.iter().find_map(|(first, e)| {
        q.strip_prefix(first.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
            .then_some(*e)
    })
}

/// The first sentence of a wording that has more than one, else `None`.
fn first_sentence(text: &str) -> Option<&str> {
    let c = core(text);
    c.find(". ").map(|i| &c[..i])
}

/// Classify a logged reason text. Normalisation: trim whitespace, case-insensitive, ignore one
/// trailing '.' (also: runs of spaces count as one, typographic apostrophes as `'`).
/// Exact match on any `texts` wording or on `code`/`name`; then rules: any text containing
/// "blocked for 24 hours" => the throttling entry; "User abandoned after …", "User contacted an
/// admin after …" and "User cancel(l)ed before …" families => their entries; a legacy wording
/// whose remedy sentence differs => its entry. Returns None for unknown text.
pub fn classify_reason(reason: &str) -> Option<&'static CatalogEntry> {
    classify_folded(&fold(reason))
}

/// Whether `text` is, word for word (folded), a wording, code or name the catalog holds: text
/// Microsoft writes, which a pseudonymized report may show as it is.
pub fn is_catalog_text(text: &str) -> bool {
    find_exact(&fold(text)).is_some()
        || event_by_name(text).is_some()
        || HR_CODES.iter().any(|h| h.name == text.trim())
}

/// Category for a failure reason; unknown => ReasonCategory::Other.
pub fn category_of(reason: &str) -> ReasonCategory {
    classify_reason(reason).map_or(ReasonCategory::Other, |e| e.category)
}

/// The SSPR code a query names: "SSPR_0012", "sspr-12", "SSPR0012:" (as copied from the error
/// page), "0012" or "12" all give "SSPR_0012". `q` is folded (lower case).
fn sspr_code_of(q: &str) -> Option<String> {
    let (rest, prefixed) = match q.strip_prefix("sspr") {
        Some(r) => (r.trim_start_matches(['_', '-', ' ']), true),
        None => (q, false),
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 4 {
        return None;
    }
    let tail = &rest[digits..];
    if !(tail.is_empty() || (prefixed && (tail.starts_with(':') || tail.starts_with(' ')))) {
        return None;
    }
    let n: u32 = rest[..digits].parse().ok()?;
    Some(format!("SSPR_{n:04}"))
}

/// Catalog indices of the entries a folded query names exactly: code (also every SSPR number
/// form), name, or a classified wording.
fn reason_exact_hits(q: &str) -> Vec<usize> {
    let mut hits: Vec<usize> = Vec::new();
    let code = sspr_code_of(q);
    for (i, e) in ENTRIES.iter().enumerate() {
        let by_code =
            !e.code.is_empty() && (same(q, e.code) || code.as_deref().is_some_and(|c| c == e.code));
        if by_code || same(q, e.name) {
            hits.push(i);
        }
    }
    if let Some(e) = classify_folded(q)
        && let Some(i) = ENTRIES.iter().position(|x| std::ptr::eq(x, e))
    {
        hits.push(i);
    }
    hits
}

/// Catalog indices of the entries whose wording, code or name contains the folded query
/// (British and American spellings alike: `licence` finds `license`).
fn reason_substring_hits(q: &str) -> Vec<usize> {
    let q = &search::spelled(q);
    let contains = |raw: &str| search::spelled(&fold(raw)).contains(q.as_str());
    ENTRIES
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            e.texts.iter().any(|t| contains(t)) || contains(e.code) || contains(e.name)
        })
        .map(|(i, _)| i)
        .collect()
}

/// For `explain CODE|TEXT`: accepts "SSPR_0012", "sspr_0012", "0012", "12" (the enum number),
/// enum/name "UserNotLicensed", an exact reason text (normalised as in [`classify_reason`]),
/// else entries whose wording, code or name contains the query (case-insensitive, query >= 4
/// chars). Returns matches in catalog order, no duplicates; empty when nothing matches.
/// Cloud-side entries only: [`explain_any`] also finds on-premises events and `hr=` codes.
pub fn explain(query: &str) -> Vec<&'static CatalogEntry> {
    let q = fold(query);
    if q.is_empty() {
        return Vec::new();
    }
    let mut hits = reason_exact_hits(&q);
    if hits.is_empty() && q.chars().count() >= 4 {
        hits = reason_substring_hits(&q);
    }
    hits.sort_unstable();
    hits.dedup();
    hits.into_iter().filter_map(|i| ENTRIES.get(i)).collect()
}

// ----------------------------------------------------------------------------------------------
// Rendering
// ----------------------------------------------------------------------------------------------

/// Render one entry for the terminal: heading line (code — name), then "Meaning:", "Likely
/// cause:", "Fix:" (Japanese labels 意味/考えられる原因/対処 for Lang::Ja), the known wordings,
/// and the category.
pub fn render_entry(entry: &CatalogEntry, lang: Lang) -> String {
    let labels = match lang {
        Lang::En => [
            "Meaning",
            "Likely cause",
            "Fix",
            "Logged wordings",
            "Category",
            "Kind",
        ],
        Lang::Ja => [
            "意味",
            "考えられる原因",
            "対処",
            "ログに記録される文言",
            "カテゴリ",
            "種類",
        ],
    };
    let [meaning, cause, fix, wordings, category, kind] = labels;
    let sep = ": ";
    let mut out = String::new();
    if entry.code.is_empty() || entry.code == entry.name {
        out.push_str(entry.name);
    } else {
        out.push_str(entry.code);
        out.push_str(" — ");
        out.push_str(entry.name);
    }
    out.push('\n');
    for (label, text) in [
        (meaning, entry.meaning),
        (cause, entry.cause),
        (fix, entry.fix),
    ] {
        out.push_str(label);
        out.push_str(sep);
        out.push_str(text.get(lang));
        out.push('\n');
    }
    out.push_str(wordings);
    out.push(':');
    if entry.texts.is_empty() {
        out.push(' ');
        out.push_str(match lang {
            Lang::En => "(none known in audit logs; the code is shown to the user)",
            Lang::Ja => "(監査ログでの文言は不明。ユーザーの画面に表示されるコードです)",
        });
        out.push('\n');
    } else {
        out.push('\n');
        for t in entry.texts {
            out.push_str("  - ");
            out.push_str(t);
            out.push('\n');
        }
    }
    out.push_str(category);
    out.push_str(sep);
    out.push_str(entry.category.as_str());
    out.push_str(" / ");
    out.push_str(entry.category.label(lang));
    out.push('\n');
    out.push_str(kind);
    out.push_str(sep);
    out.push_str(entry.kind.label(lang));
    out.push('\n');
    out
}

// ----------------------------------------------------------------------------------------------
// On-premises events (Application log of the Entra Connect server) and sync-engine hr= codes
// ----------------------------------------------------------------------------------------------

/// Where an on-premises event comes from (Application log of the Entra Connect server).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventSource {
    /// The password writeback service itself (31xxx/32xxx/33xxx).
    PasswordResetService,
    /// The sync engine, which performs the actual password set in AD DS (6329, 6800, 403/405 …).
    AdSync,
    /// Password hash synchronization, AD DS → Entra ID (611, 622/623, 650–657, 6900).
    DirectorySynchronization,
}

impl EventSource {
    /// The provider name as Windows logs it: "PasswordResetService", "ADSync",
    /// "Directory Synchronization".
    pub fn as_str(self) -> &'static str {
        match self {
            EventSource::PasswordResetService => "PasswordResetService",
            EventSource::AdSync => "ADSync",
            EventSource::DirectorySynchronization => "Directory Synchronization",
        }
    }

    /// The source a logged provider name denotes: trimmed, case-insensitive, and blind to inner
    /// white space (so "AD Sync" and "DirectorySynchronization" are accepted too). `None` for
    /// any other provider.
    pub fn parse(provider: &str) -> Option<EventSource> {
        fn key(s: &str) -> impl Iterator<Item = char> + '_ {
            s.chars()
                .filter(|c| !is_pad(*c))
                .map(|c| c.to_ascii_lowercase())
        }
        const ALL: [EventSource; 3] = [
            EventSource::PasswordResetService,
            EventSource::AdSync,
            EventSource::DirectorySynchronization,
        ];
        // Logs spell the name exactly nearly always: compared whole, not a char at a time.
        if let Some(exact) = ALL.into_iter().find(|s| s.as_str() == provider) {
            return Some(exact);
        }
        // Most events of an Application log are other providers': one whose first letter
        // differs from all three is none of them.
        let first = key(provider).next()?;
        if !matches!(first, 'p' | 'a' | 'd') {
            return None;
        }
        ALL.into_iter().find(|s| key(provider).eq(key(s.as_str())))
    }
}

/// The kind of a writeback operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OpKind {
    /// Self-service password reset (the user forgot the password): 31001/31002/31003.
    Reset,
    /// Password change by a user who knows the current password: 31006/31007/31008.
    Change,
    /// Reset by an administrator on behalf of the user: 31009/31010/31011.
    AdminReset,
}

impl OpKind {
    /// Stable lower-case name for report columns: "reset", "change", "admin_reset".
    pub fn as_str(self) -> &'static str {
        match self {
            OpKind::Reset => "reset",
            OpKind::Change => "change",
            OpKind::AdminReset => "admin_reset",
        }
    }

    /// A human label.
    pub fn label(self, lang: Lang) -> &'static str {
        let t = match self {
            OpKind::Reset => Text {
                en: "self-service password reset",
                ja: "セルフサービス パスワード リセット",
            },
            OpKind::Change => Text {
                en: "password change",
                ja: "パスワードの変更",
            },
            OpKind::AdminReset => Text {
                en: "password reset by an administrator",
                ja: "管理者によるパスワード リセット",
            },
        };
        t.get(lang)
    }
}

/// What an event means for writeback health and correlation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventRole {
    /// First event of a writeback operation (31001, 31006, 31009).
    Start(OpKind),
    /// The password was written to AD DS (31002, 31007, 31010).
    Success(OpKind),
    /// Setting the password in AD DS failed (31003, 31008, 31011).
    Failure(OpKind),
    /// The detailed error attached to a failed operation (33001–33008 and 32000; 33009 is
    /// [`EventRole::Config`], but callers treat every 33xxx as a detail too).
    ErrorDetail,
    /// The writeback service started (31015): ends an outage.
    ServiceStarted,
    /// The writeback service stopped (31016): starts an outage.
    ServiceStopped,
    /// The server could not reach, or lost, the cloud side (31034, 31044, 32001, 32002, 32011,
    /// 32013, and 32015, the failed health report).
    Connectivity,
    /// A retried Service Bus connection (32014).
    ServiceBusWarning,
    /// A configuration error (6329, 6800, 32005, 32007, 32009, 33009).
    Config,
    /// Proof of life of the writeback channel (31019).
    Heartbeat,
    /// Everything else: onboarding/offboarding, key and token events, the sync engine's
    /// logon/bind trail (403/405), run profiles, password hash sync (611–657, 6900), and the few
    /// errors without a health bucket of their own (31014, 32003, 32004, 32008, 32010) — their
    /// `category` still says what went wrong.
    Informational,
}

impl EventRole {
    /// Stable lower-case name for report columns (the operation kind is separate:
    /// [`OpKind::as_str`]).
    pub fn as_str(self) -> &'static str {
        match self {
            EventRole::Start(_) => "start",
            EventRole::Success(_) => "success",
            EventRole::Failure(_) => "failure",
            EventRole::ErrorDetail => "error_detail",
            EventRole::ServiceStarted => "service_started",
            EventRole::ServiceStopped => "service_stopped",
            EventRole::Connectivity => "connectivity",
            EventRole::ServiceBusWarning => "servicebus_warning",
            EventRole::Config => "config",
            EventRole::Heartbeat => "heartbeat",
            EventRole::Informational => "informational",
        }
    }

    /// The operation kind of a start, success or failure.
    pub fn op_kind(self) -> Option<OpKind> {
        match self {
            EventRole::Start(k) | EventRole::Success(k) | EventRole::Failure(k) => Some(k),
            _ => None,
        }
    }

    /// A human label, e.g. "failure of a password change".
    pub fn label(self, lang: Lang) -> String {
        let what = match (self, lang) {
            (EventRole::Start(_), Lang::En) => "start of a",
            (EventRole::Success(_), Lang::En) => "success of a",
            (EventRole::Failure(_), Lang::En) => "failure of a",
            (EventRole::Start(_), Lang::Ja) => "の開始",
            (EventRole::Success(_), Lang::Ja) => "の成功",
            (EventRole::Failure(_), Lang::Ja) => "の失敗",
            (EventRole::ErrorDetail, Lang::En) => "error detail of a failed operation",
            (EventRole::ErrorDetail, Lang::Ja) => "失敗した操作のエラー詳細",
            (EventRole::ServiceStarted, Lang::En) => "writeback service started",
            (EventRole::ServiceStarted, Lang::Ja) => "ライトバック サービスの開始",
            (EventRole::ServiceStopped, Lang::En) => "writeback service stopped (outage)",
            (EventRole::ServiceStopped, Lang::Ja) => "ライトバック サービスの停止 (停止期間)",
            (EventRole::Connectivity, Lang::En) => "connectivity error",
            (EventRole::Connectivity, Lang::Ja) => "接続エラー",
            (EventRole::ServiceBusWarning, Lang::En) => "Service Bus warning (retried)",
            (EventRole::ServiceBusWarning, Lang::Ja) => "Service Bus の警告 (再試行)",
            (EventRole::Config, Lang::En) => "configuration error",
            (EventRole::Config, Lang::Ja) => "構成エラー",
            (EventRole::Heartbeat, Lang::En) => "heartbeat",
            (EventRole::Heartbeat, Lang::Ja) => "ハートビート",
            (EventRole::Informational, Lang::En) => "informational",
            (EventRole::Informational, Lang::Ja) => "情報",
        };
        match (self.op_kind(), lang) {
            (Some(k), Lang::En) => format!("{what} {}", k.label(lang)),
            (Some(k), Lang::Ja) => format!("{}{what}", k.label(lang)),
            (None, _) => what.to_string(),
        }
    }
}

/// One on-premises event ID with its meaning, likely cause and fix.
#[derive(Debug)]
pub struct EventEntry {
    /// The provider that logs it.
    pub source: EventSource,
    /// The numeric event ID.
    pub id: u32,
    /// The name in Microsoft's writeback troubleshooting table, e.g. "PasswordResetSuccess",
    /// "ADPermissionsError" (Microsoft's spelling kept: "ADMutliMatchError", "ADUnKnownError",
    /// "InPutValidationError"); for events outside that table a short descriptive name.
    pub name: &'static str,
    /// What the event means for writeback health and correlation.
    pub role: EventRole,
    /// Failure category (a report column): meaningful for failures and error details, `Other`
    /// for starts, successes and plain information.
    pub category: ReasonCategory,
    /// What the event says happened.
    pub meaning: Text,
    /// Why it usually happens.
    pub cause: Text,
    /// What an administrator should do.
    pub fix: Text,
}

/// A `hr=` / 0x8023xxxx code seen in ADSync and PasswordResetService messages.
#[derive(Debug)]
pub struct HrEntry {
    /// Canonical form: "0x" and eight upper-case hex digits, e.g. "0x80230619" (the form the
    /// message parser produces).
    pub code: &'static str,
    /// A short stable name (this tool's; Microsoft publishes only the message text).
    pub name: &'static str,
    /// Failure category (a report column).
    pub category: ReasonCategory,
    /// What the code says failed.
    pub meaning: Text,
    /// Why it usually happens.
    pub cause: Text,
    /// What an administrator should do.
    pub fix: Text,
}

/// Logged operation words that differ from the documented event name: the service writes
/// `PasswordResetRequestStart` where Microsoft's table says `PasswordResetStart` (31001).
const EVENT_NAME_ALIASES: &[(&str, EventSource, u32)] = &[(
    "PasswordResetRequestStart",
    EventSource::PasswordResetService,
    31001,
)];

/// Misprints of hr codes in Microsoft's documents: the writeback troubleshooting table lists
/// hr=80230402 under the code "HR 8023042".
const HR_ALIASES: &[(&str, &str)] = &[("8023042", "0x80230402")];

// Texts shared by the three failure events (31003, 31008, 31011) and the three start events.

const FAIL_CAUSE: Text = Text {
    en: "AD DS refused the password set. Usual reasons: the new password breaks the on-premises password policy (minimum password age, history, complexity or length, a fine-grained password policy, or a password filter such as the Entra Password Protection DC agent; then 33008 or ADSync 6329 with 0x80230619 follows); the AD DS connector account (MSOL_…) lacks 'Reset password'/'Change password' on the user (33004); the user is in a protected group (adminCount=1: SDProp re-applies the AdminSDHolder permissions every hour and removes the connector account's right); or the account is disabled or locked out on-premises (33005/33006).",
    ja: "AD DS がパスワードの設定を拒否しました。主な原因は、新しいパスワードがオンプレミスのパスワード ポリシー (パスワードの最小有効期間、履歴、複雑さ、長さ、細かい設定のパスワード ポリシー、Entra パスワード保護の DC エージェントなどのパスワード フィルター) を満たしていない (続けて 33008 や 0x80230619 を含む ADSync 6329 が記録されます)、AD DS コネクタ アカウント (MSOL_xxxxxxxx) に対象ユーザーへの「パスワードのリセット」「パスワードの変更」アクセス許可がない (33004)、ユーザーが保護されたグループのメンバーである (adminCount=1。SDProp が 1 時間ごとに AdminSDHolder のアクセス許可で上書きするため、コネクタ アカウントの権限が失われます)、オンプレミスでアカウントが無効またはロックアウトされている (33005/33006) のいずれかです。",
};

const FAIL_FIX: Text = Text {
    en: "Read the event logged right after it — a 33xxx event with the same TrackingId, or ADSync 6329 with an hr= code — and apply that event's fix (`sspr-report explain <id>`). Without a detail event, check the connector account's effective access on the user (Active Directory Users and Computers > user > Properties > Security > Advanced > Effective Access: 'Reset password', 'Change password', write pwdLastSet and lockoutTime) and the policy that applies to the user (Get-ADUserResultantPasswordPolicy, else Get-ADDefaultDomainPasswordPolicy).",
    ja: "直後に記録されるイベント (同じ TrackingId の 33xxx イベント、または hr= コードを含む ADSync 6329) を確認し、そのイベントの対処を行ってください (`sspr-report explain <ID>` で表示できます)。詳細イベントがない場合は、対象ユーザーに対する AD DS コネクタ アカウントの有効なアクセス許可 ([Active Directory ユーザーとコンピューター] > ユーザーのプロパティ > [セキュリティ] > [詳細設定] > [有効なアクセス] で「パスワードのリセット」「パスワードの変更」、pwdLastSet と lockoutTime への書き込み) と、ユーザーに適用されるパスワード ポリシー (Get-ADUserResultantPasswordPolicy、なければ Get-ADDefaultDomainPasswordPolicy) を確認してください。",
};

const START_CAUSE: Text = Text {
    en: "Normal progress, not an error: the outcome event (success or failure) for the same user normally follows within seconds, with the sync engine's 405/403 logon events in between. A start with no outcome means the service stopped or lost its Service Bus connection during the operation (look for 31016, 31034, 32002 around it), or the export ends there.",
    ja: "通常の動作であり、エラーではありません。通常は数秒以内に同じユーザーの結果のイベント (成功または失敗) が続き、その間に同期エンジンの 405/403 (ログオン) が記録されます。結果のイベントがない場合は、処理中にサービスが停止したか Service Bus との接続が切れた (前後の 31016、31034、32002 を確認) か、エクスポートの範囲がそこで終わっています。",
};

const START_FIX: Text = Text {
    en: "Nothing to do for the event itself. For a start without an outcome, read the events around it on the same server and the cloud audit record of the same minute (the cloud side then usually records a failure to reach the on-premises service).",
    ja: "このイベント自体への対処は不要です。結果のない開始イベントは、同じサーバーの前後のイベントと、同じ時刻のクラウドの監査ログ (通常はオンプレミス サービスに到達できなかった失敗として記録されます) を確認してください。",
};

const SUCCESS_CAUSE: Text = Text {
    en: "Normal outcome. When password hash sync is also enabled, Directory Synchronization 657 (Password Change Result) for the same user follows a minute or two later: that is password hash sync sending the new hash back to Entra ID, not a second change.",
    ja: "正常な結果です。パスワード ハッシュ同期も有効な場合、1～2 分後に同じユーザーの Directory Synchronization 657 (Password Change Result) が記録されます。これはパスワード ハッシュ同期が新しいハッシュを Entra ID に同期したもので、2 回目の変更ではありません。",
};

const SUCCESS_FIX: Text = Text {
    en: "Nothing to do. If the cloud audit log shows a failure for the same attempt, the cloud part failed after the on-premises write (OnPremisesSuccessCloudFailure): the AD DS password has already changed, so the user should sign in on-premises with the new password and retry in the cloud if needed.",
    ja: "対処は不要です。同じ試行についてクラウドの監査ログに失敗が記録されている場合は、オンプレミスへの書き込み後にクラウド側の処理が失敗しています (OnPremisesSuccessCloudFailure)。AD DS のパスワードは既に変更されているため、ユーザーには新しいパスワードでオンプレミスにサインインしてもらい、必要に応じてクラウド側で再試行してもらってください。",
};

const NETWORK_FIX: Text = Text {
    en: "On the Entra Connect server, test outbound HTTPS (TCP 443) to *.servicebus.windows.net and *.passwordreset.microsoftonline.com, e.g. Test-NetConnection ssprdedicatedsbprodncu.servicebus.windows.net -Port 443 (US Government: *.servicebus.usgovcloudapi.net, *.passwordreset.microsoftonline.us). Allow them in the firewall and proxy, exempt them from TLS inspection, and if a proxy is required configure it for the ADSync service (machine.config of .NET). Then restart the 'Microsoft Azure AD Sync' service (Restart-Service ADSync) and check that 31015/31019 follow. If the error persists, disable and re-enable Password writeback in the Entra Connect wizard, and upgrade Entra Connect.",
    ja: "Entra Connect サーバーから *.servicebus.windows.net と *.passwordreset.microsoftonline.com への送信 HTTPS (TCP 443) を確認します (例: Test-NetConnection ssprdedicatedsbprodncu.servicebus.windows.net -Port 443。米国政府機関向けは *.servicebus.usgovcloudapi.net、*.passwordreset.microsoftonline.us)。ファイアウォールとプロキシで許可し、TLS インスペクションの対象から除外し、プロキシが必要な場合は ADSync サービスが使う .NET の machine.config にプロキシを設定してください。その後「Microsoft Azure AD Sync」サービスを再起動 (Restart-Service ADSync) し、31015/31019 が記録されることを確認します。解消しない場合は Entra Connect の構成ウィザードでパスワード ライトバックを無効にしてから再度有効にし、Entra Connect を最新版にアップグレードしてください。",
};

const REENABLE_FIX: Text = Text {
    en: "Disable and re-enable password writeback: on the Entra Connect server run the configuration wizard > Customize synchronization options > Optional features, clear Password writeback, finish; run it again and tick it. This re-onboards the tenant and rewrites the service's configuration and keys (expect 31004, 31017, 31018, 31005, 31015). If it recurs, upgrade Entra Connect and open a support case with the zipped Application log.",
    ja: "パスワード ライトバックを無効にしてから再度有効にしてください。Entra Connect サーバーで構成ウィザードを開き、[同期オプションのカスタマイズ] > [オプション機能] で [パスワードの書き戻し] をオフにして完了し、もう一度ウィザードを実行してオンにします。これによりテナントのオンボードがやり直され、サービスの構成ファイルとキーが書き直されます (31004、31017、31018、31005、31015 が記録されます)。再発する場合は Entra Connect を最新版にアップグレードし、アプリケーション イベント ログを圧縮してサポートにお問い合わせください。",
};

const NOTHING: Text = Text {
    en: "Nothing to do.",
    ja: "対処は不要です。",
};

const PHS_INFO_CAUSE: Text = Text {
    en: "Normal password hash synchronization activity (AD DS → Entra ID), not password writeback. It shows the sync engine was running.",
    ja: "パスワード ハッシュ同期 (AD DS → Entra ID) の通常の動作であり、パスワード ライトバックではありません。同期エンジンが動作していたことを示します。",
};

/// Every on-premises event the catalog knows, in display order: PasswordResetService by ID,
/// then ADSync, then Directory Synchronization. Sources: Microsoft's writeback troubleshooting
/// table (every documented PasswordResetService ID; no 32006 or 32012 exists), the sync-engine
/// events quoted there and by Microsoft Japan's support blog, and the password hash sync events
/// of the password sync troubleshooting article.
pub static EVENTS: &[EventEntry] = &[
    // ------------------------------------------------------------------------------------------
    // PasswordResetService: operations
    // ------------------------------------------------------------------------------------------
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 31001,
        name: "PasswordResetStart",
        role: EventRole::Start(OpKind::Reset),
        category: ReasonCategory::Other,
        meaning: Text {
            en: "Start of a self-service password reset writeback: the writeback service on the Entra Connect server picked up a reset request for a synced user from the tenant's Service Bus. First event of every reset; the message names the user (`Details: <UPN>`). Logged as PasswordResetRequestStart; Microsoft's table calls it PasswordResetStart.",
            ja: "セルフサービス パスワード リセットのライトバックの開始です。Entra Connect サーバーのライトバック サービスが、テナントの Service Bus から同期ユーザーのリセット要求を受け取りました。すべてのリセット操作の最初のイベントで、メッセージにユーザー (`Details: <UPN>`) が含まれます。ログ上の表記は PasswordResetRequestStart で、Microsoft のドキュメントの表では PasswordResetStart と記載されています。",
        },
        cause: START_CAUSE,
        fix: START_FIX,
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 31002,
        name: "PasswordResetSuccess",
        role: EventRole::Success(OpKind::Reset),
        category: ReasonCategory::Other,
        meaning: Text {
            en: "The self-service reset was written to AD DS: the new password met the on-premises password policy and was set by the AD DS connector account. The message carries TrackingId, cloudAnchor, SourceAnchorValue, UserPrincipalName and unblockUser (whether the account lockout is cleared too).",
            ja: "セルフサービス パスワード リセットが AD DS に書き戻されました。新しいパスワードがオンプレミスのパスワード ポリシーを満たし、AD DS コネクタ アカウントによって設定されています。メッセージには TrackingId、cloudAnchor、SourceAnchorValue、UserPrincipalName、unblockUser (アカウントのロックアウトも解除するかどうか) が含まれます。",
        },
        cause: SUCCESS_CAUSE,
        fix: SUCCESS_FIX,
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 31003,
        name: "PasswordResetFail",
        role: EventRole::Failure(OpKind::Reset),
        category: ReasonCategory::OnpremConfig,
        meaning: Text {
            en: "A self-service reset reached the Entra Connect server, but setting the password in AD DS failed; the on-premises password is unchanged and the user sees an error (a password policy message, or SSPR_0029). The detailed reason is the 33xxx event (or ADSync 6329) logged right after it.",
            ja: "セルフサービス パスワード リセットの要求は Entra Connect サーバーに届きましたが、AD DS でのパスワード設定に失敗しました。オンプレミスのパスワードは変更されておらず、ユーザーにはエラー (パスワード ポリシーのメッセージ、または SSPR_0029) が表示されます。詳しい原因は直後に記録される 33xxx イベント (または ADSync 6329) に示されます。",
        },
        cause: FAIL_CAUSE,
        fix: FAIL_FIX,
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 31004,
        name: "OnboardingEventStart",
        role: EventRole::Informational,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "Password writeback was enabled in the Entra Connect wizard and the server started registering (onboarding) the tenant with the cloud password reset web service.",
            ja: "Entra Connect の構成ウィザードでパスワード ライトバックが有効にされ、クラウドのパスワード リセット Web サービスへのテナントの登録 (オンボード) が開始されました。",
        },
        cause: Text {
            en: "Writeback was enabled or re-enabled (wizard, upgrade or reinstall of Entra Connect). Normal.",
            ja: "パスワード ライトバックが有効化または再有効化されました (構成ウィザード、Entra Connect のアップグレードや再インストール)。通常の動作です。",
        },
        fix: Text {
            en: "Nothing to do; 31005 should follow. If 32009, 32011 or 32005 follows instead, see that event.",
            ja: "対処は不要です。続けて 31005 が記録されます。代わりに 32009、32011、32005 が記録された場合はそのイベントを確認してください。",
        },
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 31005,
        name: "OnboardingEventSuccess",
        role: EventRole::Informational,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "Onboarding succeeded: password writeback is configured for the tenant and ready to use.",
            ja: "オンボードが成功しました。テナントのパスワード ライトバックが構成され、使用できる状態になりました。",
        },
        cause: Text {
            en: "Normal end of enabling writeback.",
            ja: "パスワード ライトバックを有効にした際の正常な完了です。",
        },
        fix: Text {
            en: "Nothing to do. Entra admin center > Entra ID > Password reset > On-premises integration should now show the writeback client as running.",
            ja: "対処は不要です。Microsoft Entra 管理センター > [Entra ID] > [パスワード リセット] > [オンプレミスの統合] で、ライトバック クライアントが実行中と表示されることを確認してください。",
        },
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 31006,
        name: "ChangePasswordStart",
        role: EventRole::Start(OpKind::Change),
        category: ReasonCategory::Other,
        meaning: Text {
            en: "Start of a password change writeback: a synced user who knows the current password changed it in the cloud (My Account / 'Change password', or a forced change at sign-in) and the service picked up the request. First event of every change operation; `Details: <UPN>` names the user.",
            ja: "パスワード変更のライトバックの開始です。現在のパスワードを知っている同期ユーザーがクラウドでパスワードを変更し (マイ アカウントの [パスワードの変更] や、サインイン時の変更要求)、サービスがその要求を受け取りました。すべての変更操作の最初のイベントで、`Details: <UPN>` にユーザーが示されます。",
        },
        cause: START_CAUSE,
        fix: START_FIX,
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 31007,
        name: "ChangePasswordSuccess",
        role: EventRole::Success(OpKind::Change),
        category: ReasonCategory::Other,
        meaning: Text {
            en: "The password change was written to AD DS: the new password met the on-premises password policy and the current password was correct.",
            ja: "パスワードの変更が AD DS に書き戻されました。新しいパスワードがオンプレミスのパスワード ポリシーを満たし、現在のパスワードも正しいものでした。",
        },
        cause: SUCCESS_CAUSE,
        fix: SUCCESS_FIX,
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 31008,
        name: "ChangePasswordFail",
        role: EventRole::Failure(OpKind::Change),
        category: ReasonCategory::OnpremConfig,
        meaning: Text {
            en: "A password change reached the Entra Connect server, but AD DS did not accept it; the on-premises password is unchanged. Besides the reasons of a failed reset, a change also fails when the current password typed is wrong (33007). The detailed reason is the 33xxx event (or ADSync 6329) logged right after it.",
            ja: "パスワード変更の要求は Entra Connect サーバーに届きましたが、AD DS で受け付けられませんでした。オンプレミスのパスワードは変更されていません。リセットの失敗と同じ原因に加え、入力した現在のパスワードが誤っている場合 (33007) にも失敗します。詳しい原因は直後に記録される 33xxx イベント (または ADSync 6329) に示されます。",
        },
        cause: FAIL_CAUSE,
        fix: FAIL_FIX,
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 31009,
        name: "ResetUserPasswordByAdminStart",
        role: EventRole::Start(OpKind::AdminReset),
        category: ReasonCategory::Other,
        meaning: Text {
            en: "Start of an admin-initiated reset writeback: an administrator reset a synced user's password (Entra admin center, Microsoft 365 admin center or Microsoft Graph) and the service picked up the request. First event of every admin reset; the message carries TrackingId and `Details: <UPN>` of the user.",
            ja: "管理者によるパスワード リセットのライトバックの開始です。管理者が同期ユーザーのパスワードをリセットし (Microsoft Entra 管理センター、Microsoft 365 管理センター、Microsoft Graph)、サービスがその要求を受け取りました。すべての管理者リセットの最初のイベントで、メッセージに TrackingId と対象ユーザーの `Details: <UPN>` が含まれます。",
        },
        cause: START_CAUSE,
        fix: START_FIX,
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 31010,
        name: "ResetUserPasswordByAdminSuccess",
        role: EventRole::Success(OpKind::AdminReset),
        category: ReasonCategory::Other,
        meaning: Text {
            en: "The administrator's reset was written to AD DS. The message carries cloudAnchor, SourceAnchorValue, AdminUpn (who reset it), UserPrincipalName and ForcePasswordChange (whether the user must change the password at next sign-in).",
            ja: "管理者によるパスワード リセットが AD DS に書き戻されました。メッセージには cloudAnchor、SourceAnchorValue、AdminUpn (リセットした管理者)、UserPrincipalName、ForcePasswordChange (次回サインイン時にパスワード変更を求めるかどうか) が含まれます。",
        },
        cause: SUCCESS_CAUSE,
        fix: SUCCESS_FIX,
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 31011,
        name: "ResetUserPasswordByAdminFail",
        role: EventRole::Failure(OpKind::AdminReset),
        category: ReasonCategory::OnpremConfig,
        meaning: Text {
            en: "An administrator's reset reached the Entra Connect server, but setting the password in AD DS failed; the on-premises password is unchanged and the admin portal shows an error. The detailed reason is the 33xxx event (or ADSync 6329) logged right after it.",
            ja: "管理者によるパスワード リセットの要求は Entra Connect サーバーに届きましたが、AD DS でのパスワード設定に失敗しました。オンプレミスのパスワードは変更されておらず、管理ポータルにエラーが表示されます。詳しい原因は直後に記録される 33xxx イベント (または ADSync 6329) に示されます。",
        },
        cause: FAIL_CAUSE,
        fix: FAIL_FIX,
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 31012,
        name: "OffboardingEventStart",
        role: EventRole::Informational,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "Password writeback was disabled in the Entra Connect wizard and the server started removing (offboarding) the tenant from the password reset web service.",
            ja: "Entra Connect の構成ウィザードでパスワード ライトバックが無効にされ、パスワード リセット Web サービスからのテナントの登録解除 (オフボード) が開始されました。",
        },
        cause: Text {
            en: "An administrator turned writeback off (often the first half of a disable/re-enable fix, or before a server migration).",
            ja: "管理者がパスワード ライトバックを無効にしました (無効化・再有効化による対処の前半や、サーバー移行の前によく見られます)。",
        },
        fix: Text {
            en: "Nothing to do if intended. While writeback is off, resets and changes of synced users fail in the cloud (SSPR_0010-style 'writeback not enabled').",
            ja: "意図した操作であれば対処は不要です。ライトバックが無効な間、同期ユーザーのリセットと変更はクラウド側で失敗します (ライトバック未有効化: SSPR_0010 相当)。",
        },
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 31013,
        name: "OffboardingEventSuccess",
        role: EventRole::Informational,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "Offboarding succeeded: password writeback is disabled for the tenant.",
            ja: "オフボードが成功しました。テナントのパスワード ライトバックは無効になっています。",
        },
        cause: Text {
            en: "Normal end of disabling writeback.",
            ja: "パスワード ライトバックを無効にした際の正常な完了です。",
        },
        fix: Text {
            en: "Nothing to do if intended; re-enable writeback in the wizard (Optional features) to restore it.",
            ja: "意図した操作であれば対処は不要です。元に戻すには構成ウィザードの [オプション機能] でパスワード ライトバックを再度有効にしてください。",
        },
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 31014,
        name: "OffboardingEventFail",
        role: EventRole::Informational,
        category: ReasonCategory::OnpremConfig,
        meaning: Text {
            en: "Offboarding failed: disabling password writeback did not complete, so the cloud and the server may disagree about whether writeback is on.",
            ja: "オフボードに失敗しました。パスワード ライトバックの無効化が完了しておらず、クラウドとサーバーでライトバックの有効・無効の状態が食い違っている可能性があります。",
        },
        cause: Text {
            en: "A permission problem of the cloud or on-premises administrator account given in the wizard, or a federated account used as the cloud administrator.",
            ja: "構成ウィザードで指定したクラウドまたはオンプレミスの管理者アカウントのアクセス許可の問題、またはクラウド管理者にフェデレーション アカウントを使用したことが原因です。",
        },
        fix: Text {
            en: "Run the wizard again with a managed (cloud-only or password-hash-synced, not federated) account holding Hybrid Identity Administrator or Global Administrator, and check the on-premises administrator's rights.",
            ja: "ハイブリッド ID 管理者またはグローバル管理者ロールを持つマネージド アカウント (クラウド専用またはパスワード ハッシュ同期。フェデレーションではないもの) で構成ウィザードを再実行し、オンプレミスの管理者アカウントの権限も確認してください。",
        },
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 31015,
        name: "WriteBackServiceStarted",
        role: EventRole::ServiceStarted,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "The password writeback service started and accepts password requests from the cloud. It ends an outage that began with 31016.",
            ja: "パスワード ライトバック サービスが開始され、クラウドからのパスワード要求を受け付けられる状態になりました。31016 から始まった停止期間はここで終わります。",
        },
        cause: Text {
            en: "The ADSync service started (server boot, service restart, Entra Connect upgrade) or writeback was enabled.",
            ja: "ADSync サービスの開始 (サーバーの起動、サービスの再起動、Entra Connect のアップグレード)、またはパスワード ライトバックの有効化によるものです。",
        },
        fix: Text {
            en: "Nothing to do. If the service restarts often, find out why ADSync restarts (System log, Service Control Manager events 7031/7034/7036).",
            ja: "対処は不要です。再起動が頻繁な場合は、ADSync が再起動した理由をシステム ログ (Service Control Manager のイベント 7031/7034/7036) で確認してください。",
        },
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 31016,
        name: "WriteBackServiceStopped",
        role: EventRole::ServiceStopped,
        category: ReasonCategory::OnpremConnectivity,
        meaning: Text {
            en: "The password writeback service stopped: until 31015, every reset, change or admin reset of a synced user fails because the cloud cannot reach the on-premises service.",
            ja: "パスワード ライトバック サービスが停止しました。31015 が記録されるまで、同期ユーザーのリセット、変更、管理者リセットはすべて、クラウドからオンプレミスのサービスに到達できないため失敗します。",
        },
        cause: Text {
            en: "The ADSync service stopped or restarted (maintenance, reboot, Entra Connect upgrade, crash), writeback was disabled, or the server is shutting down.",
            ja: "ADSync サービスの停止または再起動 (メンテナンス、サーバーの再起動、Entra Connect のアップグレード、異常終了)、パスワード ライトバックの無効化、またはサーバーのシャットダウンによるものです。",
        },
        fix: Text {
            en: "Start or restart 'Microsoft Azure AD Sync' (ADSync) on the Entra Connect server (services.msc or Restart-Service ADSync) and confirm 31015 follows. If it stopped unexpectedly, check the System log (Service Control Manager 7031/7034) and the ADSync events before it. Schedule maintenance outside business hours: writeback is unavailable while the service is stopped.",
            ja: "Entra Connect サーバーで「Microsoft Azure AD Sync」(ADSync) サービスを開始または再起動 (services.msc または Restart-Service ADSync) し、31015 が記録されることを確認してください。予期しない停止の場合は、システム ログ (Service Control Manager の 7031/7034) と直前の ADSync のイベントを確認します。サービス停止中はライトバックを利用できないため、メンテナンスは業務時間外に計画してください。",
        },
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 31017,
        name: "AuthTokenSuccess",
        role: EventRole::Informational,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "An authorization token was obtained for the administrator account given in the Entra Connect wizard, to onboard or offboard password writeback.",
            ja: "パスワード ライトバックのオンボードまたはオフボードのため、Entra Connect の構成ウィザードで指定した管理者アカウントの承認トークンを取得しました。",
        },
        cause: Text {
            en: "Normal step of enabling or disabling writeback.",
            ja: "パスワード ライトバックの有効化・無効化における通常の手順です。",
        },
        fix: NOTHING,
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 31018,
        name: "KeyPairCreationSuccess",
        role: EventRole::Informational,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "The password encryption key was created. The cloud encrypts each new password with it before sending it to this server.",
            ja: "パスワードの暗号化キーが作成されました。クラウドは新しいパスワードをこのキーで暗号化してからこのサーバーに送信します。",
        },
        cause: Text {
            en: "Normal step of enabling (or re-enabling) writeback.",
            ja: "パスワード ライトバックの有効化 (または再有効化) における通常の手順です。",
        },
        fix: NOTHING,
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 31019,
        name: "ServiceBusHeartBeat",
        role: EventRole::Heartbeat,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "A request to the tenant's Service Bus instance succeeded: the writeback channel between the cloud and this server is alive.",
            ja: "テナントの Service Bus インスタンスへの要求が成功しました。クラウドとこのサーバーの間のライトバックの通信経路が正常であることを示します。",
        },
        cause: Text {
            en: "Regular heartbeat, not an error. Gaps in these events point to periods when the service was stopped or disconnected.",
            ja: "定期的なハートビートであり、エラーではありません。このイベントが途切れている期間は、サービスの停止や切断が起きていた可能性があります。",
        },
        fix: NOTHING,
    },
    // ------------------------------------------------------------------------------------------
    // PasswordResetService: connectivity and service errors
    // ------------------------------------------------------------------------------------------
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 31034,
        name: "ServiceBusListenerError",
        role: EventRole::Connectivity,
        category: ReasonCategory::OnpremConnectivity,
        meaning: Text {
            en: "The writeback service could not connect to, or lost, its listener on the tenant's Service Bus relay, so requests from the cloud cannot reach this server. Messages seen: 'The connection to the connect service was lost.', 'The remote certificate is invalid'.",
            ja: "ライトバック サービスがテナントの Service Bus リレー上のリスナーに接続できなかった、または接続が切れたため、クラウドからの要求がこのサーバーに届きません。記録されるメッセージの例: 「The connection to the connect service was lost.」「The remote certificate is invalid」。",
        },
        cause: Text {
            en: "Outbound HTTPS (TCP 443) from the Entra Connect server to *.servicebus.windows.net is blocked or cut: a firewall rule, a proxy the ADSync service does not use, a proxy or firewall idle timeout closing the long-lived relay connection, TLS inspection replacing Microsoft's certificate, or missing root CAs after Azure's TLS certificate change ('The remote certificate is invalid'). The ADSync service being down or restarting also logs it.",
            ja: "Entra Connect サーバーから *.servicebus.windows.net への送信 HTTPS (TCP 443) がブロックまたは切断されています。ファイアウォールの規則、ADSync サービスが使用していないプロキシ、長時間維持されるリレー接続をアイドル タイムアウトで切断するプロキシやファイアウォール、Microsoft の証明書を置き換える TLS インスペクション、Azure の TLS 証明書変更に伴うルート CA の不足 (「The remote certificate is invalid」) などが原因です。ADSync サービスの停止や再起動の際にも記録されます。",
        },
        fix: NETWORK_FIX,
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 31044,
        name: "PasswordResetService",
        role: EventRole::Connectivity,
        category: ReasonCategory::OnpremConnectivity,
        meaning: Text {
            en: "Password writeback is not working: the service listens on two separate Service Bus relays for redundancy, each run by its own service host, and at least one service host is not running.",
            ja: "パスワード ライトバックが機能していません。サービスは冗長化のため 2 つの Service Bus リレーで要求を待ち受けており、それぞれを別のサービス ホストが管理していますが、少なくとも一方のサービス ホストが実行されていません。",
        },
        cause: Text {
            en: "One relay connection failed to open or dropped (outbound TCP 443 to *.servicebus.windows.net blocked, proxy, TLS inspection, idle timeout), or its service host failed after an ADSync restart.",
            ja: "一方のリレー接続を確立できなかった、または切断された (*.servicebus.windows.net への送信 TCP 443 のブロック、プロキシ、TLS インスペクション、アイドル タイムアウト) か、ADSync の再起動後にサービス ホストが起動に失敗しています。",
        },
        fix: NETWORK_FIX,
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 32000,
        name: "UnknownError",
        role: EventRole::ErrorDetail,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "An unexpected error occurred during a password operation. The event holds the exception text and a TrackingId.",
            ja: "パスワード操作中に予期しないエラーが発生しました。イベントには例外のテキストと TrackingId が含まれます。",
        },
        cause: Text {
            en: "Not classified by the service: the exception text names it (often an AD DS, network or sync-engine error; ADSync events of the same second may tell more).",
            ja: "サービスが分類していないエラーです。原因は例外のテキストに示されます (AD DS、ネットワーク、同期エンジンのエラーであることが多く、同じ時刻の ADSync のイベントに詳細が記録されている場合があります)。",
        },
        fix: Text {
            en: "Read the exception text and the ADSync events of the same time, and retry. If it repeats, disable and re-enable password writeback in the Entra Connect wizard; if that does not help, open a support case with the zipped Application log and the TrackingId.",
            ja: "例外のテキストと同じ時刻の ADSync のイベントを確認し、再試行してください。繰り返し発生する場合は Entra Connect の構成ウィザードでパスワード ライトバックを無効にしてから再度有効にし、それでも解決しない場合はアプリケーション イベント ログ (圧縮したもの) と TrackingId を添えてサポートにお問い合わせください。",
        },
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 32001,
        name: "ServiceError",
        role: EventRole::Connectivity,
        category: ReasonCategory::OnpremConnectivity,
        meaning: Text {
            en: "The on-premises service could not connect to the cloud password reset web service (*.passwordreset.microsoftonline.com).",
            ja: "オンプレミスのサービスがクラウドのパスワード リセット Web サービス (*.passwordreset.microsoftonline.com) に接続できませんでした。",
        },
        cause: Text {
            en: "Outbound HTTPS from the Entra Connect server is blocked or broken: firewall, proxy not configured for ADSync or requiring authentication, DNS resolution, or TLS inspection.",
            ja: "Entra Connect サーバーからの送信 HTTPS がブロックされているか正常に通信できていません。ファイアウォール、ADSync に設定されていないプロキシや認証が必要なプロキシ、DNS の名前解決、TLS インスペクションなどが原因です。",
        },
        fix: NETWORK_FIX,
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 32002,
        name: "ServiceBusError",
        role: EventRole::Connectivity,
        category: ReasonCategory::OnpremConnectivity,
        meaning: Text {
            en: "Error connecting to the tenant's Service Bus instance, e.g. 'Error Connecting to ServiceBus. The token provider was unable to provide a security token.' Cloud requests cannot reach this server while it lasts.",
            ja: "テナントの Service Bus インスタンスへの接続中にエラーが発生しました (例: 「Error Connecting to ServiceBus. The token provider was unable to provide a security token.」)。この状態が続く間、クラウドからの要求はこのサーバーに届きません。",
        },
        cause: Text {
            en: "Outbound connections from the Entra Connect server are blocked: TCP 443 to *.servicebus.windows.net (for example ssprdedicatedsbprodncu.servicebus.windows.net) or *.passwordreset.microsoftonline.com denied by a firewall or proxy, a proxy not configured for ADSync, or TLS inspection.",
            ja: "Entra Connect サーバーからの送信接続がブロックされています。ファイアウォールやプロキシによる *.servicebus.windows.net (例: ssprdedicatedsbprodncu.servicebus.windows.net) や *.passwordreset.microsoftonline.com への TCP 443 の拒否、ADSync に設定されていないプロキシ、TLS インスペクションなどが原因です。",
        },
        fix: NETWORK_FIX,
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 32003,
        name: "InPutValidationError",
        role: EventRole::Informational,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "The input passed to the password reset web service API was invalid.",
            ja: "パスワード リセット Web サービスの API に渡された入力が無効でした。",
        },
        cause: Text {
            en: "Usually a one-off malformed or expired request rather than a configuration problem.",
            ja: "構成の問題ではなく、一時的に不正な、または期限切れの要求であることがほとんどです。",
        },
        fix: Text {
            en: "Retry the operation. If it repeats for the same user, check that user's sync state (UPN, source anchor) and open a support case with the TrackingId.",
            ja: "操作を再試行してください。同じユーザーで繰り返す場合は、そのユーザーの同期状態 (UPN、ソース アンカー) を確認し、TrackingId を添えてサポートにお問い合わせください。",
        },
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 32004,
        name: "DecryptionError",
        role: EventRole::Informational,
        category: ReasonCategory::OnpremConfig,
        meaning: Text {
            en: "The password that arrived from the cloud could not be decrypted, so it could not be written to AD DS.",
            ja: "クラウドから届いたパスワードを復号できなかったため、AD DS に書き込めませんでした。",
        },
        cause: Text {
            en: "The key the cloud encrypted with does not match the key held on this server (for example after the server was restored or rebuilt without re-enabling writeback).",
            ja: "クラウドが暗号化に使用したキーと、このサーバーが保持するキーが一致していません (例: ライトバックを再有効化せずにサーバーを復元または再構築した場合)。",
        },
        fix: REENABLE_FIX,
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 32005,
        name: "ConfigurationError",
        role: EventRole::Config,
        category: ReasonCategory::OnpremConfig,
        meaning: Text {
            en: "The tenant-specific configuration file written during onboarding could not be saved, or could not be read when the service started; writeback cannot work without it.",
            ja: "オンボード時に書き込まれるテナント固有の構成ファイルを保存できなかった、またはサービス開始時に読み取れませんでした。この構成がないとライトバックは動作しません。",
        },
        cause: Text {
            en: "The file is missing, damaged or unreadable (disk or permission problem on the Entra Connect server, an interrupted onboarding, files restored from another server).",
            ja: "構成ファイルが存在しない、破損している、または読み取れない状態です (Entra Connect サーバーのディスクやアクセス許可の問題、中断されたオンボード、別のサーバーから復元したファイルなど)。",
        },
        fix: REENABLE_FIX,
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 32007,
        name: "OnBoardingConfigUpdateError",
        role: EventRole::Config,
        category: ReasonCategory::OnpremConfig,
        meaning: Text {
            en: "During onboarding, the data sent from the cloud could not be written or updated in memory before being handed to the sync service for secure storage.",
            ja: "オンボード中にクラウドから送られたデータを、同期サービスに渡して安全に保存する前のメモリ上への書き込みまたは更新に失敗しました。",
        },
        cause: Text {
            en: "An internal problem of the service during onboarding (resource or permission problem on the server, or an interrupted wizard run).",
            ja: "オンボード中のサービス内部の問題です (サーバーのリソースやアクセス許可の問題、構成ウィザードの中断など)。",
        },
        fix: REENABLE_FIX,
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 32008,
        name: "ValidationError",
        role: EventRole::Informational,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "The service received an invalid response from the password reset web service.",
            ja: "パスワード リセット Web サービスから無効な応答を受信しました。",
        },
        cause: Text {
            en: "A proxy or TLS inspection device altering or replacing the response, or a transient problem on the cloud side.",
            ja: "プロキシや TLS インスペクション装置による応答の改変・置き換え、またはクラウド側の一時的な問題が考えられます。",
        },
        fix: REENABLE_FIX,
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 32009,
        name: "AuthTokenError",
        role: EventRole::Config,
        category: ReasonCategory::OnpremConfig,
        meaning: Text {
            en: "No authorization token could be obtained for the administrator account given in the Entra Connect wizard ('Error getting auth token'); the wizard then reports that password writeback could not be configured.",
            ja: "Entra Connect の構成ウィザードで指定した管理者アカウントの承認トークンを取得できませんでした (「Error getting auth token」)。構成ウィザードではパスワード ライトバックを構成できなかったというエラーになります。",
        },
        cause: Text {
            en: "Wrong user name or password for that account, or the account is federated (its sign-in goes to AD FS or another IdP, which the wizard cannot use).",
            ja: "そのアカウントのユーザー名やパスワードが誤っているか、アカウントがフェデレーション アカウント (AD FS などの IdP でサインインするアカウント。構成ウィザードでは使用できません) であることが原因です。",
        },
        fix: Text {
            en: "Rerun the wizard with the correct credentials of a managed account (cloud-only, or password-hash-synced) that holds Hybrid Identity Administrator or Global Administrator.",
            ja: "ハイブリッド ID 管理者またはグローバル管理者ロールを持つマネージド アカウント (クラウド専用またはパスワード ハッシュ同期) の正しい資格情報で構成ウィザードを再実行してください。",
        },
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 32010,
        name: "CryptoError",
        role: EventRole::Informational,
        category: ReasonCategory::OnpremConfig,
        meaning: Text {
            en: "Error generating the password encryption key, or decrypting a password received from the cloud.",
            ja: "パスワード暗号化キーの生成中、またはクラウドから受信したパスワードの復号中にエラーが発生しました。",
        },
        cause: Text {
            en: "A problem of the server environment, such as the cryptographic providers or key storage of the Entra Connect server, or a key mismatch; the event details name it.",
            ja: "Entra Connect サーバーの暗号化プロバイダーやキーの保存領域など、サーバー環境の問題またはキーの不一致です。詳細はイベントに記録されます。",
        },
        fix: REENABLE_FIX,
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 32011,
        name: "OnBoardingServiceError",
        role: EventRole::Connectivity,
        category: ReasonCategory::OnpremConnectivity,
        meaning: Text {
            en: "The on-premises service could not communicate with the password reset web service to onboard, so enabling writeback failed.",
            ja: "オンボードを開始するためにパスワード リセット Web サービスと通信できず、パスワード ライトバックの有効化に失敗しました。",
        },
        cause: Text {
            en: "A firewall or proxy blocking outbound TCP 443 (older builds also TCP 9350-9354) or *.servicebus.windows.net, or a problem getting a token for the tenant (federated administrator account in the wizard).",
            ja: "ファイアウォールやプロキシによる送信 TCP 443 (古いビルドでは TCP 9350-9354 も) や *.servicebus.windows.net へのブロック、またはテナントのトークン取得の問題 (構成ウィザードでフェデレーション管理者アカウントを使用) が原因です。",
        },
        fix: Text {
            en: "Allow outbound TCP 443 from the Entra Connect server to *.servicebus.windows.net and *.passwordreset.microsoftonline.com (through the proxy, without TLS inspection), use a non-federated administrator account in the wizard, and enable writeback again.",
            ja: "Entra Connect サーバーから *.servicebus.windows.net と *.passwordreset.microsoftonline.com への送信 TCP 443 を (プロキシ経由で、TLS インスペクションなしで) 許可し、構成ウィザードではフェデレーションではない管理者アカウントを使用して、もう一度パスワード ライトバックを有効にしてください。",
        },
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 32013,
        name: "OffBoardingError",
        role: EventRole::Connectivity,
        category: ReasonCategory::OnpremConnectivity,
        meaning: Text {
            en: "The on-premises service could not communicate with the password reset web service to offboard, so disabling writeback failed.",
            ja: "オフボードを開始するためにパスワード リセット Web サービスと通信できず、パスワード ライトバックの無効化に失敗しました。",
        },
        cause: Text {
            en: "A firewall or proxy blocking outbound TCP 443 or *.servicebus.windows.net, or a problem getting a token for the tenant (federated administrator account in the wizard).",
            ja: "ファイアウォールやプロキシによる送信 TCP 443 や *.servicebus.windows.net へのブロック、またはテナントのトークン取得の問題 (構成ウィザードでフェデレーション管理者アカウントを使用) が原因です。",
        },
        fix: Text {
            en: "Allow outbound TCP 443 to *.servicebus.windows.net and *.passwordreset.microsoftonline.com, use a non-federated administrator account in the wizard, and disable writeback again.",
            ja: "*.servicebus.windows.net と *.passwordreset.microsoftonline.com への送信 TCP 443 を許可し、構成ウィザードではフェデレーションではない管理者アカウントを使用して、もう一度パスワード ライトバックを無効にしてください。",
        },
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 32014,
        name: "ServiceBusWarning",
        role: EventRole::ServiceBusWarning,
        category: ReasonCategory::OnpremConnectivity,
        meaning: Text {
            en: "The service had to retry its connection to the tenant's Service Bus instance; it reconnected.",
            ja: "テナントの Service Bus インスタンスへの接続を再試行する必要がありました (再接続済みです)。",
        },
        cause: Text {
            en: "An occasional network interruption is normal. Frequent retries point to an unstable path to *.servicebus.windows.net: high latency or low bandwidth, a proxy or firewall closing idle connections, or TLS inspection.",
            ja: "ときどき記録される程度であれば問題ありません。頻繁に記録される場合は、*.servicebus.windows.net への経路が不安定です (高遅延・低帯域の回線、アイドル接続を切断するプロキシやファイアウォール、TLS インスペクションなど)。",
        },
        fix: Text {
            en: "Nothing to do for occasional events. If they appear many times a day, check the network path from the Entra Connect server to *.servicebus.windows.net (idle timeouts of proxies and firewalls, TLS inspection exemptions) and whether 31034/32002 follow.",
            ja: "ときどき記録される程度であれば対処は不要です。1 日に何度も記録される場合は、Entra Connect サーバーから *.servicebus.windows.net への経路 (プロキシやファイアウォールのアイドル タイムアウト、TLS インスペクションの除外設定) と、31034/32002 が続いていないかを確認してください。",
        },
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 32015,
        name: "ReportServiceHealthError",
        role: EventRole::Connectivity,
        category: ReasonCategory::OnpremConnectivity,
        meaning: Text {
            en: "The health heartbeat the service sends to the password reset web service every five minutes failed. The heartbeat holds no personal data, only status and basic counters; it feeds the writeback status shown in the admin center.",
            ja: "サービスが 5 分ごとにパスワード リセット Web サービスへ送信する正常性のハートビートに失敗しました。ハートビートには個人データは含まれず、状態と基本的な統計情報のみで、管理センターに表示されるライトバックの状態に使用されます。",
        },
        cause: Text {
            en: "Outbound HTTPS to *.passwordreset.microsoftonline.com failed (firewall, proxy, DNS, TLS inspection) or a transient cloud-side problem. Isolated occurrences do not stop writeback.",
            ja: "*.passwordreset.microsoftonline.com への送信 HTTPS の失敗 (ファイアウォール、プロキシ、DNS、TLS インスペクション) またはクラウド側の一時的な問題です。単発であればライトバックは停止しません。",
        },
        fix: NETWORK_FIX,
    },
    // ------------------------------------------------------------------------------------------
    // PasswordResetService: AD DS errors (the detail of a failed operation)
    // ------------------------------------------------------------------------------------------
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 33001,
        name: "ADUnKnownError",
        role: EventRole::ErrorDetail,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "AD DS returned an error the writeback service does not classify. The ADSync events logged at the same time hold the real error.",
            ja: "AD DS から、ライトバック サービスが分類できないエラーが返されました。実際のエラーは同じ時刻に記録された ADSync のイベントに示されます。",
        },
        cause: Text {
            en: "Look at ADSync 6329 of the same second. A documented trigger: reserved characters in the user's OU path (a leading space or #, a trailing space, or any of , + \" \\ < > ; = / CR LF).",
            ja: "同じ時刻の ADSync 6329 を確認してください。ドキュメントに記載されている原因として、ユーザーの OU パスに予約文字 (先頭の空白や #、末尾の空白、, + \" \\ < > ; = / CR LF) が含まれている場合があります。",
        },
        fix: Text {
            en: "Apply the fix of the ADSync error (`sspr-report explain 6329` and its hr= code). If the OU path contains reserved characters, rename the OU (or move the user) and retry.",
            ja: "ADSync のエラーに応じて対処してください (`sspr-report explain 6329` と hr= コードを参照)。OU パスに予約文字が含まれている場合は OU 名を変更する (またはユーザーを移動する) うえで再試行してください。",
        },
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 33002,
        name: "ADUserNotFoundError",
        role: EventRole::ErrorDetail,
        category: ReasonCategory::UserNotFound,
        meaning: Text {
            en: "The user whose password was to be reset or changed was not found on-premises: the sync engine could not map the cloud user to an AD DS object ('The operation failed because the object could not be found.').",
            ja: "パスワードをリセットまたは変更しようとしたユーザーがオンプレミスで見つかりませんでした。同期エンジンがクラウドのユーザーを AD DS のオブジェクトに対応付けられませんでした (「The operation failed because the object could not be found.」)。",
        },
        cause: Text {
            en: "The user was deleted on-premises or moved out of the sync scope (OU or attribute filtering) and the change has not reached the cloud yet; a sync problem leaves the connector space object unjoined from the metaverse; or, with password hash sync scoped to some users, the user is outside that scope (ADSync 6329: 0x80230405, 'No password writeback targets found').",
            ja: "オンプレミスでユーザーが削除された、または同期対象外 (OU や属性によるフィルター) に移動され、その変更がまだクラウドに反映されていない、同期の問題でコネクタ スペースのオブジェクトがメタバースに結合されていない、またはパスワード ハッシュ同期の対象を一部のユーザーに絞っている場合にユーザーがその対象外である (ADSync 6329: 0x80230405、「No password writeback targets found」) ことが原因です。",
        },
        fix: Text {
            en: "Check that the user exists in AD DS and is in scope. In Synchronization Service Manager search the metaverse for the user and confirm it is joined to an object of the AD DS connector (Lineage), and read the last sync run profiles for errors; run a delta sync (Start-ADSyncSyncCycle -PolicyType Delta) after fixing filtering. If the user was deleted on-premises on purpose, the cloud account will be removed by the next sync.",
            ja: "ユーザーが AD DS に存在し、同期対象に含まれていることを確認してください。Synchronization Service Manager でメタバースを検索し、そのユーザーが AD DS コネクタのオブジェクトに結合されていること (系列) を確認し、直近の同期実行プロファイルにエラーがないかを確認します。フィルターを修正した後は差分同期 (Start-ADSyncSyncCycle -PolicyType Delta) を実行してください。意図してオンプレミスで削除したユーザーであれば、次回の同期でクラウドのアカウントも削除されます。",
        },
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 33003,
        name: "ADMutliMatchError",
        role: EventRole::ErrorDetail,
        category: ReasonCategory::OnpremConfig,
        meaning: Text {
            en: "Two on-premises users carry the same cloud anchor, so the request cannot be tied to one AD DS account ('Multiple matches found'). Writeback is not supported for a user with enabled accounts in more than one forest.",
            ja: "同じクラウド アンカーを持つオンプレミスのユーザーが 2 人見つかったため、要求を 1 つの AD DS アカウントに対応付けられませんでした (「Multiple matches found」)。複数のフォレストに有効なアカウントを持つユーザーでは、パスワード ライトバックはサポートされていません。",
        },
        cause: Text {
            en: "The same person has an enabled account in several forests or domains (account/resource forest), or a non-unique source anchor (for example UPN or mail) is shared by two users.",
            ja: "同じ人物が複数のフォレストやドメインに有効なアカウントを持っている (アカウント フォレストとリソース フォレストなど)、または一意ではないソース アンカー (UPN やメールなど) を 2 人のユーザーが共有していることが原因です。",
        },
        fix: Text {
            en: "Find the duplicates (Synchronization Service Manager: metaverse object and its connectors; sync run errors), disable or remove the extra account, or use a unique source anchor (ms-DS-ConsistencyGuid / objectGUID), then run a sync and retry.",
            ja: "重複しているアカウントを特定し (Synchronization Service Manager のメタバース オブジェクトとそのコネクタ、同期実行のエラー)、不要なアカウントを無効化または削除するか、一意のソース アンカー (ms-DS-ConsistencyGuid / objectGUID) を使用したうえで、同期を実行して再試行してください。",
        },
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 33004,
        name: "ADPermissionsError",
        role: EventRole::ErrorDetail,
        category: ReasonCategory::OnpremPermissions,
        meaning: Text {
            en: "The AD DS connector account (ADMA account, MSOL_… by default) was denied access when setting the password on this user. Messages seen: 'Requesting user was denied access to perform the operation on a privileged account.' and 'The password could not be updated because the management agent credentials were denied access.'",
            ja: "対象ユーザーのパスワードを設定する際、AD DS コネクタ アカウント (ADMA アカウント。既定では MSOL_xxxxxxxx) のアクセスが拒否されました。記録されるメッセージの例: 「Requesting user was denied access to perform the operation on a privileged account.」「The password could not be updated because the management agent credentials were denied access.」",
        },
        cause: Text {
            en: "The connector account lacks the writeback permissions on the user or its OU: 'Reset password', 'Change password', write pwdLastSet and write lockoutTime for descendant user objects (a custom connector account does not get them automatically; blocked inheritance on an OU or user removes them). Or the user is, or was, a member of a protected group (Domain Admins, Enterprise Admins, Account Operators …): adminCount=1 and SDProp re-applies the AdminSDHolder permissions every hour, removing the connector account's right. Less often: the 'Network access: Restrict clients allowed to make remote calls to SAM' policy excludes the MSOL_ account (ADSync shows ERROR_ACCESS_DENIED), or newly granted permissions have not replicated yet (SDProp can take up to an hour).",
            ja: "AD DS コネクタ アカウントに、対象ユーザーまたはその OU に対するライトバックに必要なアクセス許可 (子孫のユーザー オブジェクトに対する「パスワードのリセット」「パスワードの変更」、pwdLastSet と lockoutTime への書き込み) がありません (既存のアカウントをコネクタ アカウントに指定した場合は自動では付与されません。OU やユーザーで継承が無効になっている場合も失われます)。または、ユーザーが保護されたグループ (Domain Admins、Enterprise Admins、Account Operators など) のメンバーである、または過去にメンバーだったため adminCount=1 となり、SDProp が 1 時間ごとに AdminSDHolder のアクセス許可で上書きしてコネクタ アカウントの権限が失われています。まれに、「ネットワーク アクセス: SAM へのリモート呼び出しを許可されたクライアントを制限する」ポリシーで MSOL_ アカウントが許可されていない (ADSync に ERROR_ACCESS_DENIED が記録されます) 場合や、付与したアクセス許可がまだ反映されていない (SDProp による反映には最大 1 時間かかります) 場合もあります。",
        },
        fix: Text {
            en: "Find the connector account (Synchronization Service Manager > Connectors > the AD DS connector > Properties > Connect to Active Directory Forest > User name). Grant the permissions with the ADSyncConfig module (Set-ADSyncPasswordWritebackPermissions -ADConnectorAccountDN <DN>) or in Active Directory Users and Computers on the domain root or the users' OU: 'Reset password', 'Change password', write pwdLastSet and write lockoutTime, applied to Descendant User objects; verify with Effective Access on the user and enable inheritance on it if disabled. For adminCount=1 accounts, prefer resetting privileged accounts on-premises (or use cloud-only admin accounts); if the account no longer needs protection, remove it from the protected group, clear adminCount in the Attribute Editor and enable inheritance. If RestrictRemoteSam is set, add the MSOL_ account to that policy. Allow time for AD replication, then retry.",
            ja: "まずコネクタ アカウントを確認します (Synchronization Service Manager > [コネクタ] > AD DS コネクタ > [プロパティ] > [Connect to Active Directory Forest] の [ユーザー名])。ADSyncConfig モジュール (Set-ADSyncPasswordWritebackPermissions -ADConnectorAccountDN <DN>)、または [Active Directory ユーザーとコンピューター] でドメインのルートかユーザーの OU に対し、「パスワードのリセット」「パスワードの変更」、pwdLastSet と lockoutTime への書き込みを [子孫 ユーザー オブジェクト] に付与してください。付与後はユーザーの [有効なアクセス] で確認し、継承が無効であれば有効にします。adminCount=1 のアカウントは、特権アカウントのパスワードはオンプレミスでリセットする (またはクラウド専用の管理者アカウントを使用する) ことをお勧めします。保護が不要になったアカウントであれば、保護されたグループから外し、[属性エディター] で adminCount の値をクリアして継承を有効にしてください。RestrictRemoteSam ポリシーが設定されている場合は MSOL_ アカウントを許可に追加します。AD のレプリケーションを待ってから再試行してください。",
        },
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 33005,
        name: "ADUserAccountDisabled",
        role: EventRole::ErrorDetail,
        category: ReasonCategory::OnpremConfig,
        meaning: Text {
            en: "The password of an account that is disabled on-premises was to be reset or changed; AD DS refused.",
            ja: "オンプレミスで無効になっているアカウントのパスワードをリセットまたは変更しようとしたため、AD DS に拒否されました。",
        },
        cause: Text {
            en: "The AD DS account is disabled (for example by a leaver process) while the cloud account is still enabled, typically because the change has not been synced yet or accountEnabled is not synced.",
            ja: "AD DS のアカウントが無効 (退職処理など) になっている一方で、クラウドのアカウントはまだ有効です。通常は変更がまだ同期されていないか、accountEnabled が同期されていないことが原因です。",
        },
        fix: Text {
            en: "If the user should work, enable the account in AD DS (Enable-ADAccount) and retry. If it is disabled on purpose, make sure the disabled state syncs so the cloud account is blocked too.",
            ja: "ユーザーが利用してよい場合は AD DS でアカウントを有効化 (Enable-ADAccount) して再試行してください。意図的に無効化している場合は、無効状態が同期されクラウドのアカウントもブロックされることを確認してください。",
        },
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 33006,
        name: "ADUserAccountLockedOut",
        role: EventRole::ErrorDetail,
        category: ReasonCategory::OnpremConfig,
        meaning: Text {
            en: "The password of an account that is locked out on-premises was to be reset or changed; AD DS refused.",
            ja: "オンプレミスでロックアウトされているアカウントのパスワードをリセットまたは変更しようとしたため、AD DS に拒否されました。",
        },
        cause: Text {
            en: "The domain account lockout policy locked the account: too many bad passwords (often an old password still used by a phone, mapped drive or service) or too many change/reset attempts in a short time.",
            ja: "ドメインのアカウント ロックアウト ポリシーによりロックされています。誤ったパスワードの入力が多すぎる (スマートフォン、ネットワーク ドライブ、サービスなどに残った古いパスワードが原因であることが多い) か、短時間にパスワードの変更やリセットを繰り返したことが原因です。",
        },
        fix: Text {
            en: "Unlock the account (Active Directory Users and Computers > Account > 'Unlock account', or Unlock-ADAccount) and retry; find the lockout source in event 4740 on the PDC emulator. If self-service resets (which normally clear the lockout) hit this, check that the connector account can write lockoutTime on the user.",
            ja: "アカウントのロックを解除 ([Active Directory ユーザーとコンピューター] > [アカウント] > [アカウントのロックを解除する]、または Unlock-ADAccount) して再試行し、PDC エミュレーターのイベント 4740 でロックアウトの発生元を特定してください。通常はロックアウトも解除されるセルフサービス リセットでこのエラーになる場合は、コネクタ アカウントが対象ユーザーの lockoutTime に書き込めることを確認してください。",
        },
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 33007,
        name: "ADUserIncorrectPassword",
        role: EventRole::ErrorDetail,
        category: ReasonCategory::OnpremPolicy,
        meaning: Text {
            en: "In a password change, the current password the user typed did not match the AD DS password.",
            ja: "パスワードの変更で、ユーザーが入力した現在のパスワードが AD DS のパスワードと一致しませんでした。",
        },
        cause: Text {
            en: "The user typed the wrong current password, or the cloud password differs from AD DS (password hash sync not enabled, failing or not yet run after a recent on-premises change) and the user typed the cloud one.",
            ja: "ユーザーが現在のパスワードを誤って入力したか、クラウドのパスワードと AD DS のパスワードが異なり (パスワード ハッシュ同期が無効、失敗している、またはオンプレミスでの直近の変更がまだ同期されていない)、クラウド側のパスワードを入力したことが原因です。",
        },
        fix: Text {
            en: "Have the user retry with the current AD DS password, or use self-service password reset instead. If many users hit it, check that password hash sync works (Directory Synchronization 656/657).",
            ja: "AD DS の現在のパスワードで再試行するか、代わりにセルフサービス パスワード リセットを使用するようユーザーに案内してください。多くのユーザーで発生する場合は、パスワード ハッシュ同期が動作していること (Directory Synchronization 656/657) を確認してください。",
        },
    },
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 33008,
        name: "ADPasswordPolicyError",
        role: EventRole::ErrorDetail,
        category: ReasonCategory::OnpremPolicy,
        meaning: Text {
            en: "AD DS refused the new password because it does not meet the on-premises password policy: 'A restriction prevents the password from being changed to the current one specified.' (hr=80230619). The cloud banned-password check had already passed.",
            ja: "新しいパスワードがオンプレミスのパスワード ポリシーを満たしていないため、AD DS に拒否されました (「A restriction prevents the password from being changed to the current one specified.」、hr=80230619)。クラウド側の禁止パスワードのチェックは通過しています。",
        },
        cause: Text {
            en: "Minimum password age not reached (the user changed the password recently — common when a user resets twice in a row), password history (one of the last N passwords), complexity or minimum length, a fine-grained password policy stricter than the domain policy, a password filter on the DCs (Entra Password Protection DC agent or a third-party filter), or 'User cannot change password' (PASSWD_CANT_CHANGE) on the account.",
            ja: "パスワードの最小有効期間に達していない (最近パスワードを変更した。続けて 2 回リセットした場合によく発生します)、パスワードの履歴 (直近 N 回に使用したパスワード)、複雑さや最小文字数、ドメインのポリシーより厳しい細かい設定のパスワード ポリシー、DC 上のパスワード フィルター (Entra パスワード保護の DC エージェントやサードパーティ製フィルター)、またはアカウントの「ユーザーはパスワードを変更できない」(PASSWD_CANT_CHANGE) が原因です。",
        },
        fix: Text {
            en: "Have the user choose a password that meets the on-premises policy, or wait until the minimum password age has passed. Check the policy that applies (Get-ADUserResultantPasswordPolicy <user>, else Get-ADDefaultDomainPasswordPolicy; Group Policy Management > Default Domain Policy > Password Policy), and clear 'User cannot change password' if set. Publish the on-premises rules to users so the SSPR page is not a trial-and-error loop.",
            ja: "オンプレミスのポリシーを満たすパスワードを選ぶか、パスワードの最小有効期間が過ぎるまで待つようユーザーに案内してください。適用されているポリシーを確認し (Get-ADUserResultantPasswordPolicy <ユーザー>、なければ Get-ADDefaultDomainPasswordPolicy、またはグループ ポリシー管理の Default Domain Policy > パスワードのポリシー)、「ユーザーはパスワードを変更できない」が設定されていれば解除します。SSPR の画面で試行錯誤にならないよう、オンプレミスのパスワードの条件をユーザーに周知してください。",
        },
    },
    // 33009 is both an error detail (a 33xxx event that follows a failure) and a configuration
    // error (design: config_errors). It gets `Config`; callers treat every 33xxx as a detail.
    EventEntry {
        source: EventSource::PasswordResetService,
        id: 33009,
        name: "ADConfigurationError",
        role: EventRole::Config,
        category: ReasonCategory::OnpremConfig,
        meaning: Text {
            en: "Writing the password to AD DS failed because of an Active Directory configuration problem; the ADSync event (usually 6329) logged at the same time names it.",
            ja: "Active Directory の構成の問題により、AD DS へのパスワードの書き込みに失敗しました。原因は同じ時刻に記録される ADSync のイベント (通常は 6329) に示されます。",
        },
        cause: Text {
            en: "Typical ADSync errors behind it: the DCs do not support the LDAP_SERVER_POLICY_HINTS_OID control (1.2.840.113556.1.4.2066), a forest added after writeback was enabled (0x8023061F), LDAP signing and encryption off on the connector (0x8023062C), or the RestrictRemoteSam policy denying the MSOL_ account (ERROR_ACCESS_DENIED).",
            ja: "背景にある主な ADSync のエラーは、DC が LDAP_SERVER_POLICY_HINTS_OID コントロール (1.2.840.113556.1.4.2066) をサポートしていない、ライトバックを有効にした後にフォレストを追加した (0x8023061F)、コネクタで LDAP の署名と暗号化が無効になっている (0x8023062C)、RestrictRemoteSam ポリシーで MSOL_ アカウントが拒否されている (ERROR_ACCESS_DENIED) などです。",
        },
        fix: Text {
            en: "Read ADSync 6329 of the same time and apply the fix for its message or hr= code (`sspr-report explain 6329`, `sspr-report explain <hr code>`).",
            ja: "同じ時刻の ADSync 6329 を確認し、そのメッセージまたは hr= コードに応じて対処してください (`sspr-report explain 6329`、`sspr-report explain <hr コード>`)。",
        },
    },
    // ------------------------------------------------------------------------------------------
    // ADSync (the sync engine performs the actual password set)
    // ------------------------------------------------------------------------------------------
    EventEntry {
        source: EventSource::AdSync,
        id: 403,
        name: "ImpersonationLogonUser",
        role: EventRole::Informational,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "The sync engine logged on as the AD DS connector account to perform a password operation: 'ImpersonationHelper call LogonUser for DomainName=…, UserName=MSOL_…'. Part of every writeback trail between the start (31001/31006/31009) and its outcome.",
            ja: "同期エンジンがパスワード操作のために AD DS コネクタ アカウントでログオンしました (「ImpersonationHelper call LogonUser for DomainName=…, UserName=MSOL_…」)。すべてのライトバックで、開始 (31001/31006/31009) と結果の間に記録されます。",
        },
        cause: Text {
            en: "Normal step, not an error.",
            ja: "通常の処理であり、エラーではありません。",
        },
        fix: Text {
            en: "Nothing to do. If writebacks then fail with access errors, check that the connector account's password is valid and the account is not locked out or expired.",
            ja: "対処は不要です。この後にアクセス エラーで失敗している場合は、コネクタ アカウントのパスワードが有効で、アカウントがロックアウトや期限切れになっていないことを確認してください。",
        },
    },
    EventEntry {
        source: EventSource::AdSync,
        id: 405,
        name: "LdapBind",
        role: EventRole::Informational,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "The sync engine bound to a domain controller over LDAP as the AD DS connector account: 'Call sync ldap_bind for DomainName=…, UserName=MSOL_…'. Logged around 403 during every writeback.",
            ja: "同期エンジンが AD DS コネクタ アカウントで LDAP によりドメイン コントローラーにバインドしました (「Call sync ldap_bind for DomainName=…, UserName=MSOL_…」)。すべてのライトバックで 403 の前後に記録されます。",
        },
        cause: Text {
            en: "Normal step, not an error.",
            ja: "通常の処理であり、エラーではありません。",
        },
        fix: NOTHING,
    },
    EventEntry {
        source: EventSource::AdSync,
        id: 6100,
        name: "RunProfileResult",
        role: EventRole::Informational,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "Result of a connector run profile (import, synchronization or export) with counts of discovery, synchronization, metaverse retry and export errors and warnings. Not part of writeback; it shows the sync cycle ran.",
            ja: "コネクタの実行プロファイル (インポート、同期、エクスポート) の結果で、検出、同期、メタバースの再試行、エクスポートのエラーと警告の件数が含まれます。ライトバックの一部ではなく、同期サイクルが実行されたことを示します。",
        },
        cause: Text {
            en: "Regular sync cycle (every 30 minutes by default).",
            ja: "定期的な同期サイクル (既定では 30 分ごと) によるものです。",
        },
        fix: Text {
            en: "Nothing to do for writeback. Non-zero error counts are sync problems: review them in Synchronization Service Manager > Operations.",
            ja: "ライトバックに関しては対処不要です。エラー件数が 0 でない場合は同期の問題のため、Synchronization Service Manager の [操作] で確認してください。",
        },
    },
    EventEntry {
        source: EventSource::AdSync,
        id: 6329,
        name: "PasswordSetError",
        role: EventRole::Config,
        category: ReasonCategory::OnpremConfig,
        meaning: Text {
            en: "The sync engine failed to set a password in AD DS: 'An unexpected error has occurred during a password set operation.', followed by lines such as 'BAIL: MMS(pid): file.cpp(line): 0x8023xxxx (text)'. The hr code or message in those lines tells what failed; the PasswordResetService failure (31003/31008/31011 and a 33xxx) of the same second is the same operation.",
            ja: "同期エンジンが AD DS でのパスワード設定に失敗しました (「An unexpected error has occurred during a password set operation.」に続いて「BAIL: MMS(pid): file.cpp(line): 0x8023xxxx (text)」のような行が記録されます)。その行の hr コードやメッセージが失敗の内容を示します。同じ時刻の PasswordResetService の失敗 (31003/31008/31011 と 33xxx) は同じ操作です。",
        },
        cause: Text {
            en: "Documented variants: 0x80230619 'A restriction prevents the password from being changed…' (on-premises password policy, or PASSWD_CANT_CHANGE); 'The server doesn't contain the LDAP password policy control' (the DCs do not support LDAP_SERVER_POLICY_HINTS_OID, 1.2.840.113556.1.4.2066); 0x8023061F 'password synchronization is not enabled on this Management Agent' (forest added after writeback was enabled); 0x80230405 'the object cannot be found' with 'No password writeback targets found' (user outside the password hash sync scope); 'Failed to acquire user information: …\\MSOL_…. Error Code: ERROR_ACCESS_DENIED' (RestrictRemoteSam policy).",
            ja: "ドキュメントに記載されている主なパターン: 0x80230619「A restriction prevents the password from being changed…」(オンプレミスのパスワード ポリシー、または PASSWD_CANT_CHANGE)、「The server doesn't contain the LDAP password policy control」(DC が LDAP_SERVER_POLICY_HINTS_OID (1.2.840.113556.1.4.2066) をサポートしていない)、0x8023061F「password synchronization is not enabled on this Management Agent」(ライトバックを有効にした後にフォレストを追加した)、0x80230405「the object cannot be found」と「No password writeback targets found」(ユーザーがパスワード ハッシュ同期の対象外)、「Failed to acquire user information: …\\MSOL_…. Error Code: ERROR_ACCESS_DENIED」(RestrictRemoteSam ポリシー)。",
        },
        fix: Text {
            en: "Use the hr code (`sspr-report explain 0x80230619` etc.). LDAP policy control: the DCs the connector uses must run Windows Server 2016 or later (Microsoft's current requirement). ERROR_ACCESS_DENIED: in 'Network access: Restrict clients allowed to make remote calls to SAM' (Computer Configuration > Windows Settings > Security Settings > Local Policies > Security Options, check with RSOP on the Connect server and the DCs) allow the MSOL_ account. Then retry the reset.",
            ja: "hr コードに応じて対処してください (`sspr-report explain 0x80230619` など)。LDAP のパスワード ポリシー コントロールの場合は、コネクタが使用する DC を Windows Server 2016 以降にする必要があります (Microsoft の現在の要件)。ERROR_ACCESS_DENIED の場合は、「ネットワーク アクセス: SAM へのリモート呼び出しを許可されたクライアントを制限する」([コンピューターの構成] > [Windows の設定] > [セキュリティの設定] > [ローカル ポリシー] > [セキュリティ オプション]。Entra Connect サーバーと DC で RSOP により確認) で MSOL_ アカウントを許可してください。その後リセットを再試行します。",
        },
    },
    EventEntry {
        source: EventSource::AdSync,
        id: 6800,
        name: "WritebackEndpointStartError",
        role: EventRole::Config,
        category: ReasonCategory::OnpremConfig,
        meaning: Text {
            en: "When the ADSync service started, the password writeback endpoint (WCF) failed to start. The sync service keeps running, but writeback does not work until the endpoint starts.",
            ja: "ADSync サービスの開始時に、パスワード ライトバックのエンドポイント (WCF) を開始できませんでした。同期サービスは動作し続けますが、エンドポイントが開始されるまでライトバックは機能しません。",
        },
        cause: Text {
            en: "The event details, and the PasswordResetService events logged with it, give the reason: typically onboarding or configuration problems (32005, 32009, 32011) or the cloud endpoints being unreachable.",
            ja: "原因はこのイベントの詳細と、同時に記録される PasswordResetService のイベントに示されます。オンボードや構成の問題 (32005、32009、32011) や、クラウドのエンドポイントに到達できないことが一般的です。",
        },
        fix: Text {
            en: "Read the details and the PasswordResetService events around it, fix what they name, and restart the ADSync service. If writeback still does not start (no 31015), disable and re-enable password writeback in the Entra Connect wizard, and upgrade Entra Connect.",
            ja: "このイベントの詳細と前後の PasswordResetService のイベントを確認し、示された問題を解消してから ADSync サービスを再起動してください。それでもライトバックが開始されない (31015 が記録されない) 場合は、Entra Connect の構成ウィザードでパスワード ライトバックを無効にしてから再度有効にし、Entra Connect を最新版にアップグレードしてください。",
        },
    },
    EventEntry {
        source: EventSource::AdSync,
        id: 6946,
        name: "SyncCycleEvent",
        role: EventRole::Informational,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "A sync-engine run-profile / sync-cycle event. Not part of writeback; it shows the sync engine was running.",
            ja: "同期エンジンの実行プロファイル・同期サイクルに関するイベントです。ライトバックの一部ではなく、同期エンジンが動作していたことを示します。",
        },
        cause: Text {
            en: "Regular sync activity.",
            ja: "定期的な同期の動作によるものです。",
        },
        fix: NOTHING,
    },
    // ------------------------------------------------------------------------------------------
    // Directory Synchronization (password hash sync, AD DS → Entra ID)
    // ------------------------------------------------------------------------------------------
    EventEntry {
        source: EventSource::DirectorySynchronization,
        id: 611,
        name: "PasswordSyncFailed",
        role: EventRole::Informational,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "Password hash synchronization failed for a domain ('Password synchronization failed for domain: …' plus a .NET exception). Hashes of that domain are not sent to Entra ID until it recovers; writeback itself is not affected.",
            ja: "ドメインのパスワード ハッシュ同期に失敗しました (「Password synchronization failed for domain: …」と .NET の例外)。回復するまでそのドメインのハッシュは Entra ID に送信されません。パスワード ライトバック自体には影響しません。",
        },
        cause: Text {
            en: "The sync engine could not replicate password hashes from a DC: DC unreachable (RPC), the AD DS connector account lacking 'Replicating Directory Changes' / 'Replicating Directory Changes All' on the domain root, or a known defect of an old sync version (DrsException RPC errors).",
            ja: "同期エンジンが DC からパスワード ハッシュを複製できませんでした。DC に到達できない (RPC)、AD DS コネクタ アカウントにドメイン ルートの「ディレクトリの変更の複製」「ディレクトリの変更をすべて複製」がない、または古い同期ツールの既知の不具合 (DrsException の RPC エラー) が原因です。",
        },
        fix: Text {
            en: "Read the exception: check RPC connectivity from the Entra Connect server to the DCs, grant the connector account the two replication rights on each domain root, and upgrade Entra Connect. Password hash sync retries by itself; 622/623 mark the next full sync.",
            ja: "例外の内容を確認し、Entra Connect サーバーから DC への RPC 接続、各ドメイン ルートでのコネクタ アカウントへの 2 つの複製権限の付与を確認し、Entra Connect を最新版にアップグレードしてください。パスワード ハッシュ同期は自動的に再試行され、次回の完全同期で 622/623 が記録されます。",
        },
    },
    EventEntry {
        source: EventSource::DirectorySynchronization,
        id: 622,
        name: "FullPasswordSyncCompletedDomain",
        role: EventRole::Informational,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "A full password hash synchronization finished for a domain ('Full password hash synchronization completed for domain: …').",
            ja: "ドメインのパスワード ハッシュの完全同期が完了しました (「Full password hash synchronization completed for domain: …」)。",
        },
        cause: PHS_INFO_CAUSE,
        fix: NOTHING,
    },
    EventEntry {
        source: EventSource::DirectorySynchronization,
        id: 623,
        name: "FullPasswordSyncCompletedForest",
        role: EventRole::Informational,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "A full password hash synchronization finished for a forest ('Full password hash synchronization completed for forest: …').",
            ja: "フォレストのパスワード ハッシュの完全同期が完了しました (「Full password hash synchronization completed for forest: …」)。",
        },
        cause: PHS_INFO_CAUSE,
        fix: NOTHING,
    },
    EventEntry {
        source: EventSource::DirectorySynchronization,
        id: 650,
        name: "ProvisionCredentialsBatchStart",
        role: EventRole::Informational,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "Password hash sync started sending a batch of changed passwords to Entra ID ('Provision credentials batch start. Count: n').",
            ja: "パスワード ハッシュ同期が、変更されたパスワードのバッチの Entra ID への送信を開始しました (「Provision credentials batch start. Count: n」)。",
        },
        cause: PHS_INFO_CAUSE,
        fix: NOTHING,
    },
    EventEntry {
        source: EventSource::DirectorySynchronization,
        id: 651,
        name: "ProvisionCredentialsBatchEnd",
        role: EventRole::Informational,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "Password hash sync finished sending a batch of changed passwords ('Provision credentials batch end. Count: n').",
            ja: "パスワード ハッシュ同期が、変更されたパスワードのバッチの送信を完了しました (「Provision credentials batch end. Count: n」)。",
        },
        cause: PHS_INFO_CAUSE,
        fix: NOTHING,
    },
    EventEntry {
        source: EventSource::DirectorySynchronization,
        id: 652,
        name: "ProvisionCredentialsBatchFailed",
        role: EventRole::Informational,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "A batch of password hashes could not be sent to Entra ID ('Failed credential provisioning batch. Error: …', with a Tracking ID).",
            ja: "パスワード ハッシュのバッチを Entra ID に送信できませんでした (「Failed credential provisioning batch. Error: …」、Tracking ID 付き)。",
        },
        cause: Text {
            en: "Entra ID refused or could not be reached: password hash sync not activated for the tenant (Error Code 90), service busy (Error Code 81, retried automatically), invalid credentials of the Entra connector account, or network/proxy problems.",
            ja: "Entra ID に拒否されたか到達できませんでした。テナントでパスワード ハッシュ同期が有効になっていない (Error Code 90)、サービスが混雑している (Error Code 81。自動で再試行されます)、Entra コネクタ アカウントの資格情報が無効、ネットワークやプロキシの問題などが原因です。",
        },
        fix: Text {
            en: "Read the error code: for 90, enable password hash sync in the Entra Connect wizard; for credential errors, rerun the wizard; for network errors, check outbound HTTPS from the Entra Connect server. Not a writeback problem.",
            ja: "エラー コードを確認してください。90 の場合は構成ウィザードでパスワード ハッシュ同期を有効にし、資格情報のエラーであればウィザードを再実行し、ネットワークのエラーであれば Entra Connect サーバーからの送信 HTTPS を確認します。ライトバックの問題ではありません。",
        },
    },
    EventEntry {
        source: EventSource::DirectorySynchronization,
        id: 653,
        name: "ProvisionCredentialsPingStart",
        role: EventRole::Informational,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "Password hash sync started telling Entra ID that there are no passwords to sync ('Provision credentials ping start.'); sent every 30 minutes when nothing changed.",
            ja: "パスワード ハッシュ同期が、同期するパスワードがないことの Entra ID への通知を開始しました (「Provision credentials ping start.」)。変更がない場合に 30 分ごとに送信されます。",
        },
        cause: PHS_INFO_CAUSE,
        fix: NOTHING,
    },
    EventEntry {
        source: EventSource::DirectorySynchronization,
        id: 654,
        name: "ProvisionCredentialsPingEnd",
        role: EventRole::Informational,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "Password hash sync finished the 'no passwords to sync' ping ('Provision credentials ping end.').",
            ja: "パスワード ハッシュ同期が、同期するパスワードがないことの通知を完了しました (「Provision credentials ping end.」)。",
        },
        cause: PHS_INFO_CAUSE,
        fix: NOTHING,
    },
    EventEntry {
        source: EventSource::DirectorySynchronization,
        id: 655,
        name: "ProvisionCredentialsPingFailed",
        role: EventRole::Informational,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "The 30-minute password hash sync ping to Entra ID failed ('Failed credential provisioning ping. Error: …', with a Tracking ID).",
            ja: "30 分ごとのパスワード ハッシュ同期の通知が Entra ID で失敗しました (「Failed credential provisioning ping. Error: …」、Tracking ID 付き)。",
        },
        cause: Text {
            en: "Same causes as 652: password hash sync not activated for the tenant (Error Code 90), invalid Entra connector credentials, or network/proxy problems.",
            ja: "652 と同じく、テナントでパスワード ハッシュ同期が有効になっていない (Error Code 90)、Entra コネクタの資格情報が無効、ネットワークやプロキシの問題などが原因です。",
        },
        fix: Text {
            en: "As for 652: enable password hash sync or rerun the Entra Connect wizard, and check outbound HTTPS. Not a writeback problem.",
            ja: "652 と同様に、パスワード ハッシュ同期を有効にするか構成ウィザードを再実行し、送信 HTTPS を確認してください。ライトバックの問題ではありません。",
        },
    },
    EventEntry {
        source: EventSource::DirectorySynchronization,
        id: 656,
        name: "PasswordChangeRequest",
        role: EventRole::Informational,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "Password hash sync detected changed passwords and is sending them to Entra ID: one 'Password Change Request - Anchor: …, Dn: …, Change Date: …' line per user, 1 to 50 users per event. Users are identified by DN and base64 anchor, not UPN.",
            ja: "パスワード ハッシュ同期がパスワードの変更を検出し、Entra ID に送信しています。ユーザーごとに「Password Change Request - Anchor: …, Dn: …, Change Date: …」の行があり、1 イベントに 1～50 ユーザーが含まれます。ユーザーは UPN ではなく DN と base64 のアンカーで示されます。",
        },
        cause: PHS_INFO_CAUSE,
        fix: NOTHING,
    },
    EventEntry {
        source: EventSource::DirectorySynchronization,
        id: 657,
        name: "PasswordChangeResult",
        role: EventRole::Informational,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "Result of sending changed password hashes to Entra ID: 'Password Change Result - Anchor: …, Dn: …, Result: Success.' (or 'Result: Failed.'). After a successful writeback it confirms the new hash reached Entra ID.",
            ja: "変更されたパスワード ハッシュを Entra ID に送信した結果です (「Password Change Result - Anchor: …, Dn: …, Result: Success.」または「Result: Failed.」)。ライトバック成功の後に記録された場合は、新しいハッシュが Entra ID に届いたことを示します。",
        },
        cause: Text {
            en: "Normal password hash sync activity. 'Result: Failed' means that user's hash was not synced (sync scope or object errors); it is retried.",
            ja: "パスワード ハッシュ同期の通常の動作です。「Result: Failed」はそのユーザーのハッシュが同期されなかったこと (同期の対象範囲やオブジェクトのエラー) を示し、再試行されます。",
        },
        fix: Text {
            en: "Nothing to do for successes. For repeated failures of a user, use the Entra Connect troubleshooting task (Troubleshoot password hash synchronization) for that object.",
            ja: "成功であれば対処は不要です。同じユーザーで失敗が続く場合は、Entra Connect のトラブルシューティング タスク (パスワード ハッシュ同期のトラブルシューティング) でそのオブジェクトを確認してください。",
        },
    },
    EventEntry {
        source: EventSource::DirectorySynchronization,
        id: 6900,
        name: "PasswordChangeNotificationError",
        role: EventRole::Informational,
        category: ReasonCategory::Other,
        meaning: Text {
            en: "The server hit an unexpected error while processing a password change notification ('The server encountered an unexpected error while processing a password change notification: …'); password hash sync for that change did not complete.",
            ja: "パスワード変更通知の処理中に予期しないエラーが発生しました (「The server encountered an unexpected error while processing a password change notification: …」)。その変更のパスワード ハッシュ同期は完了していません。",
        },
        cause: Text {
            en: "Documented causes: invalid Entra connector credentials ('The user name or password is incorrect'), or password hash sync not activated for the tenant (Error Code 90).",
            ja: "ドキュメントに記載されている原因は、Entra コネクタの資格情報が無効 (「The user name or password is incorrect」)、またはテナントでパスワード ハッシュ同期が有効になっていない (Error Code 90) ことです。",
        },
        fix: Text {
            en: "Rerun the Entra Connect wizard to refresh the credentials, or enable password hash sync. Not a writeback problem.",
            ja: "Entra Connect の構成ウィザードを再実行して資格情報を更新するか、パスワード ハッシュ同期を有効にしてください。ライトバックの問題ではありません。",
        },
    },
];

/// The sync-engine codes, in numeric order. Sources: Microsoft's writeback troubleshooting
/// page (6329 variants, hr=80230402, hr=800700CE), the support article on 8023062C, and the
/// 0x80230405 case of selective password hash sync.
pub static HR_CODES: &[HrEntry] = &[
    HrEntry {
        code: "0x800700CE",
        name: "FilenameTooLong",
        category: ReasonCategory::OnpremConfig,
        meaning: Text {
            en: "'Synchronization Engine returned an error hr=800700CE, message=The filename or extension is too long' — the Win32 error ERROR_FILENAME_EXCED_RANGE, logged when a reset or an account unlock is written back.",
            ja: "「Synchronization Engine returned an error hr=800700CE, message=The filename or extension is too long」。Win32 エラー ERROR_FILENAME_EXCED_RANGE で、リセットやアカウントのロック解除の書き戻し時に記録されます。",
        },
        cause: Text {
            en: "The password of the AD DS connector account stored in Entra Connect is longer than 256 characters.",
            ja: "Entra Connect に保存されている AD DS コネクタ アカウントのパスワードが 256 文字を超えています。",
        },
        fix: Text {
            en: "Reset the connector account's password in AD DS to 256 characters or fewer, then in Synchronization Service Manager > Connectors > the AD DS connector > Properties > Connect to Active Directory Forest enter the new password, and retry.",
            ja: "AD DS でコネクタ アカウントのパスワードを 256 文字以内にリセットし、Synchronization Service Manager > [コネクタ] > AD DS コネクタ > [プロパティ] > [Connect to Active Directory Forest] で新しいパスワードを入力してから再試行してください。",
        },
    },
    HrEntry {
        code: "0x80230402",
        name: "DuplicateAnchor",
        category: ReasonCategory::OnpremConfig,
        meaning: Text {
            en: "'An attempt to get an object failed because there are duplicated entries with the same anchor.' Two on-premises objects map to the cloud user, so the sync engine cannot pick one (Microsoft's table prints the code as 'HR 8023042').",
            ja: "「An attempt to get an object failed because there are duplicated entries with the same anchor.」。クラウドのユーザーに対応するオンプレミスのオブジェクトが 2 つあり、同期エンジンがどちらか 1 つに決められません (Microsoft の表ではコードが「HR 8023042」と記載されています)。",
        },
        cause: Text {
            en: "The same user ID is enabled in several domains or forests (account and resource forest), or a non-unique anchor attribute (alias, UPN) is shared by two users.",
            ja: "同じユーザー ID が複数のドメインやフォレスト (アカウント フォレストとリソース フォレストなど) で有効になっているか、一意ではないアンカー属性 (エイリアスや UPN) を 2 人のユーザーが共有しています。",
        },
        fix: Text {
            en: "Remove or disable the duplicate account, or use a unique source anchor for every user (ms-DS-ConsistencyGuid / objectGUID), then sync and retry.",
            ja: "重複しているアカウントを削除または無効化するか、すべてのユーザーに一意のソース アンカー (ms-DS-ConsistencyGuid / objectGUID) を使用したうえで、同期して再試行してください。",
        },
    },
    HrEntry {
        code: "0x80230405",
        name: "ObjectNotFound",
        category: ReasonCategory::UserNotFound,
        meaning: Text {
            en: "'The operation failed because the object cannot be found', usually with 'No password writeback targets found.' and 'AAD anchor = User_…': the sync engine found no on-premises target for the cloud user.",
            ja: "「The operation failed because the object cannot be found」。通常は「No password writeback targets found.」と「AAD anchor = User_…」を伴い、同期エンジンがクラウドのユーザーに対応するオンプレミスの書き込み先を見つけられなかったことを示します。",
        },
        cause: Text {
            en: "The user is outside the password hash sync scope (password hash sync limited to some users or OUs), outside the sync scope, deleted on-premises, or not joined in the metaverse.",
            ja: "ユーザーがパスワード ハッシュ同期の対象範囲外 (一部のユーザーや OU に限定している場合)、同期の対象範囲外、オンプレミスで削除済み、またはメタバースで結合されていないことが原因です。",
        },
        fix: Text {
            en: "Include the user in the password hash sync scope (or remove the scoping), check the object in Synchronization Service Manager (metaverse search, connectors), run a sync and retry.",
            ja: "ユーザーをパスワード ハッシュ同期の対象に含める (または対象の絞り込みを解除する) とともに、Synchronization Service Manager でオブジェクト (メタバースの検索、コネクタ) を確認し、同期してから再試行してください。",
        },
    },
    HrEntry {
        code: "0x80230619",
        name: "PasswordPolicyRestriction",
        category: ReasonCategory::OnpremPolicy,
        meaning: Text {
            en: "'A restriction prevents the password from being changed to the current one specified.' AD DS rejected the new password under the on-premises password policy; logged by ADSync 6329 and inside PasswordResetService 33008.",
            ja: "「A restriction prevents the password from being changed to the current one specified.」。AD DS がオンプレミスのパスワード ポリシーにより新しいパスワードを拒否しました。ADSync 6329 と、PasswordResetService 33008 のメッセージ内に記録されます。",
        },
        cause: Text {
            en: "Minimum password age not reached, password history, complexity or length, a fine-grained password policy, a password filter on the DCs (Entra Password Protection DC agent, third-party), or 'User cannot change password' (PASSWD_CANT_CHANGE).",
            ja: "パスワードの最小有効期間、履歴、複雑さや文字数、細かい設定のパスワード ポリシー、DC 上のパスワード フィルター (Entra パスワード保護の DC エージェント、サードパーティ製)、または「ユーザーはパスワードを変更できない」(PASSWD_CANT_CHANGE) が原因です。",
        },
        fix: Text {
            en: "Have the user choose a password that meets the on-premises policy or wait out the minimum age; check the effective policy with Get-ADUserResultantPasswordPolicy / Get-ADDefaultDomainPasswordPolicy and clear PASSWD_CANT_CHANGE if set.",
            ja: "オンプレミスのポリシーを満たすパスワードを選ぶか、最小有効期間が過ぎるまで待つようユーザーに案内してください。適用されているポリシーを Get-ADUserResultantPasswordPolicy / Get-ADDefaultDomainPasswordPolicy で確認し、PASSWD_CANT_CHANGE が設定されていれば解除します。",
        },
    },
    HrEntry {
        code: "0x8023061F",
        name: "PasswordSyncNotEnabledOnMA",
        category: ReasonCategory::OnpremConfig,
        meaning: Text {
            en: "'The operation failed because password synchronization is not enabled on this Management Agent' (ADSync 6329): password operations for users of one forest fail with a configuration error.",
            ja: "「The operation failed because password synchronization is not enabled on this Management Agent」(ADSync 6329)。特定のフォレストのユーザーに対するパスワード操作が構成エラーで失敗します。",
        },
        cause: Text {
            en: "An Active Directory forest was added (or removed and added again) in Entra Connect after password writeback had been enabled, so its connector was never set up for writeback.",
            ja: "パスワード ライトバックを有効にした後で、Entra Connect に Active Directory フォレストを追加した (または削除して再追加した) ため、そのフォレストのコネクタがライトバック用に構成されていません。",
        },
        fix: Text {
            en: "After the forest changes are complete, disable and re-enable password writeback in the Entra Connect wizard (Optional features).",
            ja: "フォレスト構成の変更が完了した後、Entra Connect の構成ウィザードの [オプション機能] でパスワード ライトバックを無効にしてから再度有効にしてください。",
        },
    },
    HrEntry {
        code: "0x8023062C",
        name: "SecureConnectionRequired",
        category: ReasonCategory::OnpremConfig,
        meaning: Text {
            en: "'The password could not be set because the server is not configured for insecure setting of passwords, or a 128 bit TLS or SSL connection is required.' The DC refused the password write because the connection is not protected.",
            ja: "「The password could not be set because the server is not configured for insecure setting of passwords, or a 128 bit TLS or SSL connection is required.」。保護されていない接続ではパスワードを設定できないため、DC がパスワードの書き込みを拒否しました。",
        },
        cause: Text {
            en: "The AD DS connector is configured without LDAP signing and encryption, and the DC refuses to set a password over an unprotected connection.",
            ja: "AD DS コネクタで LDAP の署名と暗号化が無効になっており、DC が保護されていない接続でのパスワード設定を拒否しています。",
        },
        fix: Text {
            en: "In Synchronization Service Manager > Connectors > the AD DS connector > Properties, turn on 'Sign and Encrypt LDAP Traffic' under Connect to Active Directory Forest > Options, under Configure Directory Partitions > domain controller connection Options, and for alternate partition credentials if used; then restart the ADSync service.",
            ja: "Synchronization Service Manager > [コネクタ] > AD DS コネクタ > [プロパティ] で、[Connect to Active Directory Forest] の [オプション]、[Configure Directory Partitions] のドメイン コントローラー接続の [オプション]、および代替の資格情報を使用している場合はその [オプション] で [Sign and Encrypt LDAP Traffic] をオンにし、ADSync サービスを再起動してください。",
        },
    },
];

/// The entry of an event; None for IDs the catalog does not know (the caller labels them "unknown").
pub fn event(source: EventSource, id: u32) -> Option<&'static EventEntry> {
    EVENTS.iter().find(|e| e.source == source && e.id == id)
}

/// The entry whose documented name, or logged operation word, is `name` (case-insensitive,
/// trimmed): "ADPermissionsError", "PasswordResetStart" and "PasswordResetRequestStart" all
/// resolve. `None` for unknown names.
pub fn event_by_name(name: &str) -> Option<&'static EventEntry> {
    let q = fold(name);
    event_name_index(&q).and_then(|i| EVENTS.get(i))
}

/// Index in [`EVENTS`] of the entry a folded query names (documented name or logged alias).
fn event_name_index(q: &str) -> Option<usize> {
    if q.is_empty() {
        return None;
    }
    EVENTS.iter().position(|e| same(q, e.name)).or_else(|| {
        EVENT_NAME_ALIASES
            .iter()
            .find(|(alias, _, _)| same(q, alias))
            .and_then(|&(_, s, id)| EVENTS.iter().position(|e| e.source == s && e.id == id))
    })
}

/// The logged names of an entry that differ from its documented name.
fn event_aliases(e: &EventEntry) -> impl Iterator<Item = &'static str> + '_ {
    EVENT_NAME_ALIASES
        .iter()
        .filter(move |(_, s, id)| *s == e.source && *id == e.id)
        .map(|(alias, _, _)| *alias)
}

/// The event a folded query names by number: "33004", "event 33004", "id 6329",
/// "ADSync 6329", "PasswordResetService/33004". The source is `None` when not given.
fn event_number_of(q: &str) -> Option<(Option<EventSource>, u32)> {
    let digits = q.bytes().rev().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 5 {
        return None;
    }
    let (head, num) = q.split_at(q.len() - digits);
    let id: u32 = num.parse().ok()?;
    let head = head.trim_end_matches([' ', ':', '/', '-', '#', '=']);
    if head.is_empty() {
        return Some((None, id));
    }
    if matches!(head, "event" | "event id" | "eventid" | "id") {
        return Some((None, id));
    }
    EventSource::parse(head).map(|s| (Some(s), id))
}

/// The event ID a query names by number ("6801", "ADSync 6801", "event 6801", full-width
/// digits too), with its source when given; `None` when the query is not in that form.
pub fn event_number(query: &str) -> Option<(Option<EventSource>, u32)> {
    event_number_of(&fold(&search::narrow(query)))
}

/// Indices in [`EVENTS`] a folded query names exactly (number or name).
fn event_exact_hits(q: &str) -> Vec<usize> {
    let mut hits: Vec<usize> = Vec::new();
    if let Some((source, id)) = event_number_of(q) {
        hits.extend(
            EVENTS
                .iter()
                .enumerate()
                .filter(|(_, e)| e.id == id && source.is_none_or(|s| s == e.source))
                .map(|(i, _)| i),
        );
    }
    hits.extend(event_name_index(q));
    hits
}

/// Indices in [`EVENTS`] whose name or logged alias contains the folded query.
fn event_substring_hits(q: &str) -> Vec<usize> {
    let q = &search::spelled(q);
    let contains = |raw: &str| search::spelled(&fold(raw)).contains(q.as_str());
    EVENTS
        .iter()
        .enumerate()
        .filter(|(_, e)| contains(e.name) || event_aliases(e).any(contains))
        .map(|(i, _)| i)
        .collect()
}

/// The eight hex digits (lower case) a query names, or an alias's canonical code's digits.
fn hr_digits(code: &str) -> Option<String> {
    let t = code.trim_matches(is_pad).to_ascii_lowercase();
    let t = match t.strip_prefix("hr") {
        Some(rest) => rest.trim_start_matches([' ', '=', ':']),
        None => t.as_str(),
    };
    let t = t.strip_prefix("0x").unwrap_or(t);
    let n = t.bytes().take_while(u8::is_ascii_hexdigit).count();
    let (hex, rest) = t.split_at(n);
    if rest
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
    {
        return None;
    }
    if let Some((_, canonical)) = HR_ALIASES.iter().find(|(alias, _)| *alias == hex) {
        return canonical.strip_prefix("0x").map(str::to_ascii_lowercase);
    }
    (n == 8).then(|| hex.to_string())
}

/// Index in [`HR_CODES`] of the code a query names.
fn hr_index(code: &str) -> Option<usize> {
    let hex = hr_digits(code)?;
    HR_CODES.iter().position(|h| {
        h.code
            .strip_prefix("0x")
            .is_some_and(|d| d.eq_ignore_ascii_case(&hex))
    })
}

/// Accepts "80230619", "0x80230619", "hr=80230619", case-insensitive (also trailing text after
/// the code, as in "hr=80230619, message=…", and Microsoft's misprint "8023042").
pub fn hr_code(code: &str) -> Option<&'static HrEntry> {
    hr_index(code).and_then(|i| HR_CODES.get(i))
}

/// Indices in [`HR_CODES`] whose code or name contains the folded query.
fn hr_substring_hits(q: &str) -> Vec<usize> {
    let q = &search::spelled(q);
    let contains = |raw: &str| search::spelled(&fold(raw)).contains(q.as_str());
    HR_CODES
        .iter()
        .enumerate()
        .filter(|(_, h)| contains(h.code) || contains(h.name))
        .map(|(i, _)| i)
        .collect()
}

/// One result of [`explain_any`]: a cloud reason or SSPR code, an on-premises event, or an
/// `hr=` code.
#[derive(Debug, Clone, Copy)]
pub enum Explained {
    /// A cloud-side reason text or SSPR code ([`ENTRIES`]).
    Reason(&'static CatalogEntry),
    /// An on-premises event ([`EVENTS`]).
    Event(&'static EventEntry),
    /// A sync-engine `hr=` code ([`HR_CODES`]).
    Hr(&'static HrEntry),
}

/// For `explain CODE|TEXT|EVENT`: everything [`explain`] finds, plus on-premises events by
/// number ("33004", "ADSync 6329") or name ("ADPermissionsError", "PasswordResetRequestStart")
/// and `hr=` codes ("0x80230619", "80230402", "hr=80230619"). Full-width letters and digits
/// count as ASCII ("３３００４"). Three tiers, each tried only when the one before found
/// nothing: exact matches of any kind; entries whose wording, code or name contains the query
/// (case-insensitive, British or American spelling, query >= 4 chars); entries whose texts in
/// either language — meaning, cause, fix, the Japanese messages users see for SSPR codes —
/// hold every telling word of the query (Japanese by substring). Order: reasons (catalog
/// order), then events ([`EVENTS`] order), then hr codes; no duplicates; empty when nothing
/// matches.
pub fn explain_any(query: &str) -> Vec<Explained> {
    let query = &search::narrow(query);
    let q = fold(query);
    if q.is_empty() {
        return Vec::new();
    }
    let mut reasons = reason_exact_hits(&q);
    let mut events = event_exact_hits(&q);
    let mut hrs: Vec<usize> = hr_index(query).into_iter().collect();
    let none = |r: &[usize], e: &[usize], h: &[usize]| r.is_empty() && e.is_empty() && h.is_empty();
    if none(&reasons, &events, &hrs) && q.chars().count() >= 4 {
        reasons = reason_substring_hits(&q);
        events = event_substring_hits(&q);
        hrs = hr_substring_hits(&q);
    }
    // A query in the form of a code names that code or nothing ("ADSync 33004", "99999").
    let code_form = event_number_of(&q).is_some() || sspr_code_of(&q).is_some();
    if none(&reasons, &events, &hrs) && !code_form && hr_digits(query).is_none() {
        // Free text: the search ranks what it finds, best first.
        return search::full_text(query)
            .into_iter()
            .filter_map(|(table, i)| match table {
                0 => ENTRIES.get(i).map(Explained::Reason),
                1 => EVENTS.get(i).map(Explained::Event),
                _ => HR_CODES.get(i).map(Explained::Hr),
            })
            .collect();
    }
    for v in [&mut reasons, &mut events, &mut hrs] {
        v.sort_unstable();
        v.dedup();
    }
    let mut out: Vec<Explained> = Vec::new();
    out.extend(
        reasons
            .into_iter()
            .filter_map(|i| ENTRIES.get(i))
            .map(Explained::Reason),
    );
    out.extend(
        events
            .into_iter()
            .filter_map(|i| EVENTS.get(i))
            .map(Explained::Event),
    );
    out.extend(
        hrs.into_iter()
            .filter_map(|i| HR_CODES.get(i))
            .map(Explained::Hr),
    );
    out
}

/// Render one [`explain_any`] result for the terminal, in the layout of [`render_entry`]:
/// heading ("33004 — ADPermissionsError (PasswordResetService)", "0x80230619 —
/// PasswordPolicyRestriction"), then "Meaning:", "Likely cause:", "Fix:" (意味/考えられる原因/対処
/// for Lang::Ja), then the logged name where it differs, the role, the category and the kind.
pub fn render_explained(e: &Explained, lang: Lang) -> String {
    let entry = match e {
        Explained::Reason(entry) => return render_entry(entry, lang),
        Explained::Event(ev) => ev,
        Explained::Hr(hr) => return render_hr(hr, lang),
    };
    let [logged, role, category, kind] = match lang {
        Lang::En => ["Logged as", "Role", "Category", "Kind"],
        Lang::Ja => ["ログ上の表記", "役割", "カテゴリ", "種類"],
    };
    let mut out = format!(
        "{} — {} ({})\n",
        entry.id,
        entry.name,
        entry.source.as_str()
    );
    push_texts(&mut out, entry.meaning, entry.cause, entry.fix, lang);
    for alias in event_aliases(entry) {
        push_line(&mut out, logged, alias);
    }
    push_line(&mut out, role, &entry.role.label(lang));
    push_category(&mut out, category, entry.category, lang);
    push_line(
        &mut out,
        kind,
        match lang {
            Lang::En => "on-premises event (Application log of the Entra Connect server)",
            Lang::Ja => "オンプレミスのイベント (Entra Connect サーバーのアプリケーション ログ)",
        },
    );
    out
}

fn render_hr(hr: &HrEntry, lang: Lang) -> String {
    let [category, kind] = match lang {
        Lang::En => ["Category", "Kind"],
        Lang::Ja => ["カテゴリ", "種類"],
    };
    let mut out = format!("{} — {}\n", hr.code, hr.name);
    push_texts(&mut out, hr.meaning, hr.cause, hr.fix, lang);
    push_category(&mut out, category, hr.category, lang);
    push_line(
        &mut out,
        kind,
        match lang {
            Lang::En => "sync engine hr= code (ADSync / PasswordResetService message)",
            Lang::Ja => "同期エンジンの hr= コード (ADSync・PasswordResetService のメッセージ)",
        },
    );
    out
}

/// The Meaning / Likely cause / Fix lines.
fn push_texts(out: &mut String, meaning: Text, cause: Text, fix: Text, lang: Lang) {
    let labels = match lang {
        Lang::En => ["Meaning", "Likely cause", "Fix"],
        Lang::Ja => ["意味", "考えられる原因", "対処"],
    };
    for (label, text) in labels.into_iter().zip([meaning, cause, fix]) {
        push_line(out, label, text.get(lang));
    }
}

fn push_category(out: &mut String, label: &str, c: ReasonCategory, lang: Lang) {
    push_line(out, label, &format!("{} / {}", c.as_str(), c.label(lang)));
}

fn push_line(out: &mut String, label: &str, value: &str) {
    out.push_str(label);
    out.push_str(": ");
    out.push_str(value);
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    use ReasonCategory as C;

    /// Every reason text of formats.md §2.2 and §2.3 (plus the legacy result types), with the
    /// category it must get. Wordings are as printed there, including the LEO trailing space.
    const DOC_TEXTS: &[(&str, ReasonCategory)] = &[
        // §2.2 current step texts
        ("User submitted their user ID", C::Other),
        ("User was presented with verification options", C::Other),
        ("User started the mobile SMS verification option", C::Other),
        (
            "User completed the mobile SMS verification option",
            C::Other,
        ),
        (
            "User started the mobile voice call verification option",
            C::Other,
        ),
        (
            "User completed the mobile voice call verification option",
            C::Other,
        ),
        (
            "User started the security questions verification option",
            C::Other,
        ),
        (
            "User completed the security questions verification option",
            C::Other,
        ),
        ("User started the email verification option", C::Other),
        ("User completed the email verification option", C::Other),
        (
            "User started the mobile app notification verification option",
            C::Other,
        ),
        (
            "User completed the mobile app notification verification option",
            C::Other,
        ),
        (
            "User started the mobile app code verification option",
            C::Other,
        ),
        (
            "User completed the mobile app code verification option",
            C::Other,
        ),
        (
            "User completed all verification steps required to reset their password",
            C::Other,
        ),
        ("User submitted a new password", C::Other),
        ("User successfully reset password", C::Other),
        (
            "User cancelled before passing the required authentication methods",
            C::Canceled,
        ),
        (
            "User's account has insufficient authentication methods defined. Add authentication info to resolve this ",
            C::NotRegistered,
        ),
        ("Password reset is not enabled for this user", C::NotEnabled),
        // §2.2 legacy Abandoned
        (
            "User abandoned after completing the email verification option",
            C::Canceled,
        ),
        (
            "User abandoned after completing the mobile SMS verification option",
            C::Canceled,
        ),
        (
            "User abandoned after completing the mobile voice call verification option",
            C::Canceled,
        ),
        (
            "User abandoned after completing the office voice call verification option",
            C::Canceled,
        ),
        (
            "User abandoned after completing the security questions option",
            C::Canceled,
        ),
        ("User abandoned after entering their user ID", C::Canceled),
        (
            "User abandoned after starting the email verification option",
            C::Canceled,
        ),
        (
            "User abandoned after starting the mobile SMS verification option",
            C::Canceled,
        ),
        (
            "User abandoned after starting the mobile voice call verification option",
            C::Canceled,
        ),
        (
            "User abandoned after starting the office voice call verification option",
            C::Canceled,
        ),
        (
            "User abandoned after starting the security questions option",
            C::Canceled,
        ),
        (
            "User abandoned before selecting a new password",
            C::Canceled,
        ),
        ("User abandoned while selecting a new password", C::Canceled),
        // §2.2 legacy Blocked
        (
            "User entered too many invalid SMS verification codes and is blocked for 24 hours",
            C::Throttled,
        ),
        (
            "User tried mobile phone voice verification too many times and is blocked for 24 hours",
            C::Throttled,
        ),
        (
            "User tried office phone voice verification too many times and is blocked for 24 hours",
            C::Throttled,
        ),
        (
            "User tried to answer security questions too many times and is blocked for 24 hours",
            C::Throttled,
        ),
        (
            "User tried to verify a phone number too many times and is blocked for 24 hours",
            C::Throttled,
        ),
        // §2.2 legacy Canceled
        (
            "User canceled before passing the required authentication methods",
            C::Canceled,
        ),
        (
            "User canceled before submitting a new password",
            C::Canceled,
        ),
        // §2.2 legacy Contacted admin
        (
            "User contacted an admin after trying the email verification option",
            C::Canceled,
        ),
        (
            "User contacted an admin after trying the mobile SMS verification option",
            C::Canceled,
        ),
        (
            "User contacted an admin after trying the mobile voice call verification option",
            C::Canceled,
        ),
        (
            "User contacted an admin after trying the office voice call verification option",
            C::Canceled,
        ),
        (
            "User contacted an admin after trying the security question verification option",
            C::Canceled,
        ),
        // §2.2 legacy Failed
        (
            "Password reset is not enabled for this user. Enable password reset under the configure tab to resolve this",
            C::NotEnabled,
        ),
        (
            "User does not have a license. You can add a license to the user to resolve this",
            C::License,
        ),
        (
            "User tried to reset from a device without cookies enabled",
            C::Client,
        ),
        (
            "User's account has insufficient authentication methods defined. Add authentication info to resolve this",
            C::NotRegistered,
        ),
        (
            "User's password is managed on-premises. You can enable Password Writeback to resolve this",
            C::NotEnabled,
        ),
        (
            "We could not reach your on-premises password reset service. Check your sync machine's event log",
            C::OnpremConnectivity,
        ),
        (
            "We encountered a problem while resetting the user's on-premises password. Check your sync machine's event log",
            C::OnpremConfig,
        ),
        (
            "This user is not a member of the password reset users group. Add this user to that group to resolve this.",
            C::NotEnabled,
        ),
        (
            "Password reset has been disabled entirely for this tenant. See [here](http://aka.ms/ssprtroubleshoot) to resolve this.",
            C::NotEnabled,
        ),
        // §2.2 legacy Succeeded and result types
        ("Abandoned", C::Canceled),
        ("Blocked", C::Throttled),
        ("Canceled", C::Canceled),
        ("Contacted admin", C::Canceled),
        ("Failed", C::Other),
        ("Succeeded", C::Other),
        // §2.3
        ("Successfully completed reset.", C::Other),
        ("FuzzyPolicyViolationInvalidPassword", C::BannedPassword),
        ("PasswordDoesnotComplyFuzzyPolicy", C::BannedPassword),
        ("OnPremisesConnectivityError", C::OnpremConnectivity),
        ("OnPremisesConnectivtyFailure", C::OnpremConnectivity),
        ("OnPremisesPolicyViolation", C::OnpremPolicy),
        ("OnPremisesSuccessCloudFailure", C::CloudError),
        ("None", C::Other),
        ("On-premises policy violation", C::OnpremPolicy),
        (
            "Password doesn't comply with fuzzy policy",
            C::BannedPassword,
        ),
        // §2.1 activity
        ("Blocked from self-service password reset", C::Throttled),
    ];

    #[test]
    fn every_documented_text_classifies_to_its_category() {
        for (text, want) in DOC_TEXTS {
            let got = classify_reason(text);
            assert!(got.is_some(), "unclassified: {text:?}");
            assert_eq!(category_of(text), *want, "wrong category for {text:?}");
        }
    }

    #[test]
    fn step_and_success_texts_have_their_kinds() {
        let e = classify_reason("User submitted a new password").expect("step");
        assert_eq!(e.kind, EntryKind::Step);
        assert_eq!(e.name, "SubmittedNewPassword");
        let e = classify_reason("User submitted their user ID").expect("step");
        assert_eq!(e.name, "SubmittedUserId");
        let e = classify_reason("Successfully completed reset.").expect("success");
        assert_eq!(e.kind, EntryKind::Success);
        let e = classify_reason("User successfully reset password").expect("success");
        assert_eq!(e.kind, EntryKind::Success);
        for e in ENTRIES {
            if matches!(e.kind, EntryKind::Step | EntryKind::Success) {
                assert_eq!(e.category, C::Other, "{} should be category other", e.name);
            }
        }
    }

    #[test]
    fn normalisation_tolerates_export_noise() {
        let leo = "User's account has insufficient authentication methods defined. Add authentication info to resolve this ";
        assert_eq!(classify_reason(leo).map(|e| e.code), Some("SSPR_0014"));
        // trailing period added or removed, case, padding, doubled spaces, curly apostrophe
        assert_eq!(category_of("successfully completed reset"), C::Other);
        assert!(classify_reason("Successfully completed reset").is_some());
        assert_eq!(
            category_of(
                "  USER DOES NOT HAVE A LICENSE. You can add a license to the user to resolve this.  "
            ),
            C::License
        );
        assert_eq!(
            category_of(
                "User\u{2019}s password is managed on-premises.  You can enable Password Writeback to resolve this"
            ),
            C::NotEnabled
        );
        assert_eq!(
            category_of("\u{feff}Password reset is not enabled for this user."),
            C::NotEnabled
        );
        assert_eq!(
            category_of("onpremisesconnectivityerror"),
            C::OnpremConnectivity
        );
    }

    #[test]
    fn cancel_spellings_are_both_accepted() {
        for t in [
            "User canceled before passing the required authentication methods",
            "User cancelled before passing the required authentication methods",
            "User canceled before submitting a new password",
            "User cancelled before submitting a new password",
            "Cancelled",
            "User cancelled before doing something new",
        ] {
            assert_eq!(
                classify_reason(t).map(|e| e.name),
                Some(CANCELED_ENTRY),
                "{t:?}"
            );
        }
    }

    #[test]
    fn family_rules_cover_unlisted_variants() {
        let t = "User tried the authenticator app too many times and is blocked for 24 hours";
        assert_eq!(classify_reason(t).map(|e| e.name), Some(THROTTLE_ENTRY));
        assert_eq!(category_of(t), C::Throttled);
        let t = "User abandoned after starting the mobile app notification verification option";
        assert_eq!(classify_reason(t).map(|e| e.name), Some(ABANDONED_ENTRY));
        let t = "User contacted an admin after trying the mobile app code verification option";
        assert_eq!(
            classify_reason(t).map(|e| e.name),
            Some(CONTACTED_ADMIN_ENTRY)
        );
        // a legacy wording whose remedy sentence changed keeps its entry
        let t = "Password reset has been disabled entirely for this tenant. See https://aka.ms/ssprtroubleshoot to resolve this.";
        assert_eq!(classify_reason(t).map(|e| e.code), Some("SSPR_0009"));
        let t = "User does not have a license.";
        assert_eq!(classify_reason(t).map(|e| e.code), Some("SSPR_0012"));
        for name in [
            THROTTLE_ENTRY,
            ABANDONED_ENTRY,
            CONTACTED_ADMIN_ENTRY,
            CANCELED_ENTRY,
        ] {
            assert!(by_name(name).is_some(), "rule target {name} missing");
        }
    }

    #[test]
    fn unknown_text_is_none_and_other() {
        for t in [
            "",
            "   ",
            ".",
            "Something nobody has ever logged",
            "User",
            "Password reset is not enabled",
            "User registered Mobile Phone SMS.",
            "SSPR_0099",
        ] {
            assert!(classify_reason(t).is_none(), "{t:?} should be unknown");
            assert_eq!(category_of(t), C::Other);
        }
    }

    #[test]
    fn codes_resolve_in_every_accepted_spelling() {
        let codes: [(u32, &str); 8] = [
            (9, "TenantSSPRFlagDisabled"),
            (10, "WritebackNotEnabled"),
            (11, "SsprNotEnabledInUserPolicy"),
            (12, "UserNotLicensed"),
            (13, "UserNotMemberOfScopedAccessGroup"),
            (14, "UserNotProperlyConfigured"),
            (29, "OnPremisesAdminActionRequired"),
            (30, "OnPremisesConnectivityError"),
        ];
        for (n, name) in codes {
            let code = format!("SSPR_{n:04}");
            let spellings = [
                code.clone(),
                code.to_lowercase(),
                format!("{n:04}"),
                n.to_string(),
                name.to_string(),
                name.to_lowercase(),
                format!(" {code}: "),
                format!("SSPR-{n}"),
            ];
            for s in &spellings {
                let hits = explain(s);
                assert_eq!(
                    hits.len(),
                    1,
                    "{s:?} gave {:?}",
                    hits.iter().map(|e| e.name).collect::<Vec<_>>()
                );
                assert_eq!(hits[0].code, code, "{s:?}");
                assert_eq!(hits[0].name, name, "{s:?}");
                assert_eq!(hits[0].kind, EntryKind::Code);
            }
        }
        assert!(
            explain("OnPremisesSuccessCloudFailure")
                .iter()
                .any(|e| e.category == C::CloudError)
        );
    }

    #[test]
    fn explain_texts_and_substrings() {
        let hits = explain(
            "User does not have a license. You can add a license to the user to resolve this",
        );
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].code, "SSPR_0012");
        // substring search, catalog order, no duplicates
        let hits = explain("on-premises");
        assert!(hits.len() >= 3);
        let mut idx: Vec<usize> = hits
            .iter()
            .filter_map(|h| ENTRIES.iter().position(|e| std::ptr::eq(e, *h)))
            .collect();
        let sorted = {
            let mut s = idx.clone();
            s.sort_unstable();
            s.dedup();
            s
        };
        assert_eq!(idx, sorted);
        idx.dedup();
        assert_eq!(idx.len(), hits.len());
        assert!(explain("fuzzy").iter().any(|e| e.name == "BannedPassword"));
        assert!(
            explain("BannedPassword")
                .iter()
                .any(|e| e.code == "FuzzyPolicyViolationInvalidPassword")
        );
        // too short for a substring search, unknown, empty
        assert!(explain("lic").is_empty());
        assert!(explain("zzzz-not-a-thing").is_empty());
        assert!(explain("").is_empty());
        assert!(explain("99").is_empty());
        assert!(explain("SSPR_99999").is_empty());
        assert!(explain("12345678901234567890").is_empty());
    }

    #[test]
    fn every_entry_is_complete_in_both_languages() {
        for e in ENTRIES {
            for (what, t) in [("meaning", e.meaning), ("cause", e.cause), ("fix", e.fix)] {
                assert!(!t.en.trim().is_empty(), "{} {what} en empty", e.name);
                assert!(!t.ja.trim().is_empty(), "{} {what} ja empty", e.name);
                assert!(
                    t.ja.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)),
                    "{} {what} ja has no kana",
                    e.name
                );
            }
            assert!(!e.name.is_empty());
            for t in e.texts {
                assert_eq!(*t, t.trim_end(), "{}: wording with trailing space", e.name);
                assert!(!t.is_empty());
            }
            if matches!(
                e.kind,
                EntryKind::Failure | EntryKind::Step | EntryKind::Success
            ) {
                assert!(!e.texts.is_empty(), "{} has no wording", e.name);
            }
            if e.code.starts_with("SSPR_") {
                // the wording-to-code links are inferred: the entry must say so in both languages
                assert_eq!(e.kind, EntryKind::Code, "{}", e.name);
                assert!(
                    e.meaning.en.contains("by inference"),
                    "{} does not say inferred",
                    e.name
                );
                assert!(
                    e.meaning.ja.contains("推定"),
                    "{} does not say 推定",
                    e.name
                );
            }
        }
    }

    #[test]
    fn no_wording_code_or_name_belongs_to_two_entries() {
        let mut owner: HashMap<String, &str> = HashMap::new();
        for e in ENTRIES {
            let mut keys: Vec<String> = e.texts.iter().map(|t| fold(t)).collect();
            if !e.code.is_empty() {
                keys.push(fold(e.code));
            }
            keys.push(fold(e.name));
            keys.sort();
            keys.dedup();
            for k in keys {
                if let Some(prev) = owner.insert(k.clone(), e.name) {
                    panic!("{k:?} is in both {prev} and {}", e.name);
                }
            }
        }
        // first sentences used by the remedy-tolerant rule must be unambiguous too
        let mut firsts: HashMap<String, &str> = HashMap::new();
        for e in ENTRIES {
            for t in e.texts {
                if let Some(f) = first_sentence(t) {
                    let f = fold(f);
                    if let Some(o) = owner.get(&f) {
                        assert_eq!(
                            *o, e.name,
                            "first sentence {f:?} is another entry's wording"
                        );
                    }
                    if let Some(prev) = firsts.insert(f.clone(), e.name) {
                        assert_eq!(prev, e.name, "first sentence {f:?} shared");
                    }
                }
            }
        }
        let names: Vec<&str> = ENTRIES.iter().map(|e| e.name).collect();
        let mut dedup = names.clone();
        dedup.sort_unstable();
        dedup.dedup();
        assert_eq!(dedup.len(), names.len(), "duplicate names");
    }

    #[test]
    fn every_wording_classifies_to_its_own_entry() {
        for e in ENTRIES {
            for t in e.texts {
                let got = classify_reason(t).map(|x| x.name);
                assert_eq!(got, Some(e.name), "{t:?}");
            }
            assert_eq!(classify_reason(e.name).map(|x| x.name), Some(e.name));
        }
    }

    #[test]
    fn categories_have_stable_strings() {
        let all = ReasonCategory::all();
        assert_eq!(all.len(), 14);
        let strs: Vec<&str> = all.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            strs,
            [
                "license",
                "not_registered",
                "not_enabled",
                "banned_password",
                "onprem_policy",
                "onprem_permissions",
                "onprem_connectivity",
                "onprem_config",
                "user_not_found",
                "throttled",
                "canceled",
                "client",
                "cloud_error",
                "other"
            ]
        );
        for c in all {
            assert!(!c.label(Lang::En).is_empty() && !c.label(Lang::Ja).is_empty());
        }
        assert_eq!(Lang::default(), Lang::En);
        assert_eq!(Text { en: "a", ja: "あ" }.get(Lang::Ja), "あ");
    }

    #[test]
    fn render_has_labels_in_both_languages() {
        let e = explain("SSPR_0012")[0];
        let en = render_entry(e, Lang::En);
        assert!(en.starts_with("SSPR_0012 — UserNotLicensed\n"), "{en}");
        for label in [
            "Meaning: ",
            "Likely cause: ",
            "Fix: ",
            "Logged wordings:",
            "Category: license",
        ] {
            assert!(en.contains(label), "missing {label:?} in\n{en}");
        }
        assert!(en.contains("  - User does not have a license."));
        let ja = render_entry(e, Lang::Ja);
        for label in [
            "意味: ",
            "考えられる原因: ",
            "対処: ",
            "ログに記録される文言:",
            "カテゴリ: license",
        ] {
            assert!(ja.contains(label), "missing {label:?} in\n{ja}");
        }
        assert!(ja.contains("ライセンス"));
        // an entry without code renders its name alone; one without wordings says so
        let e = classify_reason("User submitted their user ID").expect("step");
        assert!(render_entry(e, Lang::En).starts_with("SubmittedUserId\n"));
        let e = explain("OnPremisesSuccessCloudFailure")[0];
        assert!(render_entry(e, Lang::En).starts_with("OnPremisesSuccessCloudFailure\n"));
        assert!(render_entry(e, Lang::Ja).contains("監査ログでの文言は不明"));
    }
}

#[cfg(test)]
mod onprem_tests {
    use super::*;
    use std::collections::HashSet;

    use EventSource as S;
    use ReasonCategory as C;

    /// Every PasswordResetService ID of onprem.md §1.2 (no 32006, no 32012).
    const PRS_IDS: &[u32] = &[
        31001, 31002, 31003, 31004, 31005, 31006, 31007, 31008, 31009, 31010, 31011, 31012, 31013,
        31014, 31015, 31016, 31017, 31018, 31019, 31034, 31044, 32000, 32001, 32002, 32003, 32004,
        32005, 32007, 32008, 32009, 32010, 32011, 32013, 32014, 32015, 33001, 33002, 33003, 33004,
        33005, 33006, 33007, 33008, 33009,
    ];
    /// ADSync IDs of §1.3.
    const ADSYNC_IDS: &[u32] = &[6329, 6800, 403, 405, 6100, 6946];
    /// Directory Synchronization IDs of §1.4.
    const DIRSYNC_IDS: &[u32] = &[611, 622, 623, 650, 651, 652, 653, 654, 655, 656, 657, 6900];

    fn has_kana(s: &str) -> bool {
        s.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c))
    }

    fn complete(what: &str, texts: [Text; 3]) {
        for t in texts {
            assert!(!t.en.trim().is_empty(), "{what}: empty en");
            assert!(!t.ja.trim().is_empty(), "{what}: empty ja");
            assert!(has_kana(t.ja), "{what}: ja has no kana: {}", t.ja);
        }
    }

    #[test]
    fn every_documented_id_is_known_with_both_languages() {
        for (source, ids) in [
            (S::PasswordResetService, PRS_IDS),
            (S::AdSync, ADSYNC_IDS),
            (S::DirectorySynchronization, DIRSYNC_IDS),
        ] {
            for &id in ids {
                let e = event(source, id).unwrap_or_else(|| panic!("{source:?} {id} missing"));
                assert_eq!((e.source, e.id), (source, id));
                assert!(!e.name.is_empty());
                complete(&format!("{id}"), [e.meaning, e.cause, e.fix]);
            }
        }
        assert_eq!(
            EVENTS.len(),
            PRS_IDS.len() + ADSYNC_IDS.len() + DIRSYNC_IDS.len()
        );
        for h in HR_CODES {
            complete(h.code, [h.meaning, h.cause, h.fix]);
        }
    }

    #[test]
    fn triplets_and_roles() {
        for (start, ok, fail, kind) in [
            (31001, 31002, 31003, OpKind::Reset),
            (31006, 31007, 31008, OpKind::Change),
            (31009, 31010, 31011, OpKind::AdminReset),
        ] {
            let role = |id| event(S::PasswordResetService, id).map(|e| e.role);
            assert_eq!(role(start), Some(EventRole::Start(kind)));
            assert_eq!(role(ok), Some(EventRole::Success(kind)));
            assert_eq!(role(fail), Some(EventRole::Failure(kind)));
        }
        let role = |s, id| event(s, id).map(|e| e.role);
        for id in [
            32000, 33001, 33002, 33003, 33004, 33005, 33006, 33007, 33008,
        ] {
            assert_eq!(
                role(S::PasswordResetService, id),
                Some(EventRole::ErrorDetail),
                "{id}"
            );
        }
        for id in [31034, 31044, 32001, 32002, 32011, 32013, 32015] {
            assert_eq!(
                role(S::PasswordResetService, id),
                Some(EventRole::Connectivity),
                "{id}"
            );
        }
        for id in [32005, 32007, 32009, 33009] {
            assert_eq!(
                role(S::PasswordResetService, id),
                Some(EventRole::Config),
                "{id}"
            );
        }
        for id in [6329, 6800] {
            assert_eq!(role(S::AdSync, id), Some(EventRole::Config), "{id}");
        }
        assert_eq!(
            role(S::PasswordResetService, 31015),
            Some(EventRole::ServiceStarted)
        );
        assert_eq!(
            role(S::PasswordResetService, 31016),
            Some(EventRole::ServiceStopped)
        );
        assert_eq!(
            role(S::PasswordResetService, 32014),
            Some(EventRole::ServiceBusWarning)
        );
        assert_eq!(
            role(S::PasswordResetService, 31019),
            Some(EventRole::Heartbeat)
        );
        for (s, id) in [
            (S::PasswordResetService, 31004),
            (S::PasswordResetService, 31013),
            (S::AdSync, 403),
            (S::AdSync, 405),
            (S::DirectorySynchronization, 622),
            (S::DirectorySynchronization, 657),
        ] {
            assert_eq!(role(s, id), Some(EventRole::Informational), "{id}");
        }
        // only the nine operation events carry an operation kind
        assert_eq!(
            EVENTS.iter().filter(|e| e.role.op_kind().is_some()).count(),
            9
        );
    }

    #[test]
    fn categories_of_failures() {
        let cat = |id| event(S::PasswordResetService, id).map(|e| e.category);
        assert_eq!(cat(33004), Some(C::OnpremPermissions));
        assert_eq!(cat(33008), Some(C::OnpremPolicy));
        assert_eq!(cat(33007), Some(C::OnpremPolicy));
        assert_eq!(cat(33002), Some(C::UserNotFound));
        assert_eq!(cat(31034), Some(C::OnpremConnectivity));
        assert_eq!(cat(32002), Some(C::OnpremConnectivity));
        assert_eq!(cat(33009), Some(C::OnpremConfig));
        assert_eq!(
            hr_code("0x80230619").map(|h| h.category),
            Some(C::OnpremPolicy)
        );
        assert_eq!(
            hr_code("0x80230405").map(|h| h.category),
            Some(C::UserNotFound)
        );
        for e in EVENTS {
            if matches!(
                e.role,
                EventRole::Start(_)
                    | EventRole::Success(_)
                    | EventRole::Heartbeat
                    | EventRole::ServiceStarted
            ) {
                assert_eq!(e.category, C::Other, "{} {}", e.id, e.name);
            }
            if matches!(
                e.role,
                EventRole::Connectivity | EventRole::ServiceBusWarning
            ) {
                assert_eq!(e.category, C::OnpremConnectivity, "{}", e.id);
            }
        }
    }

    #[test]
    fn no_source_id_or_name_twice() {
        let mut keys = HashSet::new();
        let mut names = HashSet::new();
        for e in EVENTS {
            assert!(
                keys.insert((e.source, e.id)),
                "{:?} {} twice",
                e.source,
                e.id
            );
            assert!(names.insert(fold(e.name)), "name {} twice", e.name);
        }
        for (alias, s, id) in EVENT_NAME_ALIASES {
            assert!(event(*s, *id).is_some(), "alias {alias} points nowhere");
            assert!(
                !names.contains(&fold(alias)),
                "alias {alias} is also a name"
            );
        }
        let mut codes = HashSet::new();
        for h in HR_CODES {
            assert!(codes.insert(h.code), "{} twice", h.code);
            assert!(h.code.starts_with("0x") && h.code.len() == 10, "{}", h.code);
            assert_eq!(h.code[2..], h.code[2..].to_ascii_uppercase(), "{}", h.code);
            assert_eq!(hr_code(h.code).map(|x| x.code), Some(h.code));
        }
    }

    #[test]
    fn unknown_ids_are_none() {
        assert!(event(S::PasswordResetService, 31099).is_none());
        assert!(event(S::PasswordResetService, 32006).is_none());
        assert!(event(S::PasswordResetService, 32012).is_none());
        assert!(event(S::AdSync, 31001).is_none());
        assert!(event(S::DirectorySynchronization, 6329).is_none());
        assert!(explain_any("31099").is_empty());
    }

    #[test]
    fn sources_parse_and_print() {
        for s in [
            S::PasswordResetService,
            S::AdSync,
            S::DirectorySynchronization,
        ] {
            assert_eq!(EventSource::parse(s.as_str()), Some(s));
        }
        assert_eq!(EventSource::parse("  adsync "), Some(S::AdSync));
        assert_eq!(
            EventSource::parse("DIRECTORY SYNCHRONIZATION"),
            Some(S::DirectorySynchronization)
        );
        assert_eq!(
            EventSource::parse("passwordresetservice"),
            Some(S::PasswordResetService)
        );
        assert_eq!(EventSource::parse("Application Error"), None);
        assert_eq!(EventSource::parse(""), None);
        assert_eq!(
            S::DirectorySynchronization.as_str(),
            "Directory Synchronization"
        );
        assert_eq!(OpKind::AdminReset.as_str(), "admin_reset");
        assert_eq!(EventRole::Failure(OpKind::Change).as_str(), "failure");
    }

    #[test]
    fn hr_codes_in_every_spelling() {
        for q in [
            "80230619",
            "0x80230619",
            "0X80230619",
            "hr=80230619",
            "HR=80230619",
            " hr=80230619, message=A restriction prevents",
            "0x80230619:",
        ] {
            assert_eq!(hr_code(q).map(|h| h.code), Some("0x80230619"), "{q:?}");
        }
        assert_eq!(hr_code("0x8023061f").map(|h| h.code), Some("0x8023061F"));
        assert_eq!(hr_code("800700ce").map(|h| h.code), Some("0x800700CE"));
        assert_eq!(hr_code("HR 8023042").map(|h| h.code), Some("0x80230402"));
        assert_eq!(
            hr_code("8023062C").map(|h| h.name),
            Some("SecureConnectionRequired")
        );
        for q in [
            "",
            "0x",
            "8023061",
            "802306190",
            "0x80230619z",
            "0x12345678",
            "hr=",
        ] {
            assert!(hr_code(q).is_none(), "{q:?}");
        }
    }

    fn names(hits: &[Explained]) -> Vec<String> {
        hits.iter()
            .map(|h| match h {
                Explained::Reason(e) => format!("reason:{}", e.name),
                Explained::Event(e) => format!("event:{}:{}", e.id, e.name),
                Explained::Hr(h) => format!("hr:{}", h.code),
            })
            .collect()
    }

    #[test]
    fn explain_any_finds_every_kind() {
        assert_eq!(
            names(&explain_any("33004")),
            ["event:33004:ADPermissionsError"]
        );
        assert_eq!(
            names(&explain_any("31002")),
            ["event:31002:PasswordResetSuccess"]
        );
        assert_eq!(names(&explain_any("6329")), ["event:6329:PasswordSetError"]);
        assert_eq!(
            names(&explain_any("ADSync 6329")),
            ["event:6329:PasswordSetError"]
        );
        assert_eq!(
            names(&explain_any("PasswordResetService/33004")),
            ["event:33004:ADPermissionsError"]
        );
        assert!(explain_any("ADSync 33004").is_empty());
        assert_eq!(names(&explain_any("0x80230619")), ["hr:0x80230619"]);
        assert_eq!(names(&explain_any("80230402")), ["hr:0x80230402"]);
        assert_eq!(names(&explain_any("hr=80230402")), ["hr:0x80230402"]);
        assert_eq!(
            names(&explain_any("ADPermissionsError")),
            ["event:33004:ADPermissionsError"]
        );
        assert_eq!(
            names(&explain_any("adpermissionserror")),
            ["event:33004:ADPermissionsError"]
        );
        assert_eq!(
            names(&explain_any("PasswordResetRequestStart")),
            ["event:31001:PasswordResetStart"]
        );
        assert_eq!(
            names(&explain_any("PasswordResetStart")),
            ["event:31001:PasswordResetStart"]
        );
        assert_eq!(
            names(&explain_any("ADMutliMatchError")),
            ["event:33003:ADMutliMatchError"]
        );
        assert_eq!(
            event_by_name("PasswordResetRequestStart").map(|e| e.id),
            Some(31001)
        );
        assert!(event_by_name("NoSuchEvent").is_none());
        // existing cloud entries keep working, alone
        assert_eq!(names(&explain_any("sspr_0012")), ["reason:UserNotLicensed"]);
        assert_eq!(names(&explain_any("12")), ["reason:UserNotLicensed"]);
        for q in [
            "SSPR_0012",
            "UserNotLicensed",
            "OnPremisesSuccessCloudFailure",
        ] {
            let old: Vec<String> = explain(q)
                .iter()
                .map(|e| format!("reason:{}", e.name))
                .collect();
            assert_eq!(names(&explain_any(q)), old, "{q}");
        }
        // explain itself is unchanged: cloud entries only
        assert!(explain("33004").is_empty());
        assert!(explain("0x80230619").is_empty());
        // substring search spans the tables, in stable order: reasons, events, hr codes
        let hits = names(&explain_any("servicebus"));
        assert!(
            hits.contains(&"event:31019:ServiceBusHeartBeat".to_string()),
            "{hits:?}"
        );
        assert!(hits.contains(&"event:32014:ServiceBusWarning".to_string()));
        assert_eq!(hits, names(&explain_any("ServiceBus")));
        let hits = explain_any("Password");
        let rank = |h: &Explained| match h {
            Explained::Reason(_) => 0,
            Explained::Event(_) => 1,
            Explained::Hr(_) => 2,
        };
        assert!(hits.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])));
        assert!(hits.iter().any(|h| matches!(h, Explained::Event(_))));
        assert!(hits.iter().any(|h| matches!(h, Explained::Hr(_))));
        assert_eq!(names(&explain_any("0619")), ["hr:0x80230619"]);
        assert!(explain_any("").is_empty());
        assert!(explain_any("zzzz-not-a-thing").is_empty());
        assert!(explain_any("123456").is_empty());
    }

    #[test]
    fn render_explained_layout() {
        let hits = explain_any("33004");
        let en = render_explained(&hits[0], Lang::En);
        assert!(
            en.starts_with("33004 — ADPermissionsError (PasswordResetService)\n"),
            "{en}"
        );
        for label in [
            "\nMeaning: ",
            "\nLikely cause: ",
            "\nFix: ",
            "\nRole: error detail",
            "\nCategory: onprem_permissions / On-premises permissions",
            "\nKind: ",
        ] {
            assert!(en.contains(label), "missing {label:?} in\n{en}");
        }
        assert!(en.contains("MSOL_") && en.contains("adminCount=1"));
        let ja = render_explained(&hits[0], Lang::Ja);
        assert!(ja.starts_with("33004 — ADPermissionsError (PasswordResetService)\n"));
        for label in [
            "\n意味: ",
            "\n考えられる原因: ",
            "\n対処: ",
            "\n役割: ",
            "\nカテゴリ: onprem_permissions / オンプレミスのアクセス許可",
        ] {
            assert!(ja.contains(label), "missing {label:?} in\n{ja}");
        }
        assert!(ja.contains("AdminSDHolder") && ja.contains("「パスワードのリセット」"));
        // the logged alias is shown
        let e = &explain_any("31001")[0];
        assert!(render_explained(e, Lang::En).contains("\nLogged as: PasswordResetRequestStart\n"));
        assert!(
            render_explained(e, Lang::Ja).contains("\nログ上の表記: PasswordResetRequestStart\n")
        );
        assert!(
            render_explained(e, Lang::En).contains("Role: start of a self-service password reset")
        );
        assert!(
            render_explained(e, Lang::Ja)
                .contains("役割: セルフサービス パスワード リセットの開始")
        );
        // hr codes
        let h = &explain_any("hr=80230619")[0];
        let en = render_explained(h, Lang::En);
        assert!(
            en.starts_with("0x80230619 — PasswordPolicyRestriction\n"),
            "{en}"
        );
        assert!(en.contains("\nCategory: onprem_policy"));
        assert!(render_explained(h, Lang::Ja).contains("\n対処: "));
        // reasons render exactly as before
        let r = &explain_any("SSPR_0012")[0];
        let old = explain("SSPR_0012")[0];
        assert_eq!(render_explained(r, Lang::En), render_entry(old, Lang::En));
        assert_eq!(render_explained(r, Lang::Ja), render_entry(old, Lang::Ja));
    }

    #[test]
    fn japanese_uses_microsoft_japan_terms() {
        let ja = |id| {
            event(S::PasswordResetService, id)
                .map(|e| format!("{}{}{}", e.meaning.ja, e.cause.ja, e.fix.ja))
        };
        let t = ja(33004).unwrap_or_default();
        assert!(
            t.contains("AD DS コネクタ アカウント")
                && t.contains("lockoutTime")
                && t.contains("pwdLastSet")
        );
        let t = ja(31034).unwrap_or_default();
        assert!(
            t.contains("Service Bus")
                && t.contains("TCP 443")
                && t.contains("パスワード ライトバック")
        );
        let t = ja(33008).unwrap_or_default();
        assert!(
            t.contains("最小有効期間") && t.contains("履歴") && t.contains("パスワード フィルター")
        );
        let t = event(S::AdSync, 6329)
            .map(|e| e.cause.ja)
            .unwrap_or_default();
        assert!(t.contains("LDAP_SERVER_POLICY_HINTS_OID"));
    }
}
