//! Searching a live pipe (issue 10): records come out as they arrive, on a
//! pipe and on a terminal, tracebacks whole; `-n` ends the search while the
//! writer is still running; Ctrl-C exits 130 with whole records only.
//!
//! Each test writes into logq's stdin and waits (with a deadline) to read
//! the result back before it writes more or closes stdin: a logq that reads
//! to the end first would print nothing by then, and the test fails.

use crate::util::*;
use std::io::Write;
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

/// How long to wait for output that must come: generous, so that only a
/// hang fails, never a loaded machine.
const DEADLINE: Duration = crate::util::DEADLINE;

/// Where logq's stdout goes.
#[derive(Clone, Copy, Debug)]
enum Stdout {
    Pipe,
    Terminal,
}

/// A running `logq` reading a pipe the test writes into; killed if the
/// test fails.
struct Live {
    child: Child,
    stdin: Option<ChildStdin>,
    out: Receiver<String>,
    err: Receiver<String>,
}

impl Live {
    fn start(args: &[&str], stdout: Stdout) -> Live {
        let mut cmd = logq_std();
        cmd.args(["-o", "raw"])
            .args(args)
            .stdin(Stdio::piped())
            .stderr(Stdio::piped());
        let (mut child, out) = match stdout {
            Stdout::Pipe => {
                let mut child = cmd.stdout(Stdio::piped()).spawn().expect("spawn logq");
                let out = lines_of(child.stdout.take().expect("stdout"));
                (child, out)
            }
            Stdout::Terminal => spawn_with_tty_stdout(cmd),
        };
        let err = lines_of(child.stderr.take().expect("stderr"));
        let stdin = child.stdin.take();
        Live {
            child,
            stdin,
            out,
            err,
        }
    }

    /// Writes into logq's stdin (which stays open).
    fn write(&mut self, text: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(text.as_bytes()).expect("write to logq");
        stdin.flush().expect("flush");
    }

    /// Waits for the next lines of stdout, which must be exactly `want`.
    #[track_caller]
    fn expect(&mut self, want: &[&str]) {
        let deadline = Instant::now() + DEADLINE;
        let mut got = Vec::new();
        while got.len() < want.len() {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.out.recv_timeout(left) {
                Ok(line) => got.push(line),
                Err(_) => break,
            }
        }
        let errors: Vec<String> = self.err.try_iter().collect();
        assert_eq!(got, want, "stderr: {errors:?}");
    }

