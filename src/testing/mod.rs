//! What the unit tests of several layers share: generated log lines
//! (`lines`), for the property tests that hold a fast path to the full
//! parse. Test builds only; imports nothing of logq, so any layer may use it.

pub(crate) mod lines;
