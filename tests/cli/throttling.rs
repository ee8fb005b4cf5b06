//! Throttling knobs: `--throttle-threshold` and `--throttle-window` change who is inferred
//! throttled, and the report says which values were used.

use crate::support::{fixture, run_report};

/// (user, status, max_flows_in_window) rows of throttling.csv.
fn rows(r: &crate::support::Report) -> Vec<(String, String, String)> {
    r.rows("throttling.csv")
        .into_iter()
        .skip(1)
        .map(|row| (row[0].clone(), row[1].clone(), row[6].clone()))
        .collect()
}

fn row(user: &str, status: &str, max: &str) -> (String, String, String) {
    (user.into(), status.into(), max.into())
}

#[test]
fn threshold_and_window_decide_who_is_inferred() {
    let sample = fixture("sample");
    let base = ["--month", "2026-10", "--tz", "Asia/Tokyo", "--quiet"];
    let run = |extra: &[&str]| {
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(extra);
        let r = run_report(std::slice::from_ref(&sample), &args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r
    };
    let rina = row("rina.ogawa@contoso.co.jp", "throttled", "1");
    let yuta = row("yuta.mori@contoso.co.jp", "throttled", "6");

    // Six attempts in 40 minutes and no block record: inferred at the default 5 per hour.
    let r = run(&[]);
    assert_eq!(
        rows(&r),
        [
            rina.clone(),
            yuta.clone(),
            row("jun.kondo@contoso.co.jp", "inferred", "6")
        ]
    );
    let t = &r.summary()["throttling"];
    assert_eq!(
        (t["threshold"].as_u64(), t["window"].as_str()),
        (Some(5), Some("1h"))
    );
    assert_eq!(t["inferred_throttled_users"], 1);

    // Seven needed: nobody is inferred; the blocked users stay.
    let r = run(&["--throttle-threshold", "7"]);
    assert_eq!(rows(&r), [rina.clone(), yuta.clone()]);
    assert_eq!(r.summary()["throttling"]["threshold"], 7);

    // A 10-minute window holds at most two of jun's attempts.
    let r = run(&["--throttle-window", "10m"]);
    let got = rows(&r);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(r.summary()["throttling"]["window"], "10m");
    assert_eq!(r.summary()["throttling"]["inferred_throttled_users"], 0);
}
