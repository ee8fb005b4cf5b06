//! Knowledge base for cloud-side SSPR reasons: every result-reason text the Entra audit log is
//! known to carry for self-service password reset, and the user-facing SSPR_00xx error codes,
//! each mapped to a stable name, a failure category (a report column) and a meaning, likely
//! cause and fix in English and Japanese.
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
//! - The types are ready for on-premises event entries (Entra Connect 31xxx/32xxx/33xxx, ADSync
//!   6329…): such an entry would use the numeric ID as `code` (`"33004"`), one of the `onprem_*`
//!   categories, and a new `EntryKind` variant; `explain` already tries an exact `code` match
//!   before the SSPR number forms, so `explain 33004` will work without further changes.

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

/// Exact lookup of a folded text: wordings first (they are what logs carry), then code/name.
fn find_exact(q: &str) -> Option<&'static CatalogEntry> {
    if q.is_empty() {
        return None;
    }
    ENTRIES
        .iter()
        .find(|e| e.texts.iter().any(|t| same(q, t)))
        .or_else(|| {
            ENTRIES
                .iter()
                .find(|e| (!e.code.is_empty() && same(q, e.code)) || same(q, e.name))
        })
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
    ENTRIES.iter().find(|e| {
        e.texts.iter().any(|t| match first_sentence(t) {
            Some(first) => {
                let f = fold(first);
                q.strip_prefix(f.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
            }
            None => false,
        })
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

/// For `explain CODE|TEXT`: accepts "SSPR_0012", "sspr_0012", "0012", "12" (the enum number),
/// enum/name "UserNotLicensed", an exact reason text (normalised as in [`classify_reason`]),
/// else entries whose wording, code or name contains the query (case-insensitive, query >= 4
/// chars). Returns matches in catalog order, no duplicates; empty when nothing matches.
pub fn explain(query: &str) -> Vec<&'static CatalogEntry> {
    let q = fold(query);
    if q.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<usize> = Vec::new();
    let code = sspr_code_of(&q);
    for (i, e) in ENTRIES.iter().enumerate() {
        let by_code = !e.code.is_empty()
            && (same(&q, e.code) || code.as_deref().is_some_and(|c| c == e.code));
        if by_code || same(&q, e.name) {
            hits.push(i);
        }
    }
    if let Some(e) = classify_folded(&q)
        && let Some(i) = ENTRIES.iter().position(|x| std::ptr::eq(x, e))
    {
        hits.push(i);
    }
    if hits.is_empty() && q.chars().count() >= 4 {
        for (i, e) in ENTRIES.iter().enumerate() {
            let contains = |raw: &str| fold(raw).contains(q.as_str());
            if e.texts.iter().any(|t| contains(t)) || contains(e.code) || contains(e.name) {
                hits.push(i);
            }
        }
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
