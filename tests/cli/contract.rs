//! The output contract (design §5) is whole on every run: every CSV file is written, header only
//! when the inputs cannot fill it, and machine outputs carry exact numbers.

use crate::support::{fixture, run_report, temp_input};

/// The CSV files of design §5, with their first columns.
const CONTRACT: [(&str, &str); 11] = [
    ("summary.csv", "section,metric,value"),
    (
        "flows.csv",
        "correlation_id,user,kind,outcome,started_at,date,failure_reason,reason_category,onprem,onprem_result,onprem_error_code",
    ),
    ("daily.csv", "date,kind,outcome,flows"),
    (
        "failure_reasons.csv",
        "source,code,reason,category,count,share,remedy",
    ),
    (
        "throttling.csv",
        "user,status,block_events,first_blocked_at,last_blocked_at,blocked_until,max_flows_in_window",
    ),
    (
        "registrations.csv",
        "user,events,distinct_methods,methods,first_at,last_at,repeat_events",
    ),
    ("license_gaps.csv", "user,reason,evidence,licenses"),
    (
        "writeback_events.csv",
        "time,computer,source,event_id,name,user,tracking_id,error_code,message",
    ),
    (
        "writeback_health.csv",
        "date,requests,succeeded,failed,service_stops,outage_minutes,connectivity_errors,config_errors",
    ),
    ("rejects.csv", "file,location,reason"),
    ("inputs.csv", "file,"),
];

#[test]
fn every_contract_file_is_written_whatever_the_inputs() {
    let (_d, nothing) = temp_input("notes.txt", b"nothing an export would hold\n");
    let cases = [
        ("nothing recognisable", vec![nothing]),
        (
            "an audit log only",
            vec![fixture("formats/portal_current_utf8bom.csv")],
        ),
        ("an on-prem log only", vec![fixture("onprem/evtx")]),
    ];
    for (what, inputs) in cases {
        let r = run_report(&inputs, &[]);
        assert_eq!(r.code, 0, "{what}: {}", r.stderr);
        for (file, header) in CONTRACT {
            assert!(r.out.join(file).is_file(), "{what}: {file} missing");
            let text = r.file(file);
            assert!(
                text.starts_with(header),
                "{what}: {file} starts {:?}",
                text.lines().next()
            );
        }
        assert!(r.out.join("summary.json").is_file(), "{what}");
    }
}

#[test]
fn rates_and_shares_are_exact_in_machine_outputs() {
    let r = run_report(
        &[fixture("sample")],
        &["--month", "2026-10", "--tz", "Asia/Tokyo"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = &r.summary()["sspr"];
    let n = |k: &str| s[k].as_u64().expect(k) as f64;
    assert_eq!(
        s["failure_rate"].as_f64(),
        Some((n("failed") + n("blocked")) / n("flows"))
    );
    assert_eq!(
        s["success_rate"].as_f64(),
        Some(n("succeeded") / n("flows"))
    );
    assert_eq!(
        s["abandon_rate"].as_f64(),
        Some(n("abandoned") / n("flows"))
    );
    // summary.csv says the same, in the shortest form that reads back to the same double.
    let rows = r.rows("summary.csv");
    let csv_rate = rows
        .iter()
        .find(|row| row[0] == "sspr" && row[1] == "failure_rate")
        .expect("failure_rate row");
    assert_eq!(
        csv_rate[2].parse::<f64>().ok(),
        s["failure_rate"].as_f64(),
        "{csv_rate:?}"
    );
    // Shares of the cloud failure reasons are count / (failed + blocked), exactly.
    let reasons = r.rows("failure_reasons.csv");
    let failed = n("failed") + n("blocked");
    for row in reasons.iter().skip(1).filter(|row| row[0] == "cloud") {
        let count: f64 = row[4].parse().expect("count");
        assert_eq!(row[5].parse::<f64>().ok(), Some(count / failed), "{row:?}");
    }
}

/// writeback_events.csv, flows.csv and registrations.csv are written part by part from the
/// model when no workbook needs the whole tables, and from the whole tables with `--xlsx`: the
/// bytes are the same, pseudonymized or not. (The sample fits in one part; the boundaries
/// between parts are tested in `render::report`.)
#[test]
fn large_tables_are_the_same_written_in_parts_or_whole() {
    let sample = vec![fixture("sample")];
    for extra in [&[][..], &["--pseudonymize", "a-long-enough-secret-key"][..]] {
        let base = ["--month", "2026-10", "--tz", "Asia/Tokyo", "--no-charts"];
        let parts = run_report(&sample, &[&base[..], extra].concat());
        let whole = run_report(&sample, &[&base[..], extra, &["--xlsx"][..]].concat());
        assert_eq!(parts.code, 0, "{}", parts.stderr);
        assert_eq!(whole.code, 0, "{}", whole.stderr);
        for name in ["writeback_events.csv", "flows.csv", "registrations.csv"] {
            let (a, b) = (parts.file(name), whole.file(name));
            assert!(a.lines().count() > 10, "the sample fills {name}: {a}");
            assert_eq!(a, b, "{name}");
        }
        // The page's error events: filtered on the events when written in parts, on the
        // whole table's rows with --xlsx.
        let title = "On-premises writeback errors";
        let (a, b) = (parts.file("index.html"), whole.file("index.html"));
        let (a, b) = (
            crate::support::section(&a, title),
            crate::support::section(&b, title),
        );
        assert!(
            a.matches("<tr>").count() > 3,
            "the sample has error events: {a}"
        );
        assert_eq!(a, b);
    }
}
