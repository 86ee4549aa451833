//! The comparison operators of both filter languages: `-q`'s `= != < <= >
//! >=` and `--jq`'s `== != < <= > >=`.
//!
//! Owns what an operator means given how two values order; how values
//! order is each language's business (`-q` by the field's role, `--jq` by
//! jq's total order of values).

use std::cmp::Ordering;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    /// Whether `left OP right` holds, given `left.cmp(right)`.
    pub fn holds(self, o: Ordering) -> bool {
        match self {
            Op::Eq => o == Ordering::Equal,
            Op::Ne => o != Ordering::Equal,
            Op::Lt => o == Ordering::Less,
            Op::Le => o != Ordering::Greater,
            Op::Gt => o == Ordering::Greater,
            Op::Ge => o != Ordering::Less,
        }
    }
}
