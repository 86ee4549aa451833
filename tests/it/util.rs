//! The one hermetic way to run `logq` in tests, and helpers to state what
//! it must print.

#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Output;

/// A `logq` command with a clean environment: no `LOGQ_DIR`, no `NO_COLOR`,
/// `TZ=UTC`, a fixed clock (`LOGQ_NOW=2024-01-15T12:00:00Z`), no pager (an
/// empty `LOGQ_PAGER`), no progress line (after a day), run from the
/// repository root. Tests of the pager and the progress line set them.
pub fn logq() -> assert_cmd::Command {
    assert_cmd::Command::from_std(logq_std())
}

/// [`logq`] as a plain `std::process::Command`, for tests that need to wire
/// stdin/stdout themselves (closed pipes, terminals).
pub fn logq_std() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_logq"));
    cmd.env_remove("LOGQ_DIR")
        .env_remove("NO_COLOR")
        .env_remove("LOGQ_CONFIG")
        .env_remove("PAGER")
        .env_remove("LESS")
        .env("LOGQ_PAGER", "")
        .env("LOGQ_PROGRESS_AFTER_MS", "86400000")
        // No index but those a test builds for itself.
        .env("LOGQ_CACHE_DIR", "/nonexistent/logq-test-cache")
        .env("TZ", "UTC")
        .env("LOGQ_NOW", "2024-01-15T12:00:00Z")
        .current_dir(root());
    cmd
}

/// What an in-process run ([`logq_in_process`]) printed on stdout, its exit
/// code, and the error that ended it, if one did (stderr is not captured:
/// messages reach the test's stderr).
pub struct InProcess {
    pub stdout: Vec<u8>,
    pub code: i32,
    pub error: Option<String>,
}

/// The library keeps some state per process (the errored flag, the input
/// limits, rayon's pool), so in-process runs take turns.
static IN_PROCESS: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs `logq ARGS` in this process through the library (`logq::run_to`),
/// with stdout in a `Vec<u8>` and the environment of [`logq`], for matrices
/// of many runs where spawning the binary for each would cost minutes.
///
/// In-process, `-j` sizes nothing: rayon's global pool is built once, here
/// with 4 threads, so that chunks are scanned in parallel. Runs with other
/// thread counts, and with stdin, need the real binary ([`logq`]).
pub fn logq_in_process<I, S>(args: I) -> InProcess
where
    I: IntoIterator<Item = S>,
    S: Into<std::ffi::OsString> + Clone,
{
    use clap::FromArgMatches;
    static ENV: std::sync::Once = std::sync::Once::new();
    let _turn = IN_PROCESS.lock().unwrap_or_else(|e| e.into_inner());
    ENV.call_once(|| {
        // What `logq_std` gives a child, given to this process once: only
        // the library reads these here (through std, whose lock the env
        // functions share), and the children get their own.
        for name in ["LOGQ_DIR", "NO_COLOR", "LOGQ_CONFIG", "PAGER", "LESS"] {
            std::env::remove_var(name);
        }
        std::env::set_var("LOGQ_PAGER", "");
        std::env::set_var("LOGQ_PROGRESS_AFTER_MS", "86400000");
        std::env::set_var("LOGQ_CACHE_DIR", "/nonexistent/logq-test-cache");
        std::env::set_var("TZ", "UTC");
        std::env::set_var("LOGQ_NOW", "2024-01-15T12:00:00Z");
        std::env::set_current_dir(root()).expect("cd to the repository root");
        rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build_global()
            .expect("rayon's global pool, built before any run");
    });
    let argv =
        std::iter::once(std::ffi::OsString::from("logq")).chain(args.into_iter().map(Into::into));
    let matches = logq::config::command()
        .try_get_matches_from(argv)
        .unwrap_or_else(|e| panic!("bad command line in a test: {e}"));
    let cli = logq::cli::Cli::from_arg_matches(&matches).expect("Cli from matches");
    let mut stdout = Vec::new();
    let (code, error) = match logq::run_to(cli, &mut stdout) {
        Ok(status) => (status.code(), None),
        Err(e) => (2, Some(format!("{e:#}"))),
    };
    InProcess {
        stdout,
        code,
        error,
    }
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path under `tests/fixtures/`, relative to the repository root (the
/// directory `logq()` runs in), so `source` fields in output are stable.
pub fn fixture(rel: &str) -> String {
    format!("tests/fixtures/{rel}")
}

/// Stdout of a finished command as a string.
pub fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Stderr of a finished command as a string.
pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts stdout, stderr and the exit code of a run together, showing all
/// three when one differs.
#[track_caller]
pub fn check(out: &Output, want_stdout: &str, want_stderr: &str, want_code: i32) {
    let (o, e, c) = (stdout(out), stderr(out), out.status.code());
    if o != want_stdout || e != want_stderr || c != Some(want_code) {
        panic!(
            "\n--- stdout (got) ---\n{o}--- stdout (want) ---\n{want_stdout}\
             --- stderr (got) ---\n{e}--- stderr (want) ---\n{want_stderr}\
             --- exit: got {c:?}, want {want_code}"
        );
    }
}

/// The bytes of a fixture file, gunzipped when it is gzip.
pub fn fixture_bytes(rel: &str) -> Vec<u8> {
    let path = root().join(fixture(rel));
    let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if data.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&data[..])
            .read_to_end(&mut out)
            .expect("gunzip fixture");
        out
    } else {
        data
    }
}

