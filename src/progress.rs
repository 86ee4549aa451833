//! The progress line: `logq: 3/12 files · 1.2 GB/4.0 GB · 410 MB/s` on stderr.
//!
//! Owns the counters the scanner bumps (bytes per chunk, files as they end:
//! `scan` and `source::open` call [`add_bytes`] and [`file_done`]), and the
//! thread that draws them. A command that reads a lot holds a [`Progress`]
//! for its run; nothing is drawn unless stderr is a terminal, and nothing
//! before the run has lasted about a second (`LOGQ_PROGRESS_AFTER_MS`, a
//! hidden knob for tests), then at most ten times a second.
//!
//! Invariant: the line is never left on the screen. It is erased
//! (`\r\x1b[K`) when the run ends, before the first byte of output reaches
//! a terminal on stdout (or a pager takes the screen), and around every
//! message `report` prints. Compressed inputs count the compressed bytes
//! read, so the total is the size of the files on disk.

use std::io::{self, IsTerminal, Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

static ACTIVE: AtomicBool = AtomicBool::new(false);
static FILES_DONE: AtomicU64 = AtomicU64::new(0);
static FILES_TOTAL: AtomicU64 = AtomicU64::new(0);
static BYTES_DONE: AtomicU64 = AtomicU64::new(0);
/// The bytes of all inputs, or [`UNKNOWN`] when one of them is stdin.
static BYTES_TOTAL: AtomicU64 = AtomicU64::new(0);
const UNKNOWN: u64 = u64::MAX;

/// Whether the line is on the screen, and whether it may still be drawn.
struct Line {
    drawn: bool,
    stopped: bool,
    /// A scan has begun (before, there is nothing to show).
    tracked: bool,
    /// Draw as soon as the scan begins (a delay of 0).
    at_once: bool,
    since: Instant,
}

static LINE: Mutex<Option<Line>> = Mutex::new(None);
static PAINTER: Mutex<Option<(Sender<()>, JoinHandle<()>)>> = Mutex::new(None);

/// How long a run goes before the line appears.
const AFTER: Duration = Duration::from_secs(1);
/// Time between two drawings.
const EVERY: Duration = Duration::from_millis(100);

/// The progress line of one run; dropping it erases the line.
pub struct Progress(());

impl Progress {
    /// Starts counting, and drawing after a second when stderr is a
    /// terminal. With a delay of 0 the first line (nothing done yet) is
    /// drawn when the first scan begins, so tests see it whatever the speed
    /// of the run.
    pub fn start() -> Progress {
        if !io::stderr().is_terminal() {
            return Progress(());
        }
        let after = std::env::var("LOGQ_PROGRESS_AFTER_MS")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .map_or(AFTER, Duration::from_millis);
        reset([]);
        *lock(&LINE) = Some(Line {
            drawn: false,
            stopped: false,
            tracked: false,
            at_once: after.is_zero(),
            since: Instant::now(),
        });
        ACTIVE.store(true, Ordering::SeqCst);
        let (tx, rx) = channel::<()>();
        let painter = std::thread::Builder::new()
            .name("progress".into())
            .spawn(move || {
                let mut wait = after.max(EVERY);
                while let Err(RecvTimeoutError::Timeout) = rx.recv_timeout(wait) {
                    draw();
                    wait = EVERY;
                }
            });
        if let Ok(handle) = painter {
            *lock(&PAINTER) = Some((tx, handle));
        }
        Progress(())
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        finish();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Stops drawing for good and erases the line. Called when the run ends
/// and before output reaches a terminal; later calls do nothing.
pub fn finish() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    if let Some((tx, handle)) = lock(&PAINTER).take() {
        drop(tx);
        let _ = handle.join();
    }
    if let Some(line) = lock(&LINE).as_mut() {
        line.stopped = true;
        if line.drawn {
            line.drawn = false;
            erase();
        }
    }
}

/// Runs `f` (which prints a message on stderr) with the line erased; the
/// next drawing puts it back under the message.
pub fn above<T>(f: impl FnOnce() -> T) -> T {
    let mut guard = lock(&LINE);
    if let Some(line) = guard.as_mut().filter(|l| l.drawn) {
        line.drawn = false;
        erase();
    }
    f()
}

/// A scan of these inputs begins: the counts start again from zero (a
/// command that reads its inputs twice shows the read in progress).
/// Each input is its path, or `None` for stdin (whose size is unknown).
pub fn track<'p>(inputs: impl IntoIterator<Item = Option<&'p Path>>) {
    if !ACTIVE.load(Ordering::Relaxed) {
        return;
    }
    reset(inputs);
    let at_once = match lock(&LINE).as_mut() {
        Some(line) => {
            line.tracked = true;
            std::mem::take(&mut line.at_once)
        }
        None => false,
    };
    if at_once {
        draw();
    }
}

fn reset<'p>(inputs: impl IntoIterator<Item = Option<&'p Path>>) {
    let mut total = 0u64;
    let mut files = 0u64;
    for path in inputs {
        files += 1;
        match path {
            Some(p) if total != UNKNOWN => total += std::fs::metadata(p).map_or(0, |m| m.len()),
            Some(_) => {}
            None => total = UNKNOWN,
        }
    }
    FILES_DONE.store(0, Ordering::Relaxed);
    FILES_TOTAL.store(files, Ordering::Relaxed);
    BYTES_DONE.store(0, Ordering::Relaxed);
    BYTES_TOTAL.store(total, Ordering::Relaxed);
    if let Some(line) = lock(&LINE).as_mut() {
        line.since = Instant::now();
    }
}

