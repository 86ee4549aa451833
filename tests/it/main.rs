//! The integration tests: the real `logq` binary on fixture files.

mod util;

mod config;
mod explain;
mod fast_paths;
mod generated;
mod jq_diff;
mod query;
mod search;
mod stats;
mod tail;
mod trace;