/// The physical lines of a fixture file (1-based `line(rel, n)`).
pub fn line(rel: &str, n: usize) -> String {
    let data = fixture_bytes(rel);
    let text = String::from_utf8(data).expect("fixture is UTF-8");
    text.split('\n')
        .nth(n - 1)
        .unwrap_or_else(|| panic!("{rel} has no line {n}"))
        .to_string()
}

/// Raw output expected for these lines of one fixture: each line and `\n`.
pub fn lines(rel: &str, ns: &[usize]) -> String {
    ns.iter().map(|&n| line(rel, n) + "\n").collect()
}

/// Raw output expected for these lines of a `docker compose logs` fixture
/// whose lines are JSON records: the JSON after each `service  | ` prefix.
pub fn json_bodies(rel: &str, ns: &[usize]) -> String {
    ns.iter()
        .map(|&n| {
            let l = line(rel, n);
            let (_, body) = l
                .split_once("| ")
                .unwrap_or_else(|| panic!("{rel}:{n} has no compose prefix"));
            format!("{body}\n")
        })
        .collect()
}

/// Raw output expected for `(fixture, line)` pairs, in the order given.
pub fn records(list: &[(&str, usize)]) -> String {
    list.iter().map(|(rel, n)| line(rel, *n) + "\n").collect()
}

/// Lines `from..=to` of a fixture as one multi-line record (a text record
/// with its traceback), with the final `\n`.
pub fn span(rel: &str, from: usize, to: usize) -> String {
    (from..=to).map(|n| line(rel, n) + "\n").collect()
}

/// A temporary directory for inputs made by a test.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

/// Writes `data` to `dir/name` and returns the path as a string.
pub fn write(dir: &Path, name: &str, data: &[u8]) -> String {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&path, data).expect("write");
    path.to_string_lossy().into_owned()
}

/// A pseudo-terminal: `(master, slave)` file descriptors.
#[cfg(unix)]
pub fn pty() -> (std::os::fd::OwnedFd, std::os::fd::OwnedFd) {
    use std::os::fd::FromRawFd;
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes two new descriptors into the out-parameters,
    // which are then owned (and closed) by the returned `OwnedFd`s.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened and are owned by no one else.
    unsafe {
        (
            std::os::fd::OwnedFd::from_raw_fd(master),
            std::os::fd::OwnedFd::from_raw_fd(slave),
        )
    }
}

/// Runs a command with stdin on a terminal (so `logq` does not read stdin)
/// and returns its output.
#[cfg(unix)]
pub fn run_with_tty_stdin(mut cmd: std::process::Command) -> Output {
    let (_master, slave) = pty();
    cmd.stdin(std::process::Stdio::from(slave))
        .output()
        .expect("run logq")
}

/// Runs a command with stdout on a terminal and returns what it wrote there
/// (the terminal turns `\n` into `\r\n`; this undoes it) and its exit code.
/// Keep the output small: it is read after the process ends.
#[cfg(unix)]
pub fn run_with_tty_stdout(mut cmd: std::process::Command) -> (String, i32) {
    let (master, slave) = pty();
    let status = cmd
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::from(slave))
        .status()
        .expect("run logq");
    // The child's copy of the slave is closed; ours went into `Stdio`. Read
    // what is buffered in the master without blocking.
    let fd = std::os::fd::AsRawFd::as_raw_fd(&master);
    // SAFETY: fcntl on a descriptor we own.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK);
    }
    let mut file = std::fs::File::from(master);
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match file.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(_) => break,
        }
    }
    let text = String::from_utf8_lossy(&buf).replace("\r\n", "\n");
    (text, status.code().unwrap_or(-1))
}

/// A process whose stdout and/or stderr is a terminal, read as it writes.
#[cfg(unix)]
pub struct TtyChild {
    pub child: std::process::Child,
    tty: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
    tty_reader: std::thread::JoinHandle<()>,
    stdout_reader: Option<std::thread::JoinHandle<Vec<u8>>>,
    stderr_reader: Option<std::thread::JoinHandle<Vec<u8>>>,
}

/// What a [`TtyChild`] wrote: on the terminal (`\r\n` turned back into
/// `\n`), on stdout and stderr where they were pipes, and how it ended.
#[cfg(unix)]
pub struct TtyOutput {
    pub tty: String,
    pub stdout: String,
    pub stderr: String,
    pub status: std::process::ExitStatus,
}

