//! Following stdin: `docker compose logs -f | logq tail -f -l error`.
//!
//! Owns reading stdin on its own thread (a blocking read must not stop the
//! follow loop, nor Ctrl-C) and what is done with the bytes: records are
//! taken as their lines complete. Of the first burst (the history a `logs
//! -f` prints before following), only the last N records are given, like
//! `tail` does for files; the burst ends at the first pause of [`QUIET`].

use super::window::Window;
use super::Selector;
use crate::merge::OwnedHit;
use crate::source::assemble::{Assembler, HOLD};
use crate::source::live::{pump, Arrival};
use crate::source::open::Pending;
use crate::source::Origin;
use std::collections::VecDeque;
use std::io::{self, BufReader};
use std::time::{Duration, Instant};

/// The pause that ends stdin's first burst.
pub const QUIET: Duration = Duration::from_millis(100);

/// Stdin being followed.
pub struct Stdin {
    input: usize,
    /// What was read but is not a whole record yet.
    pub asm: Assembler,
    ended: bool,
    last_data: Instant,
    /// The first burst's last records (at most `n`), until the burst ends.
    burst: Option<(usize, VecDeque<OwnedHit>)>,
}

impl Stdin {
    /// Starts the reading thread, which hands what arrives to `send`
    /// until it returns `false`. Stdin is input `input`; of the first burst
    /// the last `n` records are kept.
    pub fn start(
        input: usize,
        n: usize,
        mut send: impl FnMut(Arrival) -> bool + Send + 'static,
    ) -> Stdin {
        std::thread::spawn(move || {
            let reader = BufReader::with_capacity(1 << 16, io::stdin());
            pump(Pending::new(reader, "<stdin>".into()), &mut send);
        });
        Stdin {
            input,
            asm: Assembler::new(0),
            ended: false,
            last_data: Instant::now(),
            burst: Some((n, VecDeque::new())),
        }
    }

    /// Bytes that arrived.
    pub fn push(&mut self, bytes: &[u8], now: Instant) {
        self.asm.push(bytes, now);
        self.last_data = now;
    }

    /// Stdin was closed (or failed).
    pub fn end(&mut self) {
        self.ended = true;
    }

    /// Takes the whole records that arrived into `window` (or the burst).
    pub fn step(&mut self, sel: &Selector, window: &mut Window, invalid: &mut u64, now: Instant) {
        let origin = Origin {
            input: self.input,
            category: None,
        };
        let burst = &mut self.burst;
        self.asm
            .drain(now, HOLD, self.ended, &mut |raw, line, is_invalid| {
                let Some(hit) = sel.select(raw, line, is_invalid, origin, invalid) else {
                    return;
                };
                match burst {
                    Some((n, ring)) => {
                        if *n > 0 {
                            if ring.len() == *n {
                                ring.pop_front();
                            }
                            ring.push_back(hit);
                        }
                    }
                    None => window.push(hit, now),
                }
            });
        if self.ended || now.saturating_duration_since(self.last_data) >= QUIET {
            if let Some((_, ring)) = self.burst.take() {
                for hit in ring {
                    window.push(hit, now);
                }
            }
        }
    }

    /// Whether stdin ended and everything read was given out.
    pub fn is_done(&self) -> bool {
        self.ended && self.asm.is_empty() && self.burst.is_none()
    }

    /// When the first burst ends if nothing more arrives.
    pub fn burst_deadline(&self) -> Option<Instant> {
        self.burst.as_ref().map(|_| self.last_data + QUIET)
    }
}