/// Counts bytes read (compressed bytes for compressed inputs).
pub fn add_bytes(n: u64) {
    BYTES_DONE.fetch_add(n, Ordering::Relaxed);
}

/// Counts one input read to its end (or given up).
pub fn file_done() {
    FILES_DONE.fetch_add(1, Ordering::Relaxed);
}

fn draw() {
    let mut guard = lock(&LINE);
    let Some(line) = guard.as_mut().filter(|l| l.tracked && !l.stopped) else {
        return;
    };
    let total = BYTES_TOTAL.load(Ordering::Relaxed);
    let text = format_line(
        FILES_DONE.load(Ordering::Relaxed),
        FILES_TOTAL.load(Ordering::Relaxed),
        BYTES_DONE.load(Ordering::Relaxed),
        (total != UNKNOWN).then_some(total),
        line.since.elapsed(),
    );
    let text = fit(&text, width());
    let mut err = io::stderr().lock();
    let _ = err.write_all(format!("\r\x1b[K{text}").as_bytes());
    let _ = err.flush();
    line.drawn = true;
}

fn erase() {
    let mut err = io::stderr().lock();
    let _ = err.write_all(b"\r\x1b[K");
    let _ = err.flush();
}

/// The line: files and bytes done (of the total when known), and the rate.
pub fn format_line(
    files: u64,
    files_total: u64,
    bytes: u64,
    bytes_total: Option<u64>,
    elapsed: Duration,
) -> String {
    let secs = elapsed.as_secs_f64();
    let rate = if secs > 0.0 {
        (bytes as f64 / secs) as u64
    } else {
        0
    };
    let bytes = match bytes_total {
        Some(t) => format!("{}/{}", size(bytes), size(t)),
        None => size(bytes),
    };
    format!(
        "logq: {files}/{files_total} files · {bytes} · {}/s",
        size(rate)
    )
}

/// A byte count in decimal units: `512 B`, `1.2 kB`, `410 MB`, `4.0 GB`.
pub fn size(n: u64) -> String {
    const UNITS: [&str; 5] = ["kB", "MB", "GB", "TB", "PB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let mut v = n as f64 / 1000.0;
    let mut unit = UNITS[0];
    for next in &UNITS[1..] {
        if v < 999.95 {
            break;
        }
        v /= 1000.0;
        unit = next;
    }
    if v < 9.95 {
        format!("{v:.1} {unit}")
    } else {
        format!("{v:.0} {unit}")
    }
}

/// The line cut to the terminal's width, so that `\r` goes back to its
/// start (a wrapped line would leave its first part on the screen).
fn fit(text: &str, width: Option<usize>) -> String {
    match width {
        Some(w) if w > 1 && text.chars().count() >= w => text.chars().take(w - 1).collect(),
        _ => text.to_string(),
    }
}

#[cfg(unix)]
fn width() -> Option<usize> {
    // SAFETY: TIOCGWINSZ writes a winsize struct owned here.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::ioctl(libc::STDERR_FILENO, libc::TIOCGWINSZ, &mut ws) };
    (rc == 0 && ws.ws_col > 0).then_some(ws.ws_col as usize)
}

#[cfg(not(unix))]
fn width() -> Option<usize> {
    None
}

/// A reader that counts the bytes read through it (before decompression).
pub struct Counted<R> {
    inner: R,
    counter: &'static AtomicU64,
}

impl<R> Counted<R> {
    /// Counts into the progress line's byte counter.
    pub fn new(inner: R) -> Counted<R> {
        Counted {
            inner,
            counter: &BYTES_DONE,
        }
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_use_decimal_units() {
        assert_eq!(size(0), "0 B");
        assert_eq!(size(999), "999 B");
        assert_eq!(size(1000), "1.0 kB");
        assert_eq!(size(1_234), "1.2 kB");
        assert_eq!(size(12_345), "12 kB");
        assert_eq!(size(999_999), "1.0 MB");
        assert_eq!(size(410_000_000), "410 MB");
        assert_eq!(size(4_000_000_000), "4.0 GB");
        assert_eq!(size(u64::MAX), "18447 PB");
    }

    #[test]
    fn the_line_shows_files_bytes_and_rate() {
        assert_eq!(
            format_line(
                3,
                12,
                1_200_000_000,
                Some(4_000_000_000),
                Duration::from_millis(2_926)
            ),
            "logq: 3/12 files · 1.2 GB/4.0 GB · 410 MB/s"
        );
        assert_eq!(
            format_line(0, 1, 0, None, Duration::ZERO),
            "logq: 0/1 files · 0 B · 0 B/s"
        );
    }

    #[test]
    fn the_line_fits_the_terminal() {
        assert_eq!(fit("abcdef", Some(4)), "abc");
        assert_eq!(fit("abc", Some(4)), "abc");
        assert_eq!(fit("abcdef", None), "abcdef");
    }

    #[test]
    fn counted_reader_counts_what_it_reads() {
        static N: AtomicU64 = AtomicU64::new(0);
        let mut r = Counted {
            inner: &b"0123456789"[..],
            counter: &N,
        };
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        assert_eq!(N.load(Ordering::Relaxed), 10);
    }
}
