//! Registration and licence exports: every format of `fixtures/directory/` tells the same story
//! (or, where a format cannot, the report says only what it can), and the sample tenant's
//! numbers match what its generator wrote by hand.

use crate::support::{fixture, run_report, temp_input};
use sspr_report::synth::sample::directory_truth;
use std::path::PathBuf;

fn dir(rel: &str) -> PathBuf {
    fixture(&format!("directory/{rel}"))
}

/// Columns of registrations.csv that come from the snapshot, by user.
fn snapshot_columns(report: &crate::support::Report) -> Vec<Vec<String>> {
    let rows = report.rows("registrations.csv");
    let header = &rows[0];
    let pick = [
        "user",
        "display_name",
        "sspr_registered",
        "sspr_enabled",
        "sspr_capable",
        "registered_methods",
        "snapshot_rows",
    ]
    .map(|name| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("column {name}"))
    });
    rows.iter()
        .skip(1)
        .map(|r| pick.iter().map(|&i| r[i].clone()).collect())
        .collect()
}

#[test]
fn every_registration_format_gives_the_same_snapshot() {
    let expected: Vec<Vec<String>> = [
        [
            "hanako.sato@contoso.co.jp",
            "佐藤 花子",
            "true",
            "true",
            "true",
            "Email; Mobile phone",
            "1",
        ],
        [
            "ichiro.suzuki@contoso.co.jp",
            "Suzuki Ichiro",
            "true",
            "true",
            "true",
            "Software OATH token",
            "1",
        ],
        [
            "kenji.tanaka@contoso.co.jp",
            "田中 健二",
            "true",
            "true",
            "true",
            "Office phone",
            "1",
        ],
        [
            "mai.hayashi@contoso.co.jp",
            "林 舞",
            "true",
            "true",
            "true",
            "Email; Security questions",
            "1",
        ],
        [
            "taro.yamada@contoso.co.jp",
            "山田 太郎",
            "true",
            "true",
            "true",
            "Microsoft Authenticator app; Mobile phone",
            "1",
        ],
        [
            "yuki.takahashi@contoso.co.jp",
            "高橋 由紀",
            "false",
            "true",
            "false",
            "",
            "1",
        ],
    ]
    .iter()
    .map(|r| r.iter().map(|s| s.to_string()).collect())
    .collect();
    for file in [
        "portal.csv",
        "portal_utf16.csv",
        "portal.xlsx",
        "userRegistrationDetails.json",
        "userRegistrationDetails_flat.csv",
        "credentialUserRegistrationDetails.json",
    ] {
        let r = run_report(&[dir(&format!("registrations/{file}"))], &[]);
        assert_eq!(r.code, 0, "{file}: {}", r.stderr);
        r.assert_accounting();
        assert_eq!(snapshot_columns(&r), expected, "{file}");
        let s = r.summary();
        let reg = &s["registrations"];
        assert_eq!(reg["snapshot_users"], 6, "{file}");
        assert_eq!(reg["snapshot_sspr_registered"], 5, "{file}");
        assert_eq!(reg["snapshot_duplicate_rows"], 0, "{file}");
        // No audit log: nothing says how many events there were, but a snapshot answers the rest.
        assert!(reg["events"].is_null(), "{file}");
        assert!(s["sspr"].is_null() && s["throttling"].is_null(), "{file}");
        assert_eq!(s["inputs"]["used"], 6, "{file}");
    }
}

#[test]
fn the_same_users_in_every_snapshot_format_are_duplicates_and_the_newest_row_wins() {
    let r = run_report(&[dir("registrations")], &[]);
    r.assert_accounting();
    let s = r.summary();
    assert_eq!(
        s["registrations"]["snapshot_duplicate_rows"], 30,
        "six files, six users"
    );
    assert_eq!(s["inputs"]["duplicate"], 30);
    assert_eq!(s["inputs"]["used"], 6);
    // Only the beta shape has no refresh time; a row with a time beats one without.
    let rows = r.rows("registrations.csv");
    let updated = rows[0]
        .iter()
        .position(|h| h == "snapshot_updated_at")
        .expect("column");
    assert!(
        rows.iter()
            .skip(1)
            .all(|row| row[updated] == "2026-10-31T21:04:00+00:00"),
        "{rows:?}"
    );
}

/// (user, reason, licenses) rows of license_gaps.csv.
fn gaps(report: &crate::support::Report) -> Vec<(String, String, String)> {
    report
        .rows("license_gaps.csv")
        .into_iter()
        .skip(1)
        .map(|r| (r[0].clone(), r[1].clone(), r[3].clone()))
        .collect()
}

