//! Coverage warnings: a report whose audit log does not cover the period says so.

use crate::support::{run_report, temp_input};

fn csv_for_days(days: std::ops::RangeInclusive<u32>) -> String {
    let mut s =
        "\"Date (UTC)\",\"CorrelationId\",\"Service\",\"Activity\",\"Result\",\"ResultReason\"\r\n"
            .to_string();
    for day in days {
        for hour in (0..24).step_by(2) {
            s += &format!(
                "\"2026-10-{day:02}T{hour:02}:10:00Z\",\"n{day}-{hour}\",\"Core Directory\",\"Update user\",\"success\",\"\"\r\n"
            );
        }
    }
    s
}

#[test]
fn a_log_that_starts_late_and_has_a_hole_is_flagged() {
    let mut csv = csv_for_days(20..=24);
    csv += &csv_for_days(27..=31)
        .lines()
        .skip(1)
        .map(|l| format!("{l}\r\n"))
        .collect::<String>();
    let (_d, path) = temp_input("late.csv", csv.as_bytes());
    let r = run_report(&[path], &["--month", "2026-10"]);
    let warnings = r.summary()["coverage"]["warnings"].clone();
    let text = warnings.to_string();
    assert!(
        text.contains("The audit log starts at 2026-10-20T00:10:00+00:00"),
        "{text}"
    );
    assert!(
        text.contains(
            "No audit log records from 2026-10-24T22:10:00+00:00 to 2026-10-27T00:10:00+00:00 (50 h)"
        ),
        "{text}"
    );
    assert!(!text.contains("ends at"), "{text}");
    assert_eq!(
        r.summary()["coverage"]["sources"][0]["gaps"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[test]
fn a_log_entirely_outside_the_period_is_flagged() {
    let (_d, path) = temp_input(
        "sept.csv",
        csv_for_days(1..=2)
            .replace("2026-10-", "2026-09-")
            .as_bytes(),
    );
    let r = run_report(&[path], &["--month", "2026-10"]);
    r.assert_accounting();
    let text = r.summary()["coverage"]["warnings"].to_string();
    assert!(
        text.contains("No audit log record lies inside the period"),
        "{text}"
    );
    assert_eq!(r.summary()["inputs"]["out_of_scope"], 24);
}
