//! The source column of pretty output: which file each record came from,
//! when records come from several files; role fields shown once.

use crate::util::*;

const ESC: &str = "\x1b";

/// Two loguru services in one folder whose module is `__main__` in both:
/// without the file, their lines cannot be told apart.
fn two_services() -> (tempfile::TempDir, String) {
    let dir = tempdir();
    write(
        dir.path(),
        "api.log",
        b"2024-03-12 10:00:00.000 | INFO     | __main__:serve:12 - listening on :8000\n\
          2024-03-12 10:00:02.000 | ERROR    | __main__:handle:40 - request failed\n",
    );
    write(
        dir.path(),
        "app.log",
        b"2024-03-12 10:00:01.000 | INFO     | __main__:main:7 - worker started\n",
    );
    let arg = dir.path().to_string_lossy().into_owned();
    (dir, arg)
}

#[test]
fn several_files_get_a_source_column_of_file_names() {
    let (_dir, arg) = two_services();
    let out = logq().args([&arg, "-o", "pretty"]).output().unwrap();
    let want = "\
api.log  2024-03-12 10:00:00.000 INFO  [__main__] listening on :8000
app.log  2024-03-12 10:00:01.000 INFO  [__main__] worker started
api.log  2024-03-12 10:00:02.000 ERROR [__main__] request failed
";
    check(&out, want, "", 0);
    // The same in `tail`, which prints with the same printer.
    let out = logq()
        .args(["tail", "-n", "2", &arg, "-o", "pretty"])
        .output()
        .unwrap();
    check(&out, &want[want.find('\n').unwrap() + 1..], "", 0);
}

#[test]
fn the_source_column_is_dimmed_in_colour() {
    let (_dir, arg) = two_services();
    let out = logq()
        .args([&arg, "-o", "pretty", "--color", "always", "-n", "1"])
        .output()
        .unwrap();
    let want = format!(
        "{ESC}[2mapi.log{ESC}[0m  {ESC}[2m2024-03-12 10:00:00.000{ESC}[0m {ESC}[32mINFO {ESC}[0m \
         {ESC}[36m[__main__]{ESC}[0m {ESC}[1mlistening on :8000{ESC}[0m\n"
    );
    check(&out, &want, "", 0);
}

#[test]
fn no_source_turns_it_off_and_source_turns_it_on_for_one_file() {
    let (dir, arg) = two_services();
    let out = logq()
        .args([&arg, "-o", "pretty", "--no-source", "-n", "1"])
        .output()
        .unwrap();
    check(
        &out,
        "2024-03-12 10:00:00.000 INFO  [__main__] listening on :8000\n",
        "",
        0,
    );
    // One file: no column, unless asked for.
    let api = dir.path().join("api.log").to_string_lossy().into_owned();
    let out = logq()
        .args([&api, "-o", "pretty", "-n", "1"])
        .output()
        .unwrap();
    check(
        &out,
        "2024-03-12 10:00:00.000 INFO  [__main__] listening on :8000\n",
        "",
        0,
    );
    let out = logq()
        .args([&api, "-o", "pretty", "-n", "1", "--source"])
        .output()
        .unwrap();
    check(
        &out,
        "api.log  2024-03-12 10:00:00.000 INFO  [__main__] listening on :8000\n",
        "",
        0,
    );
    // The last of the two flags wins (a config file may set one).
    let out = logq()
        .args([&api, "-o", "pretty", "-n", "1", "--no-source", "--source"])
        .output()
        .unwrap();
    check(
        &out,
        "api.log  2024-03-12 10:00:00.000 INFO  [__main__] listening on :8000\n",
        "",
        0,
    );
    // Other formats are not changed by it.
    let out = logq().args([&api, "-n", "1", "--source"]).output().unwrap();
    check(
        &out,
        "2024-03-12 10:00:00.000 | INFO     | __main__:serve:12 - listening on :8000\n",
        "",
        0,
    );
}

#[test]
fn files_of_the_same_name_are_told_apart_by_their_folder() {
    let dir = tempdir();
    let line = |t: &str, msg: &str| {
        format!(r#"{{"timestamp":"2024-03-12T10:00:0{t}Z","level":"info","message":"{msg}"}}"#)
            + "\n"
    };
    write(
        dir.path(),
        "api/app.jsonl",
        line("1", "from api").as_bytes(),
    );
    write(
        dir.path(),
        "worker/app.jsonl",
        line("2", "from worker").as_bytes(),
    );
    write(
        dir.path(),
        "worker/beat.jsonl",
        line("3", "beat").as_bytes(),
    );
    let out = logq()
        .args([&dir.path().to_string_lossy(), "-o", "pretty"])
        .output()
        .unwrap();
    let want = "\
api/app.jsonl     2024-03-12 10:00:01.000 INFO  from api
worker/app.jsonl  2024-03-12 10:00:02.000 INFO  from worker
beat.jsonl        2024-03-12 10:00:03.000 INFO  beat
";
    check(&out, want, "", 0);
}

#[test]
fn unparsed_lines_shown_also_carry_their_source() {
    let (dir, arg) = two_services();
    write(dir.path(), "app.log", b"not a record\n");
    let out = logq()
        .args([&arg, "-o", "pretty", "--show-invalid", "-l", "error"])
        .output()
        .unwrap();
    // A line without a time comes first: it has no record before it.
    let want = "\
app.log  unparsed not a record
api.log  2024-03-12 10:00:02.000 ERROR [__main__] request failed
";
    check(&out, want, "", 0);
}

#[test]
fn role_fields_are_not_repeated_as_key_values() {
    // logcli's `app` label is the service, shown as `service=api` once; a
    // label with another value than the role's stays.
    let out = logq()
        .args([&fixture("python/logcli.jsonl"), "-o", "pretty", "-n", "1"])
        .output()
        .unwrap();
    check(
        &out,
        "2024-03-12 09:00:00.000 INFO  startup complete version=1.4.2 namespace=prod service=api\n",
        "",
        0,
    );
    let dir = tempdir();
    let f = write(
        dir.path(),
        "x.jsonl",
        br#"{"labels":{"app":"web","job":"prod/web","level":"info"},"line":"{\"level\":\"info\",\"msg\":\"hi\",\"service\":\"api\"}","timestamp":"2024-03-12T09:00:00Z"}
"#,
    );
    let out = logq().args([&f, "-o", "pretty"]).output().unwrap();
    check(
        &out,
        "2024-03-12 09:00:00.000 INFO  hi app=web job=prod/web service=api\n",
        "",
        0,
    );
}
