//! The integration tests: the real `logq` binary on fixture files.

mod util;

mod query;
mod search;
mod stats;
mod tail;
mod trace;
