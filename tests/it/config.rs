//! `LOGQ_CONFIG`: default flags from a file, the command line still wins.

use crate::util::*;

fn config(lines: &str) -> tempfile::NamedTempFile {
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), lines).unwrap();
    f
}

#[test]
fn config_file_adds_field_maps_for_every_subcommand() {
    let cfg = config("# gateway logs\n--field-map=level=sev\n--field-map=message=body\n");
    let file = fixture("formats/custom_fields.jsonl");
    let out = logq()
        .env("LOGQ_CONFIG", cfg.path())
        .args(["-l", "error", "-o", "logfmt", &file])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&out),
        "time=2024-01-15T10:30:04Z level=error msg=\"upstream timeout: billing-svc\" src=gw.proxy req=req-cf-2\n\
         time=2024-01-15T10:30:06Z level=critical msg=\"certificate expired\" src=gw.tls\n\
         time=2024-01-15T10:30:09Z level=error msg=\"health check failed: billing-svc\" src=gw.health\n"
    );
    assert_eq!(out.status.code(), Some(0));
    let stats = logq()
        .env("LOGQ_CONFIG", cfg.path())
        .args(["stats", "--json", &file])
        .output()
        .unwrap();
    assert!(stdout(&stats).contains("\"ERROR\""), "{}", stdout(&stats));
}

#[test]
fn command_line_wins_over_config() {
    let cfg = config("--output=json\n");
    let file = fixture("formats/custom_fields.jsonl");
    let out = logq()
        .env("LOGQ_CONFIG", cfg.path())
        .args(["-n", "1", "-o", "raw", &file])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&out),
        "{\"ts\":\"2024-01-15T10:30:00.000Z\",\"sev\":\"INFO\",\"body\":\"gateway started\",\"src\":\"gw.main\"}\n"
    );
}

#[test]
fn unreadable_config_is_an_error_naming_it() {
    let out = logq()
        .env("LOGQ_CONFIG", "/nonexistent/logq.conf")
        .args(["-n", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("logq: config file /nonexistent/logq.conf: "),
        "{}",
        stderr(&out)
    );
}
