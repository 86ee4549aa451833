//! The pager (issue 10): which command pages, when, and how logq ends with
//! it. Each test runs logq with stdout on a real terminal and a fake pager,
//! a shell script that records its arguments, `LESS` and what it was given.

#![cfg(unix)]

use crate::util::*;
use std::path::{Path, PathBuf};
use std::process::Command;

const APP: &str = "tests/fixtures/logs/app/app_2024-01-15.jsonl";

/// `cat`, by its full path: some tests run with a `PATH` of their own.
fn cat() -> &'static str {
    ["/usr/bin/cat", "/bin/cat"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("cat")
}

/// A fake pager: a script that writes `<script>.argv` (one argument a
/// line), `<script>.less` (`$LESS`, or `<unset>`) and `<script>.stdin`.
struct FakePager {
    _dir: tempfile::TempDir,
    script: PathBuf,
}

impl FakePager {
    fn new() -> FakePager {
        FakePager::named("pager.sh", "")
    }

    /// A recording pager at `name` in a new folder; `rest` runs after the
    /// recording (the default reads all of stdin).
    fn named(name: &str, rest: &str) -> FakePager {
        let dir = tempdir();
        let script = dir.path().join(name);
        let body = if rest.is_empty() {
            format!("{} > \"$0.stdin\"\n", cat())
        } else {
            rest.to_string()
        };
        let text = format!(
            "#!/bin/sh\n\
             for a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$0.argv\"\n\
             if [ \"${{LESS+set}}\" = set ]; then printf '%s\\n' \"$LESS\"; else echo '<unset>'; fi > \"$0.less\"\n\
             {body}"
        );
        write(dir.path(), name, text.as_bytes());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        FakePager { _dir: dir, script }
    }

    /// The pager command, run through `sh` (so the script is never
    /// executed while another test thread may hold it open for writing).
    fn command(&self) -> String {
        format!("/bin/sh '{}'", self.script.display())
    }

    fn file(&self, ext: &str) -> PathBuf {
        PathBuf::from(format!("{}.{ext}", self.script.display()))
    }

    fn read(&self, ext: &str) -> String {
        std::fs::read_to_string(self.file(ext))
            .unwrap_or_else(|e| panic!("{}: {e}", self.file(ext).display()))
    }

    fn ran(&self) -> bool {
        self.file("argv").exists()
    }

    fn argv(&self) -> String {
        self.read("argv")
    }

    fn less(&self) -> String {
        self.read("less")
    }

    fn stdin(&self) -> String {
        self.read("stdin")
    }
}

/// Runs logq with stdout on a terminal (stderr a pipe) and the pager
/// variables removed; `setup` adds arguments and variables.
fn on_terminal(setup: impl FnOnce(&mut Command)) -> TtyOutput {
    let mut cmd = logq_std();
    cmd.env_remove("LOGQ_PAGER");
    setup(&mut cmd);
    TtyChild::spawn(cmd, true, false).finish()
}

/// What `logq ARGS` shows on a terminal without a pager.
fn unpaged(args: &[&str]) -> String {
    let out = on_terminal(|c| {
        c.args(args).arg("-P");
    });
    assert_eq!(out.stderr, "");
    assert!(!out.tty.is_empty());
    out.tty
}

#[track_caller]
fn assert_paged(out: &TtyOutput, pager: &FakePager, want: &str) {
    assert!(pager.ran(), "the pager did not run; terminal: {}", out.tty);
    assert_eq!(pager.stdin(), want);
    assert_eq!(
        out.tty, "",
        "nothing reaches the terminal but through the pager"
    );
    assert_eq!(out.stderr, "");
    assert_eq!(out.status.code(), Some(0));
}

