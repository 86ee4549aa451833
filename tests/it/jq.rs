//! What jq 1.6 prints, for the tests that check `--jq` against jq.
//!
//! jq 1.7 answers parts of the `--jq` subset otherwise (errors raised
//! after a `try`, among others), so a test comparing against whatever `jq`
//! is installed fails on Debian 13 or Ubuntu 24.04 with a misleading diff. jq 1.6's outputs are committed instead, in
//! `tests/fixtures/jq/jq-1.6.jsonl`, one line per (input, program): the
//! tests compare logq with them whatever jq is installed, and when the
//! installed jq is 1.6 they also run it and check that the committed
//! output is still what it prints.
//!
//! `LOGQ_JQ_GOLDEN=write` (with jq 1.6 installed) records the outputs of
//! the programs a run asks for, keeping the other lines; `LOGQ_JQ_GOLDEN=live`
//! asks jq 1.6 only, for programs not recorded (a replayed seed of
//! `jq_diff`).

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

/// The version the committed outputs are from, as `jq --version` says it.
const VERSION: &str = "jq-1.6";

/// What to install to check the outputs live.
const INSTALL: &str = "jq 1.6 (Debian 12 or Ubuntu 22.04: apt-get install jq; \
                       else https://github.com/jqlang/jq/releases/tag/jq-1.6)";

fn golden_path() -> PathBuf {
    crate::util::root().join("tests/fixtures/jq/jq-1.6.jsonl")
}

/// One recorded run: `jq -c PROGRAM` on the input named `input`, whose
/// bytes hash to `hash`, printed `output`.
#[derive(serde::Serialize, serde::Deserialize)]
struct Entry {
    input: String,
    hash: String,
    program: String,
    output: String,
}

type Key = (String, String, String);

/// The committed outputs, by (input, hash, program).
fn golden() -> &'static Mutex<BTreeMap<Key, String>> {
    static GOLDEN: OnceLock<Mutex<BTreeMap<Key, String>>> = OnceLock::new();
    GOLDEN.get_or_init(|| {
        let text = std::fs::read_to_string(golden_path()).unwrap_or_default();
        let map = text
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| {
                let e: Entry = serde_json::from_str(l)
                    .unwrap_or_else(|err| panic!("{}: {err}: {l}", golden_path().display()));
                ((e.input, e.hash, e.program), e.output)
            })
            .collect();
        Mutex::new(map)
    })
}

/// The installed jq's version (`jq-1.7.1`), `None` when there is none.
fn installed() -> Option<&'static str> {
    static VERSION: OnceLock<Option<String>> = OnceLock::new();
    VERSION
        .get_or_init(|| {
            let out = Command::new("jq").arg("--version").output().ok()?;
            Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
        })
        .as_deref()
}

/// Says once, on the terminal (past the test harness's capture), that the
/// committed outputs are not being checked live, and what to install.
fn note_not_live() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let found = installed().map_or("no jq".to_string(), |v| format!("{v}, not {VERSION}"));
        let _ = writeln!(
            std::io::stderr(),
            "note: {found} installed: --jq is compared with jq 1.6's committed outputs \
             (tests/fixtures/jq/) only; install {INSTALL} to also check them live"
        );
    });
}

/// FNV-1a: names the input's content in the key, so that a changed
/// fixture or generator finds no stale output.
fn hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Runs the installed jq 1.6: what `jq -c PROGRAM FILE` printed. Exit
/// status 5 (runtime errors on some records, which jq skips) is fine.
fn run_live(program: &str, file: &Path) -> String {
    let out = Command::new("jq")
        .args(["-c", program])
        .arg(file)
        .output()
        .expect("run jq");
    assert!(
        matches!(out.status.code(), Some(0 | 5)),
        "jq rejected {program}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("jq prints UTF-8")
}

fn write_golden(map: &BTreeMap<Key, String>) {
    let mut text = String::new();
    for ((input, hash, program), output) in map {
        let e = Entry {
            input: input.clone(),
            hash: hash.clone(),
            program: program.clone(),
            output: output.clone(),
        };
        text.push_str(&serde_json::to_string(&e).unwrap());
        text.push('\n');
    }
    let path = golden_path();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
}

/// What jq 1.6 prints for `jq -c PROGRAM FILE`: the committed output,
/// checked against the installed jq when that is 1.6. `name` names the
/// input in the committed file (a temporary file's path would change).
#[track_caller]
pub fn jq_1_6(program: &str, name: &str, file: &Path) -> String {
    let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let key = (name.to_string(), hash(&bytes), program.to_string());
    let is_1_6 = installed() == Some(VERSION);
    let mode = std::env::var("LOGQ_JQ_GOLDEN").unwrap_or_default();
    if mode == "write" || mode == "live" {
        assert!(
            is_1_6,
            "LOGQ_JQ_GOLDEN={mode} needs {VERSION}, found {:?}: install {INSTALL}",
            installed()
        );
        let live = run_live(program, file);
        if mode == "write" {
            let mut map = golden().lock().unwrap_or_else(|e| e.into_inner());
            map.insert(key, live.clone());
            write_golden(&map);
        }
        return live;
    }
    let recorded = golden()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&key)
        .cloned();
    let Some(recorded) = recorded else {
        panic!(
            "no jq 1.6 output recorded for `jq -c '{program}'` on {name}: with {INSTALL}, \
             record it with LOGQ_JQ_GOLDEN=write cargo test --test it and commit \
             tests/fixtures/jq/ (LOGQ_JQ_GOLDEN=live to only compare)"
        );
    };
    if is_1_6 {
        let live = run_live(program, file);
        assert_eq!(
            recorded, live,
            "jq 1.6 no longer prints the recorded output of `jq -c '{program}'` on {name}: \
             LOGQ_JQ_GOLDEN=write cargo test --test it records it again"
        );
    } else {
        note_not_live();
    }
    recorded
}
