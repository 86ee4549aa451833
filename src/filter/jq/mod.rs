//! `--jq` select filters (SPEC §4). Placeholder until the query-language work lands.

use super::Context;
use crate::record::Record;

/// A parsed `--jq` filter.
#[derive(Debug, Clone)]
pub struct Filter;

impl Filter {
    /// Parses a filter.
    pub fn parse(_s: &str) -> Result<Filter, String> {
        Err("--jq is not available yet".into())
    }
    /// Whether the record passes.
    pub fn matches(&self, _r: &Record, _cx: &Context) -> bool {
        false
    }
    /// Literals a matching record must contain.
    pub fn needles(&self) -> Option<Vec<String>> {
        None
    }
}