/// How long a test waits for something to happen before failing.
pub const DEADLINE: std::time::Duration = std::time::Duration::from_secs(30);

/// Waits until `cond` holds, failing with `what` after [`DEADLINE`].
#[track_caller]
pub fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !cond() {
        assert!(start.elapsed() < DEADLINE, "timed out waiting for {what}");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

#[cfg(unix)]
impl TtyChild {
    /// Spawns `cmd` with stdin from `/dev/null` and stdout and/or stderr on
    /// one new terminal; the other streams are pipes.
    pub fn spawn(mut cmd: std::process::Command, stdout_tty: bool, stderr_tty: bool) -> TtyChild {
        use std::process::Stdio;
        let (master, slave) = pty();
        let on_tty = |yes: bool| -> Stdio {
            if yes {
                Stdio::from(slave.try_clone().expect("dup pty"))
            } else {
                Stdio::piped()
            }
        };
        cmd.stdin(Stdio::null())
            .stdout(on_tty(stdout_tty))
            .stderr(on_tty(stderr_tty));
        let mut child = cmd.spawn().expect("run logq");
        // Only the child may hold the terminal, so that reading it ends
        // when the child (and any pager it started) is gone.
        drop(cmd);
        drop(slave);
        let tty = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = tty.clone();
        let tty_reader = std::thread::spawn(move || {
            let mut file = std::fs::File::from(master);
            let mut chunk = [0u8; 4096];
            // Linux answers EIO once every copy of the terminal is closed.
            while let Ok(n @ 1..) = file.read(&mut chunk) {
                sink.lock().unwrap().extend_from_slice(&chunk[..n]);
            }
        });
        let drain = |r: Option<Box<dyn Read + Send>>| {
            r.map(|mut r| {
                std::thread::spawn(move || {
                    let mut buf = Vec::new();
                    let _ = r.read_to_end(&mut buf);
                    buf
                })
            })
        };
        let stdout_reader = drain(child.stdout.take().map(|r| Box::new(r) as _));
        let stderr_reader = drain(child.stderr.take().map(|r| Box::new(r) as _));
        TtyChild {
            child,
            tty,
            tty_reader,
            stdout_reader,
            stderr_reader,
        }
    }

    /// What the terminal has shown so far (`\r\n` as `\n`).
    pub fn tty_text(&self) -> String {
        String::from_utf8_lossy(&self.tty.lock().unwrap()).replace("\r\n", "\n")
    }

    /// Waits until the terminal shows `text`.
    #[track_caller]
    pub fn wait_for(&self, text: &str) {
        wait_until(&format!("{text:?} on the terminal"), || {
            self.tty_text().contains(text)
        });
    }

    /// Waits for the process to end and collects its output.
    pub fn finish(mut self) -> TtyOutput {
        let status = self.child.wait().expect("wait for logq");
        let _ = self.tty_reader.join();
        let join = |h: Option<std::thread::JoinHandle<Vec<u8>>>| {
            h.map(|h| String::from_utf8_lossy(&h.join().unwrap()).into_owned())
                .unwrap_or_default()
        };
        let stdout = join(self.stdout_reader.take());
        let stderr = join(self.stderr_reader.take());
        let tty = String::from_utf8_lossy(&self.tty.lock().unwrap()).replace("\r\n", "\n");
        TtyOutput {
            tty,
            stdout,
            stderr,
            status,
        }
    }
}

/// Starts a command with stdout on a terminal, and returns the child and a
/// receiver of the lines it writes there as they come (the terminal's
/// `\r\n` turned back into `\n`, which ends each line). Stdin and stderr
/// are left as `cmd` says.
#[cfg(unix)]
pub fn spawn_with_tty_stdout(
    mut cmd: std::process::Command,
) -> (std::process::Child, std::sync::mpsc::Receiver<String>) {
    let (master, slave) = pty();
    let child = cmd
        .stdout(std::process::Stdio::from(slave))
        .spawn()
        .expect("spawn logq");
    // Our copy of the slave goes with `cmd`, so that the master reports the
    // end once the child has exited.
    drop(cmd);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut file = std::fs::File::from(master);
        let mut pending = Vec::new();
        let mut chunk = [0u8; 4096];
        // Linux says EIO once no one has the slave open: the end.
        while let Ok(n) = file.read(&mut chunk) {
            if n == 0 {
                break;
            }
            pending.extend_from_slice(&chunk[..n]);
            while let Some(i) = pending.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = pending.drain(..=i).collect();
                let line = String::from_utf8_lossy(&line);
                let line = line.trim_end_matches('\n').trim_end_matches('\r');
                if tx.send(line.to_string()).is_err() {
                    return;
                }
            }
        }
    });
    (child, rx)
}

/// The lines a child writes, as they come, on a channel (a reader thread
/// per stream), so a test can wait for output with a deadline.
pub fn lines_of(r: impl Read + Send + 'static) -> std::sync::mpsc::Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufRead::lines(std::io::BufReader::new(r)) {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}
