//! Ctrl-C while records are being printed: a flag, not a kill.
//!
//! Owns SIGINT for `search`, which prints records as it finds them (a live
//! pipe can run for hours). The handler only sets a flag: the scan stops at
//! its next chunk, or its next tick while it waits for a pipe; the printer
//! stops between two records and flushes what it printed, so the output
//! never ends in half a record; and the process exits 130, as a shell
//! reports a Ctrl-C. Commands that print nothing before the end (`--count`,
//! `stats`, `trace`) keep the default, which prints nothing partial either.
//! `tail -f` has its own handler (Ctrl-C is how it normally ends: status 0).

use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Turns Ctrl-C into a flag for the rest of the process.
pub fn catch() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Fails only if a handler exists already; Ctrl-C then keeps its
        // default (the process ends at once, by the signal).
        let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::Relaxed));
    });
}

/// Whether Ctrl-C was pressed since [`catch`].
pub fn is_interrupted() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}