    /// Waits for logq to exit on its own; its exit code.
    #[track_caller]
    fn exit_code(&mut self) -> Option<i32> {
        let deadline = Instant::now() + DEADLINE;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code();
            }
            assert!(Instant::now() < deadline, "logq did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// After the exit: the rest of stdout and all of stderr.
    fn rest(&mut self) -> (Vec<String>, Vec<String>) {
        let out = self.out.iter().collect();
        let err = self.err.iter().collect();
        (out, err)
    }

    fn interrupt(&self) {
        let pid = i32::try_from(self.child.id()).expect("pid");
        // SAFETY: sends SIGINT to the child this test started and still owns.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn json(level: &str, msg: &str) -> String {
    format!(r#"{{"timestamp":"2024-01-15T10:00:00Z","level":"{level}","message":"{msg}"}}"#)
}

const BOOM: &str = "2024-01-15 10:00:01,000 - app.jobs - ERROR - job failed";
const TRACEBACK: [&str; 4] = [
    "Traceback (most recent call last):",
    "  File \"/app/jobs.py\", line 12, in run",
    "    raise ValueError(\"bad input\")",
    "ValueError: bad input",
];

fn records_flow_as_they_arrive(stdout: Stdout) {
    let mut live = Live::start(&["-l", "error"], stdout);
    let (first, skipped, second) = (
        json("error", "one"),
        json("info", "no"),
        json("error", "two"),
    );
    live.write(&format!("{first}\n"));
    live.expect(&[&first]);
    live.write(&format!("{skipped}\n{second}\n"));
    live.expect(&[&second]);
    drop(live.stdin.take());
    assert_eq!(live.exit_code(), Some(0));
    let (out, err) = live.rest();
    assert_eq!((out, err), (vec![], vec![]));
}

#[test]
fn live_pipe_records_are_printed_as_they_arrive_to_a_pipe() {
    records_flow_as_they_arrive(Stdout::Pipe);
}

#[cfg(unix)]
#[test]
fn live_pipe_records_are_printed_as_they_arrive_to_a_terminal() {
    records_flow_as_they_arrive(Stdout::Terminal);
}

#[test]
fn traceback_split_across_two_writes_arrives_whole() {
    for stdout in [Stdout::Pipe, Stdout::Terminal] {
        let mut live = Live::start(&["-l", "error"], stdout);
        // The first write ends inside a traceback line.
        live.write(&format!(
            "{BOOM}\n{}\n{}",
            TRACEBACK[0],
            &TRACEBACK[1][..10]
        ));
        live.write(&format!(
            "{}\n{}\n{}\n",
            &TRACEBACK[1][10..],
            TRACEBACK[2],
            TRACEBACK[3]
        ));
        let mut want = vec![BOOM];
        want.extend(TRACEBACK);
        live.expect(&want);
        // Still streaming: the next record comes out before stdin closes.
        let after = json("critical", "after");
        live.write(&format!("{after}\n"));
        live.expect(&[&after]);
        drop(live.stdin.take());
        assert_eq!(live.exit_code(), Some(0), "{stdout:?}");
        assert_eq!(live.rest(), (vec![], vec![]), "{stdout:?}");
    }
}

#[test]
fn max_count_ends_the_search_while_stdin_is_still_open() {
    let mut live = Live::start(&["-l", "error", "-n", "2"], Stdout::Pipe);
    let (a, b, c) = (json("error", "a"), json("error", "b"), json("error", "c"));
    live.write(&format!("{a}\n"));
    live.expect(&[&a]);
    live.write(&format!("{b}\n{c}\n"));
    // Stdin stays open: logq must end by itself.
    assert_eq!(live.exit_code(), Some(0));
    let (out, err) = live.rest();
    assert_eq!((out, err), (vec![b], vec![]));
    assert!(live.stdin.is_some());
}

fn ctrl_c_exits_130_with_whole_records(stdout: Stdout) {
    let mut live = Live::start(&["-l", "error"], stdout);
    let first = json("error", "one");
    live.write(&format!("{first}\n{BOOM}\n{}\n", TRACEBACK.join("\n")));
    let mut want = vec![first.as_str(), BOOM];
    want.extend(TRACEBACK);
    live.expect(&want);
    // A record half written when Ctrl-C comes is not printed.
    live.write(r#"{"level":"error","message":"half"#);
    live.interrupt();
    assert_eq!(live.exit_code(), Some(130), "{stdout:?}");
    assert_eq!(live.rest(), (vec![], vec![]), "{stdout:?}");
}

#[test]
fn ctrl_c_on_a_live_pipe_exits_130_with_whole_records_to_a_pipe() {
    ctrl_c_exits_130_with_whole_records(Stdout::Pipe);
}

#[cfg(unix)]
#[test]
fn ctrl_c_on_a_live_pipe_exits_130_with_whole_records_to_a_terminal() {
    ctrl_c_exits_130_with_whole_records(Stdout::Terminal);
}

#[test]
fn ctrl_c_during_tail_prints_nothing_and_exits_130() {
    // `--tail` needs the end of the input: interrupted, it prints nothing.
    let mut live = Live::start(&["--tail", "1"], Stdout::Pipe);
    live.write(&format!("{}\n", json("error", "kept back")));
    // Wait until logq has read it (so it is past installing its Ctrl-C
    // handler, and its scan waits on the open pipe).
    let deadline = Instant::now() + DEADLINE;
    while unread(live.stdin.as_ref().expect("stdin")) > 0 {
        assert!(Instant::now() < deadline, "logq did not read its stdin");
        std::thread::sleep(Duration::from_millis(10));
    }
    live.interrupt();
    assert_eq!(live.exit_code(), Some(130));
    assert_eq!(live.rest(), (vec![], vec![]));
}

/// The bytes written into a pipe and not read yet.
fn unread(pipe: &ChildStdin) -> libc::c_int {
    let mut n: libc::c_int = 0;
    let fd = std::os::fd::AsRawFd::as_raw_fd(pipe);
    // SAFETY: FIONREAD writes one int, into `n`, which lives on this frame.
    let rc = unsafe { libc::ioctl(fd, libc::FIONREAD, &mut n) };
    assert_eq!(rc, 0, "FIONREAD: {}", std::io::Error::last_os_error());
    n
}

#[cfg(unix)]
#[test]
fn dash_on_a_terminal_searches_lines_as_they_are_typed() {
    let (master, slave) = pty();
    let mut cmd = logq_std();
    cmd.args(["-", "-o", "raw", "-l", "error", "-n", "1"])
        .stdin(Stdio::from(slave))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn logq");
    drop(cmd);
    let out = lines_of(child.stdout.take().expect("stdout"));
    let mut keyboard = std::fs::File::from(master);
    let (skipped, typed) = (json("info", "typed 1"), json("error", "typed 2"));
    writeln!(keyboard, "{skipped}\n{typed}").expect("type");
    let got = out.recv_timeout(DEADLINE).expect("the typed record");
    assert_eq!(got, typed);
    let deadline = Instant::now() + DEADLINE;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "logq did not exit");
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(status.code(), Some(0));
}

#[cfg(unix)]
#[test]
fn fifo_named_as_a_path_is_searched_as_it_arrives() {
    let dir = tempdir();
    let fifo = dir.path().join("live.fifo");
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads the NUL-terminated path, which outlives the call.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let mut child = logq_std()
        .args(["-o", "raw", "-l", "error"])
        .arg(&fifo)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn logq");
    let out = lines_of(child.stdout.take().expect("stdout"));
    // Opening the write end fails (ENXIO) until logq has opened the other.
    let deadline = Instant::now() + DEADLINE;
    let mut writer = loop {
        use std::os::unix::fs::OpenOptionsExt;
        match std::fs::OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(&fifo)
        {
            Ok(f) => break f,
            Err(e) => assert!(Instant::now() < deadline, "logq never opened it: {e}"),
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let first = json("error", "first, whole");
    writeln!(writer, "{first}").expect("write");
    assert_eq!(out.recv_timeout(DEADLINE).expect("first"), first);
    let second = json("error", "second");
    writeln!(writer, "{second}").expect("write");
    assert_eq!(out.recv_timeout(DEADLINE).expect("second"), second);
    drop(writer);
    let output = child.wait_with_output().expect("wait");
    assert_eq!(stderr(&output), "");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(out.iter().count(), 0);
}