fn gap(user: &str, reason: &str, licenses: &str) -> (String, String, String) {
    (user.into(), reason.into(), licenses.into())
}

#[test]
fn licence_formats_agree_where_they_can() {
    let snapshot = dir("registrations/userRegistrationDetails.json");
    let yuki = [
        gap(
            "yuki.takahashi@contoso.co.jp",
            "writeback_without_p1",
            "Unlicensed",
        ),
        gap(
            "yuki.takahashi@contoso.co.jp",
            "sspr_enabled_unlicensed",
            "Unlicensed",
        ),
    ];
    // The admin center list shows products, not disabled plans: ichiro's E3 looks like P1, and
    // the custom bundle is unknown (so kenji is neither flagged nor cleared).
    for (file, hanako_label, bundle) in [
        ("ActiveUsers.csv", "Office 365 E3", "Contoso Custom Bundle"),
        (
            "ActiveUsers_skuid.csv",
            "ENTERPRISEPACK",
            "CONTOSO_CUSTOM_BUNDLE",
        ),
    ] {
        let r = run_report(&[dir(&format!("licenses/{file}")), snapshot.clone()], &[]);
        assert_eq!(r.code, 0, "{file}: {}", r.stderr);
        r.assert_accounting();
        let mut want = vec![gap(
            "hanako.sato@contoso.co.jp",
            "writeback_without_p1",
            hanako_label,
        )];
        want.extend(yuki.iter().cloned());
        assert_eq!(gaps(&r), want, "{file}");
        let lg = &r.summary()["license_gaps"];
        assert_eq!(lg["users"], 2, "{file}");
        assert_eq!(
            lg["license_list_users"], 6,
            "{file}: the sync account is no user"
        );
        assert_eq!(lg["unrecognised_license_users"], 1, "{file}");
        assert_eq!(lg["unrecognised_products"][0], bundle, "{file}");
        assert!(
            r.stdout
                .contains("licence products with no known service plans"),
            "{}",
            r.stdout
        );
    }
    // Graph shows disabledPlans: ichiro's E3 without AAD_PREMIUM is no P1.
    let ichiro = gap(
        "ichiro.suzuki@contoso.co.jp",
        "writeback_without_p1",
        "SPE_E3",
    );
    let hanako = gap(
        "hanako.sato@contoso.co.jp",
        "writeback_without_p1",
        "ENTERPRISEPACK",
    );
    let graph_rows = vec![
        hanako.clone(),
        ichiro.clone(),
        yuki[0].clone(),
        yuki[1].clone(),
    ];
    let r = run_report(&[dir("licenses/users.json"), snapshot.clone()], &[]);
    r.assert_accounting();
    assert_eq!(gaps(&r), graph_rows, "users.json alone");
    assert_eq!(r.summary()["license_gaps"]["unrecognised_license_users"], 1);
    // subscribedSkus, an expanded licenseDetails or the user's licenseDetails page resolve the
    // bundle: kenji holds P1 through it, and nothing is unknown any more.
    for inputs in [
        vec!["licenses/users.json", "licenses/subscribedSkus.json"],
        vec!["licenses/users_licenseDetails.json"],
        vec!["licenses/users.json", "licenses/licenseDetails_kenji.json"],
    ] {
        let mut paths: Vec<PathBuf> = inputs.iter().map(|i| dir(i)).collect();
        paths.push(snapshot.clone());
        let r = run_report(&paths, &[]);
        assert_eq!(r.code, 0, "{inputs:?}: {}", r.stderr);
        r.assert_accounting();
        assert_eq!(gaps(&r), graph_rows, "{inputs:?}");
        let lg = &r.summary()["license_gaps"];
        assert_eq!(lg["unrecognised_license_users"], 0, "{inputs:?}");
        assert_eq!(
            lg["unrecognised_products"].as_array().map(Vec::len),
            Some(0),
            "{inputs:?}"
        );
    }
}

#[test]
fn without_a_snapshot_only_sspr_use_or_the_audit_log_can_flag_a_user() {
    let r = run_report(&[dir("licenses/users.json")], &[]);
    r.assert_accounting();
    assert!(
        gaps(&r).is_empty(),
        "no flows and no snapshot: nobody is known to use SSPR"
    );
    let lg = &r.summary()["license_gaps"];
    assert_eq!(lg["users"], 0);
    assert!(
        lg["by_reason"]["writeback_without_p1"].is_null(),
        "nothing shows who uses SSPR: zero would be a claim nobody checked"
    );
    assert!(
        lg["by_reason"]["sspr_enabled_unlicensed"].is_null(),
        "needs a snapshot"
    );
    assert!(
        r.summary()["registrations"].is_null(),
        "no registration input"
    );
}

