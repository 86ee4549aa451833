//! A live input: a pipe or socket searched as records arrive.
//!
//! Owns reading a stream whose writer is still running (`docker compose
//! logs -f | logq -l error`): a thread reads it ([`pump`], the reader
//! `tail -f -` uses too) so that the scan can wait with a deadline, and
//! the bytes are assembled into whole records ([`assemble`](super::assemble),
//! same rules as `tail -f`): a partial last line waits for its newline, and a
//! text record at the end waits [`HOLD`] for its traceback. Whatever has
//! arrived is handed on at once, so a big burst is scanned in big regions
//! (in parallel) and a trickle record by record. Scanning is `scan`'s.
//!
//! Invariant: a region handed on is whole records, ends a line (or the
//! input), and is handed on once.

use crate::source::assemble::{Assembler, HOLD};
use crate::source::open::Pending;
use std::io::{self, Read};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, TryRecvError};
use std::time::{Duration, Instant};

/// How long the scan of a live input waits before it looks whether
/// anyone still wants its records, and for Ctrl-C.
pub const TICK: Duration = Duration::from_millis(100);

/// Pieces the reading thread may be ahead of the scan by (each at most
/// 64 KiB).
const AHEAD: usize = 256;

/// A stream being read on its own thread.
pub struct Live {
    rx: Receiver<Arrival>,
    asm: Assembler,
    ended: bool,
    error: Option<io::Error>,
}

/// What [`Live::next`] found.
#[derive(Debug)]
pub enum Step {
    /// The first `n` bytes of [`Live::held`] are whole records.
    Ready(usize),
    /// Nothing arrived for a tick.
    Idle,
    /// The input ended (with its read error, if any); everything was handed on.
    End(Option<io::Error>),
}

impl Live {
    /// Starts reading `input` (decoded as its first bytes say).
    pub fn start(input: Pending) -> Live {
        let (tx, rx) = sync_channel(AHEAD);
        std::thread::spawn(move || pump(input, &mut |w| tx.send(w).is_ok()));
        Live {
            rx,
            asm: Assembler::new(0),
            ended: false,
            error: None,
        }
    }

    /// The bytes read and not yet consumed.
    pub fn held(&self) -> &[u8] {
        self.asm.held()
    }

    /// Forgets the first `n` bytes held (a region from [`Step::Ready`]).
    pub fn consume(&mut self, n: usize) {
        self.asm.consume(n);
    }

    /// Waits at most `tick` for whole records. Takes everything that has
    /// arrived, up to about `max` bytes, before saying what is ready.
    pub fn next(&mut self, tick: Duration, max: usize) -> Step {
        let start = Instant::now();
        loop {
            while !self.ended && self.asm.held().len() < max {
                match self.rx.try_recv() {
                    Ok(w) => self.take(w),
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => self.ended = true,
                }
            }
            let now = Instant::now();
            let ready = match (&self.error, self.ended) {
                // After damage, the whole lines before it; the rest is lost.
                (Some(_), _) => self.asm.ready(now, Duration::ZERO, false),
                (None, end) => self.asm.ready(now, HOLD, end),
            };
            if ready > 0 {
                return Step::Ready(ready);
            }
            if self.ended {
                return Step::End(self.error.take());
            }
            let mut until = start + tick;
            if now >= until {
                return Step::Idle;
            }
            // A text record held for its traceback is let go when quiet.
            if let Some(d) = self.asm.deadline(HOLD).filter(|d| *d > now) {
                until = until.min(d);
            }
            match self.rx.recv_timeout(until - now) {
                Ok(w) => self.take(w),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => self.ended = true,
            }
        }
    }

    fn take(&mut self, a: Arrival) {
        match a {
            Arrival::Data(bytes) => self.asm.push(&bytes, Instant::now()),
            Arrival::End(err) => {
                self.ended = true;
                self.error = err;
            }
        }
    }
}

