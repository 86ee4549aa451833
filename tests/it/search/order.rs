//! Chronological order across inputs, and what `search` keeps of it:
//! `-n`, `--tail`, `--reverse`, `--count`, `--count --by category`.

use super::*;
use crate::util::*;

#[test]
fn records_of_all_files_come_out_in_time_order() {
    let out = logq().args([LOGS, "-c", "req-trace-42"]).output().unwrap();
    let want = [
        (CHAT, 12),
        (CHAT, 13),
        (CHAT, 14),
        (CHAT, 15),
        (CHAT, 16),
        (APP, 16),
    ];
    check(&out, &records(&want), "", 0);

    let out = logq().args([LOGS, "-o", "json"]).output().unwrap();
    let times: Vec<String> = stdout(&out)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["timestamp"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(times.len(), 91);
    let parsed: Vec<chrono::DateTime<chrono::Utc>> =
        times.iter().map(|t| t.parse().unwrap()).collect();
    assert!(parsed.windows(2).all(|w| w[0] <= w[1]), "{times:#?}");
}

#[test]
fn ties_keep_the_order_of_the_inputs() {
    // _index.jsonl is walked before ing_abc123.jsonl; both have records at
    // 10:00:01 and at 10:00:11.750. App line 7 is 11:05+01:00 = 10:05Z.
    let out = logq()
        .args([
            LOGS,
            "--since",
            "2024-01-15 10:00",
            "--until",
            "2024-01-15 10:31",
        ])
        .output()
        .unwrap();
    let want = [
        (INDEX, 1),
        (INDEX, 2),
        (ING, 1),
        (ING, 2),
        (ING, 3),
        (ING, 4),
        (ING, 5),
        (ING, 6),
        (ING, 7),
        (ING, 8),
        (ING, 9),
        (INDEX, 3),
        (ING, 10),
        (INDEX, 4),
        (INDEX, 5),
        (INDEX, 6),
        (APP, 7),
        (APP, 8),
        (CHAT, 6),
        (AUDIT, 3),
        (CHAT, 7),
        (APP, 9),
    ];
    check(&out, &records(&want), "", 0);
    // Given in the other order, the tie goes the other way.
    let out = logq()
        .args([
            &fixture(ING),
            &fixture(INDEX),
            "--since",
            "2024-01-15T10:00:01Z",
            "-n",
            "2",
        ])
        .output()
        .unwrap();
    check(&out, &records(&[(ING, 1), (INDEX, 2)]), "", 0);
}

#[test]
fn records_without_time_keep_their_place_in_their_file() {
    let dir = tempdir();
    let a = write(
        dir.path(),
        "a.jsonl",
        b"{\"ts\":1,\"msg\":\"a1\"}\n{\"msg\":\"a-none\"}\n{\"ts\":5,\"msg\":\"a5\"}\n",
    );
    let b = write(
        dir.path(),
        "b.jsonl",
        b"{\"ts\":1,\"msg\":\"b1\"}\n{\"ts\":3,\"msg\":\"b3\"}\n",
    );
    let out = logq().args([&a, &b]).output().unwrap();
    let want = "{\"ts\":1,\"msg\":\"a1\"}\n{\"msg\":\"a-none\"}\n{\"ts\":1,\"msg\":\"b1\"}\n\
                {\"ts\":3,\"msg\":\"b3\"}\n{\"ts\":5,\"msg\":\"a5\"}\n";
    check(&out, want, "", 0);
    // Python `%(levelname)s:%(name)s:%(message)s` lines have no time.
    let py = "formats/python_logging.log";
    let out = logq()
        .args([&fixture(py), "-m", "src.worker*", "-m", "src.db"])
        .output()
        .unwrap();
    check(&out, &lines(py, &[11, 12, 13, 14, 15, 16]), "", 0);
}

#[test]
fn max_count_keeps_the_first_n() {
    let out = logq().args([LOGS, "-n", "3"]).output().unwrap();
    check(&out, &lines(GZ, &[1, 2, 3]), "", 0);
    let out = logq()
        .args([LOGS, "--max-count", "2", "-l", "error", "--since", "today"])
        .output()
        .unwrap();
    check(&out, &records(&[(ING, 5), (ING, 6)]), "", 0);
}

#[test]
fn max_count_zero_finds_nothing() {
    let out = logq().args([LOGS, "-n", "0"]).output().unwrap();
    check(&out, "", "", 1);
}

#[test]
fn tail_keeps_the_last_n() {
    let out = logq().args([LOGS, "--tail", "2"]).output().unwrap();
    check(&out, &records(&[(CHAT, 21), (APP, 29)]), "", 0);
    let out = logq()
        .args([LOGS, "--tail", "3", "-l", "error"])
        .output()
        .unwrap();
    check(&out, &records(&[(APP, 22), (CHAT, 19), (APP, 27)]), "", 0);
    let out = logq()
        .args([LOGS, "--tail", "1000", "--count"])
        .output()
        .unwrap();
    check(&out, "91\n", "", 0);
}

#[test]
fn tail_and_max_count_conflict() {
    let out = logq()
        .args([LOGS, "--tail", "2", "-n", "2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot be used with"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn reverse_is_newest_first() {
    let out = logq()
        .args([LOGS, "--reverse", "-n", "2"])
        .output()
        .unwrap();
    check(&out, &records(&[(APP, 29), (CHAT, 21)]), "", 0);
    let out = logq()
        .args([LOGS, "--reverse", "--tail", "3", "-l", "error"])
        .output()
        .unwrap();
    check(&out, &records(&[(APP, 27), (CHAT, 19), (APP, 22)]), "", 0);
    let forward = stdout(&logq().arg(LOGS).output().unwrap());
    let mut want: Vec<&str> = forward.split_inclusive('\n').collect();
    want.reverse();
    let backward = logq().args([LOGS, "--reverse"]).output().unwrap();
    check(&backward, &want.concat(), "", 0);
}

#[test]
fn count_prints_the_number_of_matches() {
    let out = logq().args([LOGS, "--count"]).output().unwrap();
    check(&out, "91\n", "", 0);
    let out = logq()
        .args([LOGS, "--count", "-l", "critical", "-o", "json"])
        .output()
        .unwrap();
    check(&out, "{\"count\":2}\n", "", 0);
    let out = logq()
        .args([LOGS, "--count", "-c", "no-such-id"])
        .output()
        .unwrap();
    check(&out, "0\n", "", 1);
}

#[test]
fn count_by_category() {
    let out = logq()
        .args([LOGS, "--count", "--by", "category", "-l", "warn"])
        .output()
        .unwrap();
    check(
        &out,
        "app        12\naudit      2\nchat       4\ningestion  2\nsecurity   1\n",
        "",
        0,
    );
    let out = logq()
        .args([LOGS, "--count", "--by", "category", "-o", "json"])
        .output()
        .unwrap();
    check(
        &out,
        "{\"app\":39,\"audit\":10,\"chat\":21,\"ingestion\":20,\"security\":1}\n",
        "",
        0,
    );
    let out = logq().args([LOGS, "--by", "category"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "--by needs --count");
}

#[test]
fn search_is_the_default_subcommand() {
    let explicit = logq()
        .args(["search", LOGS, "-l", "critical"])
        .output()
        .unwrap();
    let implicit = logq().args([LOGS, "-l", "critical"]).output().unwrap();
    check(&explicit, &records(&[(GZ, 8), (APP, 22)]), "", 0);
    check(&implicit, &records(&[(GZ, 8), (APP, 22)]), "", 0);
}