#[test]
fn usage_records_of_both_apis_count_once() {
    let r = run_report(&[dir("usage")], &["--month", "2026-10"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.assert_accounting();
    let s = r.summary();
    // Three successful registrations; the reset and the failed registration are out of scope.
    assert_eq!(s["registrations"]["events"], 3);
    assert_eq!(s["registrations"]["users"], 2);
    assert_eq!(
        s["inputs"]["duplicate"], 6,
        "the successor API returns the same six records"
    );
    assert_eq!(s["inputs"]["used"], 3);
    assert_eq!(s["inputs"]["out_of_scope"], 3);
    let rows = r.rows("registrations.csv");
    assert_eq!(rows[1][0], "hanako.sato@contoso.co.jp");
    assert_eq!(
        rows[2][0..4],
        [
            "taro.yamada@contoso.co.jp",
            "2",
            "2",
            "Microsoft Authenticator app; Mobile phone"
        ]
    );
}

#[test]
fn sample_tenant_registrations_and_licence_gaps() {
    let r = run_report(
        &[crate::support::fixture("sample")],
        &["--month", "2026-10", "--tz", "Asia/Tokyo"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = r.summary();
    let reg = &s["registrations"];
    assert_eq!(reg["snapshot_users"], directory_truth::SNAPSHOT_USERS);
    assert_eq!(
        reg["snapshot_duplicate_rows"],
        directory_truth::SNAPSHOT_DUPLICATE_ROWS
    );
    assert_eq!(
        reg["snapshot_sspr_registered"],
        directory_truth::SSPR_REGISTERED
    );
    assert_eq!(reg["snapshot_sspr_enabled"], directory_truth::SSPR_ENABLED);
    assert_eq!(reg["snapshot_sspr_capable"], directory_truth::SSPR_CAPABLE);
    let lg = &s["license_gaps"];
    assert_eq!(
        lg["license_list_users"],
        directory_truth::LICENSE_LIST_USERS
    );
    let got: Vec<(String, String)> = gaps(&r)
        .into_iter()
        .map(|(u, reason, _)| (u, reason))
        .collect();
    let want: Vec<(String, String)> = directory_truth::GAPS
        .iter()
        .map(|(u, reason)| (u.to_string(), reason.to_string()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn malformed_registration_and_licence_rows_are_rejected_with_reasons() {
    let (_a, reg) = temp_input(
        "registration.csv",
        "User principal name,SSPR Registered,SSPR Enabled,Methods registered,Last Updated Time\r\n\
         a@x.jp,Registered,Enabled,Mobile phone,2026-10-31T21:04:11Z\r\n\
         ,Registered,Enabled,Email,2026-10-31T21:04:11Z\r\n\
         b@x.jp,Perhaps,Enabled,Email,2026-10-31T21:04:11Z\r\n\
         c@x.jp,Registered,Enabled,Email,yesterday\r\n"
            .as_bytes(),
    );
    let (_b, users) = temp_input(
        "users.json",
        br#"{"value":[
            {"userPrincipalName":"a@x.jp","onPremisesSyncEnabled":true,"assignedLicenses":[]},
            {"userPrincipalName":"b@x.jp","onPremisesSyncEnabled":"yes","assignedLicenses":[]},
            {"userPrincipalName":"c@x.jp","assignedLicenses":[{"disabledPlans":[]}]}
        ]}"#,
    );
    let r = run_report(&[reg, users], &[]);
    r.assert_accounting();
    let rejects = r.rows("rejects.csv");
    let reasons: Vec<String> = rejects
        .iter()
        .skip(1)
        .map(|row| format!("{} {}: {}", row[0], row[1], row[2]))
        .collect();
    assert_eq!(reasons.len(), 5, "{reasons:?}");
    assert!(
        reasons[0].contains("registration.csv line 3: missing user principal name"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].contains("line 4: SSPR Registered: 'Perhaps' is not a yes/no value"),
        "{reasons:?}"
    );
    assert!(
        reasons[2].contains("line 5: Last Updated Time 'yesterday' is not a timestamp"),
        "{reasons:?}"
    );
    assert!(
        reasons[3].contains("users.json record 2") && reasons[3].contains("onPremisesSyncEnabled"),
        "{reasons:?}"
    );
    assert!(
        reasons[4].contains("record 3") && reasons[4].contains("skuId"),
        "{reasons:?}"
    );
    // a@x.jp is synced, SSPR enabled and unlicensed: both reasons.
    assert_eq!(gaps(&r).len(), 2);
}
