//! `logq search` end to end: the real binary on the fixtures of
//! `tests/fixtures/` (described, with exact counts, in its README) and on
//! inputs made in a temporary directory. Each test asserts stdout, stderr
//! and the exit code together (issue 2).

mod bad_input;
mod filters;
mod fixture_tables;
mod formats;
mod inputs;
mod order;
mod output;
mod prefixed_raw;
mod python;
mod read_paths;
mod rotation;
mod source;
mod stdin_rule;
mod streaming;
pub mod zones;

/// The reference layout and its files.
pub const LOGS: &str = "tests/fixtures/logs";
pub const APP: &str = "logs/app/app_2024-01-15.jsonl";
pub const GZ: &str = "logs/app/app_2024-01-14.jsonl.gz";
pub const CHAT: &str = "logs/chat/chat_2024-01-15.jsonl";
pub const AUDIT: &str = "logs/audit/audit_2024-01-15.jsonl";
pub const INDEX: &str = "logs/ingestion/_index.jsonl";
pub const ING: &str = "logs/ingestion/ing_abc123.jsonl";
