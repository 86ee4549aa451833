//! `-q` field queries (SPEC §3). Placeholder until the query-language work lands.

use super::syntax::ParseError;
use super::Context;
use crate::record::Record;

/// A parsed `-q` expression.
#[derive(Debug, Clone)]
pub struct Query;

impl Query {
    /// Parses a query.
    pub fn parse(s: &str) -> Result<Query, ParseError> {
        Err(ParseError::new(s, 0, "-q is not available yet"))
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
