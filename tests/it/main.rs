//! The integration tests: the real `logq` binary on fixture files.

mod util;

mod config;
mod explain;
mod fast_paths;
mod generated;
mod help;
mod hostile;
mod hostile_values;
mod index;
mod jq;
mod jq_diff;
mod pager;
mod printing;
mod progress;
mod query;
mod search;
mod stats;
mod tail;
mod trace;