/// What a reading thread hands on: bytes as they arrive, then the end
/// (with the read error, if any).
#[derive(Debug)]
pub enum Arrival {
    Data(Vec<u8>),
    End(Option<io::Error>),
}

/// Reads a stream (decoded as its first bytes say, under the input limits
/// of `source::guard`) and hands what arrives,
/// as it arrives, to `send` ([`Arrival::Data`]), then the end ([`Arrival::End`]);
/// stops early when `send` returns `false`. Blocks: run it on its own
/// thread. Shared by searching a live pipe ([`Live`]) and following stdin
/// (`follow::stdin`).
pub fn pump(input: Pending, send: &mut dyn FnMut(Arrival) -> bool) {
    let mut reader = match input.open() {
        Ok(r) => r,
        Err(e) => {
            send(Arrival::End(Some(e)));
            return;
        }
    };
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => {
                send(Arrival::End(None));
                return;
            }
            Ok(n) => {
                let data = buf.get(..n).unwrap_or_default().to_vec();
                if !send(Arrival::Data(data)) {
                    return;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                send(Arrival::End(Some(e)));
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufReader, Read};

    /// A reader fed by the test, one write at a time.
    struct Feed(std::sync::mpsc::Receiver<Vec<u8>>, Vec<u8>);

    impl Read for Feed {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.1.is_empty() {
                match self.0.recv() {
                    Ok(v) => self.1 = v,
                    Err(_) => return Ok(0),
                }
            }
            let n = self.1.len().min(buf.len());
            buf[..n].copy_from_slice(&self.1[..n]);
            self.1.drain(..n);
            Ok(n)
        }
    }

    fn ready_text(live: &mut Live) -> Option<String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            match live.next(Duration::from_millis(20), 1 << 20) {
                Step::Ready(n) => {
                    let s = String::from_utf8_lossy(&live.held()[..n]).into_owned();
                    live.consume(n);
                    return Some(s);
                }
                Step::Idle => {}
                Step::End(_) => return None,
            }
        }
        panic!("nothing ready before the deadline");
    }

    #[test]
    fn records_are_handed_on_as_they_arrive_tracebacks_whole() {
        let (tx, rx) = std::sync::mpsc::channel();
        let mut live = Live::start(Pending::new(
            BufReader::new(Feed(rx, Vec::new())),
            "t".into(),
        ));
        tx.send(b"{\"a\":1}\n{\"b\"".to_vec()).unwrap();
        assert_eq!(ready_text(&mut live).as_deref(), Some("{\"a\":1}\n"));
        tx.send(b":2}\n2024-01-15 10:00:00,000 - m - ERROR - boom\n".to_vec())
            .unwrap();
        let got = ready_text(&mut live).unwrap();
        let got = if got == "{\"b\":2}\n" {
            got + &ready_text(&mut live).unwrap()
        } else {
            got
        };
        // The text record waited for its traceback, or for a quiet moment.
        assert!(
            got == "{\"b\":2}\n2024-01-15 10:00:00,000 - m - ERROR - boom\n",
            "{got:?}"
        );
        // Split inside a traceback line: held whatever the scheduler does.
        tx.send(
            b"2024-01-15 10:00:01,000 - m - ERROR - again\nTraceback (most recent call last):\n  File"
                .to_vec(),
        )
        .unwrap();
        tx.send(b" \"x\", line 1\nValueError: v\n{\"c\":3}\n".to_vec())
            .unwrap();
        let mut all = String::new();
        while !all.ends_with("{\"c\":3}\n") {
            all += &ready_text(&mut live).unwrap();
        }
        assert_eq!(
            all,
            "2024-01-15 10:00:01,000 - m - ERROR - again\nTraceback (most recent call last):\n  File \"x\", line 1\nValueError: v\n{\"c\":3}\n"
        );
        drop(tx);
        assert_eq!(ready_text(&mut live), None);
    }
}