#[track_caller]
fn assert_unpaged(out: &TtyOutput, pager: &FakePager, want: &str) {
    assert!(!pager.ran(), "the pager ran");
    assert_eq!(out.tty, want);
    assert_eq!(out.stderr, "");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn pretty_search_on_a_terminal_goes_through_logq_pager_before_pager() {
    let want = unpaged(&[APP, "-l", "error"]);
    let (mine, theirs) = (FakePager::new(), FakePager::new());
    let out = on_terminal(|c| {
        c.args([APP, "-l", "error"])
            .env("LOGQ_PAGER", mine.command())
            .env("PAGER", theirs.command());
    });
    assert_paged(&out, &mine, &want);
    assert!(!theirs.ran());
    assert_eq!(mine.argv(), "");
    assert_eq!(mine.less(), "<unset>\n", "LESS is set for less only");
}

#[test]
fn pager_is_used_when_logq_pager_is_unset() {
    let want = unpaged(&[APP, "-l", "error"]);
    let pager = FakePager::new();
    let out = on_terminal(|c| {
        c.args([APP, "-l", "error"]).env("PAGER", pager.command());
    });
    assert_paged(&out, &pager, &want);
}

#[test]
fn less_rfx_is_the_default_pager_with_less_frx() {
    let want = unpaged(&[APP, "-l", "error"]);
    let less = FakePager::named("less", "");
    let path = less.script.parent().unwrap().to_path_buf();
    let out = on_terminal(|c| {
        c.args([APP, "-l", "error"]).env("PATH", &path);
    });
    assert_paged(&out, &less, &want);
    assert_eq!(less.argv(), "-RFX\n");
    assert_eq!(less.less(), "FRX\n");
}

#[test]
fn less_named_by_pager_gets_less_frx_unless_less_is_set() {
    let less = FakePager::named("less", "");
    let path = less.script.parent().unwrap().to_path_buf();
    let out = on_terminal(|c| {
        c.args([APP, "-l", "error"])
            .env("PATH", &path)
            .env("PAGER", "less");
    });
    assert_eq!(out.status.code(), Some(0));
    assert_eq!((less.argv(), less.less()), (String::new(), "FRX\n".into()));

    let less = FakePager::named("less", "");
    let path = less.script.parent().unwrap().to_path_buf();
    let out = on_terminal(|c| {
        c.args([APP, "-l", "error"])
            .env("PATH", &path)
            .env("PAGER", "less -S")
            .env("LESS", "-i");
    });
    assert_eq!(out.status.code(), Some(0));
    assert_eq!((less.argv(), less.less()), ("-S\n".into(), "-i\n".into()));
}

#[test]
fn pager_command_is_split_like_a_shell() {
    let pager = FakePager::named("my pager", "");
    let out = on_terminal(|c| {
        c.args([APP, "-l", "error"]).env(
            "PAGER",
            format!(r#"/bin/sh "{}" -S 'a b' c\ d"#, pager.script.display()),
        );
    });
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(pager.argv(), "-S\na b\nc d\n");
}

#[test]
fn an_empty_pager_variable_means_no_pager() {
    let want = unpaged(&[APP, "-l", "error"]);
    let pager = FakePager::new();
    let out = on_terminal(|c| {
        c.args([APP, "-l", "error"]).env("PAGER", "");
    });
    assert_unpaged(&out, &pager, &want);
    // An empty LOGQ_PAGER wins over PAGER.
    let out = on_terminal(|c| {
        c.args([APP, "-l", "error"])
            .env("LOGQ_PAGER", "")
            .env("PAGER", pager.command());
    });
    assert_unpaged(&out, &pager, &want);
}

#[test]
fn p_and_pager_never_print_to_the_terminal() {
    let want = unpaged(&[APP, "-l", "error"]);
    for flags in [
        &["-P"][..],
        &["--no-pager"],
        &["--pager", "never"],
        &["--pager=never"],
        &["--pager", "always", "-P"],
    ] {
        let pager = FakePager::new();
        let out = on_terminal(|c| {
            c.args([APP, "-l", "error"])
                .args(flags)
                .env("PAGER", pager.command());
        });
        assert_unpaged(&out, &pager, &want);
    }
}

#[test]
fn config_file_pager_never_turns_the_pager_off_and_the_command_line_wins() {
    let want = unpaged(&[APP, "-l", "error"]);
    let dir = tempdir();
    let never = write(dir.path(), "never.conf", b"--pager=never\n");
    let off = write(dir.path(), "off.conf", b"-P\n");
    let pager = FakePager::new();
    let out = on_terminal(|c| {
        c.args([APP, "-l", "error"])
            .env("LOGQ_CONFIG", &never)
            .env("PAGER", pager.command());
    });
    assert_unpaged(&out, &pager, &want);
    for (config, flag) in [(&never, "--pager=auto"), (&off, "--pager=always")] {
        let pager = FakePager::new();
        let out = on_terminal(|c| {
            c.args([APP, "-l", "error", flag])
                .env("LOGQ_CONFIG", config)
                .env("PAGER", pager.command());
        });
        assert_paged(&out, &pager, &want);
    }
}

#[test]
fn pager_always_pages_json_and_count_that_auto_prints() {
    for args in [&[APP, "-l", "error", "-o", "json"][..], &[APP, "--count"]] {
        let want = unpaged(args);
        let pager = FakePager::new();
        let out = on_terminal(|c| {
            c.args(args).env("PAGER", pager.command());
        });
        assert_unpaged(&out, &pager, &want);
        let pager = FakePager::new();
        let out = on_terminal(|c| {
            c.args(args)
                .arg("--pager=always")
                .env("PAGER", pager.command());
        });
        assert_paged(&out, &pager, &want);
    }
}

#[test]
fn stats_and_trace_are_paged() {
    for args in [
        &["stats", APP][..],
        &["trace", "req-trace-42", "tests/fixtures/logs"],
    ] {
        let want = unpaged(args);
        let pager = FakePager::new();
        let out = on_terminal(|c| {
            c.args(args).env("PAGER", pager.command());
        });
        assert_paged(&out, &pager, &want);
    }
}

#[test]
fn no_pager_when_nothing_matched() {
    let pager = FakePager::new();
    let out = on_terminal(|c| {
        c.args([APP, "-g", "no such words anywhere"])
            .env("PAGER", pager.command());
    });
    assert!(!pager.ran());
    assert_eq!((out.tty.as_str(), out.stderr.as_str()), ("", ""));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn no_pager_when_stdout_is_not_a_terminal_even_with_always() {
    let pager = FakePager::new();
    for cmd in ["search", "stats", "trace"] {
        let what = if cmd == "trace" { "req-trace-42" } else { APP };
        let plain = logq().args([cmd, what, APP]).output().unwrap();
        assert!(!plain.stdout.is_empty());
        let out = logq()
            .args([cmd, what, APP, "--pager", "always"])
            .env("LOGQ_PAGER", pager.command())
            .output()
            .unwrap();
        check(&out, &stdout(&plain), "", 0);
    }
    assert!(!pager.ran(), "the pager ran");
}

#[test]
fn tail_pages_only_with_always_and_never_with_follow() {
    let args = ["tail", "-n", "3", APP];
    let want = unpaged(&args);
    let pager = FakePager::new();
    let out = on_terminal(|c| {
        c.args(args).env("PAGER", pager.command());
    });
    assert_unpaged(&out, &pager, &want);
    let out = on_terminal(|c| {
        c.args(args)
            .arg("--pager=always")
            .env("PAGER", pager.command());
    });
    assert_paged(&out, &pager, &want);

    let pager = FakePager::new();
    let mut cmd = logq_std();
    cmd.args(["tail", "-f", "-n", "3", APP, "--pager=always"])
        .env_remove("LOGQ_PAGER")
        .env("PAGER", pager.command());
    let mut child = TtyChild::spawn(cmd, true, false);
    child.wait_for(&want);
    child.child.kill().unwrap();
    let out = child.finish();
    assert_eq!(out.tty, want, "tail -f writes to the terminal itself");
    assert!(!pager.ran(), "tail -f started the pager");
}

/// A file of `n` error records, enough to fill any pipe.
fn many_records(dir: &Path, n: usize) -> String {
    let mut data = String::new();
    for i in 0..n {
        data.push_str(&format!(
            "{{\"timestamp\":\"2024-01-15T10:00:00Z\",\"level\":\"ERROR\",\"message\":\"record {i} of a long run\"}}\n"
        ));
    }
    write(dir, "many.jsonl", data.as_bytes())
}

#[test]
fn quitting_the_pager_early_ends_logq_quietly_with_status_0() {
    let dir = tempdir();
    let big = many_records(dir.path(), 100_000);
    let pager = FakePager::named(
        "pager.sh",
        "read line\nprintf '%s\\n' \"$line\" > \"$0.stdin\"\n",
    );
    for cmd in ["search", "stats"] {
        let out = on_terminal(|c| {
            c.args([cmd, &big, "--color=never"])
                .env("PAGER", pager.command());
        });
        assert_eq!((out.tty.as_str(), out.stderr.as_str()), ("", ""), "{cmd}");
        assert_eq!(out.status.code(), Some(0), "{cmd}");
    }
    assert_eq!(pager.stdin(), "level   count       %\n", "stats came last");
}

/// A pager that reads all its input, says so in `<script>.eof`, then waits
/// for `<script>.release` before it exits, writing `<script>.exit`.
fn held_pager() -> FakePager {
    FakePager::named(
        "pager.sh",
        &format!(
            "{} > \"$0.stdin\"\n\
             : > \"$0.eof\"\n\
             while [ ! -e \"$0.release\" ]; do sleep 0.01; done\n\
             : > \"$0.exit\"\n",
            cat()
        ),
    )
}

#[test]
fn logq_waits_for_the_pager_to_exit() {
    let want = unpaged(&[APP, "-l", "error"]);
    let pager = held_pager();
    let mut cmd = logq_std();
    cmd.args([APP, "-l", "error"])
        .env_remove("LOGQ_PAGER")
        .env("PAGER", pager.command());
    let mut child = TtyChild::spawn(cmd, true, false);
    wait_until("the pager to read everything", || {
        pager.file("eof").exists()
    });
    assert!(
        child.child.try_wait().unwrap().is_none(),
        "logq exited while its pager was still running"
    );
    std::fs::write(pager.file("release"), "").unwrap();
    let out = child.finish();
    assert_paged(&out, &pager, &want);
    assert!(pager.file("exit").exists());
}

/// Whether signal `sig` is pending for the process (not yet handled); a
/// process that is gone or a zombie has nothing pending.
#[cfg(target_os = "linux")]
fn is_pending(pid: u32, sig: i32) -> bool {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let is_alive = status
        .lines()
        .any(|l| l.starts_with("State:") && !l.contains("zombie"));
    is_alive
        && status
            .lines()
            .filter_map(|l| {
                l.strip_prefix("ShdPnd:")
                    .or_else(|| l.strip_prefix("SigPnd:"))
            })
            .filter_map(|v| u64::from_str_radix(v.trim(), 16).ok())
            .any(|mask| mask & (1 << (sig - 1)) != 0)
}

#[test]
#[cfg(target_os = "linux")]
fn an_interrupted_logq_waits_for_its_pager_then_dies_of_the_signal() {
    use std::os::unix::process::ExitStatusExt;
    let pager = held_pager();
    let mut cmd = logq_std();
    cmd.args([APP, "-l", "error"])
        .env_remove("LOGQ_PAGER")
        .env("PAGER", pager.command());
    let mut child = TtyChild::spawn(cmd, true, false);
    wait_until("the pager to read everything", || {
        pager.file("eof").exists()
    });
    let pid = child.child.id();
    // SAFETY: kill sends a signal to our own child.
    assert_eq!(unsafe { libc::kill(pid as i32, libc::SIGINT) }, 0);
    wait_until("logq to take the signal", || !is_pending(pid, libc::SIGINT));
    assert!(
        child.child.try_wait().unwrap().is_none(),
        "logq died of Ctrl-C while its pager still had the terminal"
    );
    std::fs::write(pager.file("release"), "").unwrap();
    let out = child.finish();
    assert!(pager.file("exit").exists());
    assert_eq!(out.stderr, "");
    assert!(
        out.status.signal() == Some(libc::SIGINT) || out.status.code() == Some(130),
        "{:?}",
        out.status
    );
}

#[test]
fn a_pager_that_cannot_start_leaves_the_output_on_the_terminal() {
    let want = unpaged(&[APP, "-l", "error"]);
    let out = on_terminal(|c| {
        c.args([APP, "-l", "error"])
            .env("LOGQ_PAGER", "/nonexistent/pager -R");
    });
    assert_eq!(out.tty, want);
    assert_eq!(
        out.stderr,
        "logq: warning: $LOGQ_PAGER: cannot run '/nonexistent/pager': no such file or \
         directory; printing without a pager\n"
    );
    assert_eq!(out.status.code(), Some(0));

    let out = on_terminal(|c| {
        c.args([APP, "-l", "error"]).env("PAGER", "less '-R");
    });
    assert_eq!(out.tty, want);
    assert_eq!(
        out.stderr,
        "logq: warning: $PAGER: unbalanced quote in 'less '-R'; printing without a pager\n"
    );

    // The default less missing (a minimal container) is no news.
    let empty = tempdir();
    let out = on_terminal(|c| {
        c.args([APP, "-l", "error"]).env("PATH", empty.path());
    });
    assert_eq!((out.tty.as_str(), out.stderr.as_str()), (want.as_str(), ""));
    assert_eq!(out.status.code(), Some(0));
}
