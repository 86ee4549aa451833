//! Which correlation ids name the same request. A service that logs both
//! `request_id` and `trace_id` (or a nested `extra.request_id`) in one
//! record says that the two values are one request; joined transitively
//! (union-find), each request is drawn as one timeline, never once per alias.
//!
//! Invariant: the root of a request is its first-added id, so the order of
//! requests and the id a request is titled by do not depend on the order
//! in which records joined it.

use crate::output::with_record;
use crate::record::RoleMap;
use std::collections::HashMap;

/// Correlation ids, grouped into requests.
#[derive(Debug, Clone, Default)]
pub struct Requests {
    ids: Vec<String>,
    index: HashMap<String, usize>,
    parent: Vec<usize>,
}

impl Requests {
    /// Ids, each a request of its own until joined.
    pub fn new<S: AsRef<str>>(ids: &[S]) -> Requests {
        let mut r = Requests::default();
        for id in ids {
            r.add(id.as_ref());
        }
        r
    }

    /// Adds an id (if new) and returns its index.
    pub fn add(&mut self, id: &str) -> usize {
        if let Some(&i) = self.index.get(id) {
            return i;
        }
        let i = self.ids.len();
        self.ids.push(id.to_string());
        self.index.insert(id.to_string(), i);
        self.parent.push(i);
        i
    }

    /// Records that these ids were carried by one record: one request.
    pub fn join<S: AsRef<str>>(&mut self, ids: &[S]) {
        let mut root: Option<usize> = None;
        for id in ids {
            let i = self.add(id.as_ref());
            let ri = self.find(i);
            root = Some(match root {
                None => ri,
                Some(r) => {
                    // The earlier id stays the root (see the module invariant).
                    let (keep, other) = (r.min(ri), r.max(ri));
                    if let Some(p) = self.parent.get_mut(other) {
                        *p = keep;
                    }
                    keep
                }
            });
        }
    }

    /// The root of an id's request.
    fn find(&mut self, mut i: usize) -> usize {
        while let Some(&p) = self.parent.get(i) {
            if p == i {
                break;
            }
            // Path halving: point at the grandparent on the way up.
            let grand = self.parent.get(p).copied().unwrap_or(p);
            if let Some(slot) = self.parent.get_mut(i) {
                *slot = grand;
            }
            i = p;
        }
        i
    }

    /// Every id, in the order added.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// The request of an id: the index of its root id.
    pub fn request_of(&mut self, id: &str) -> Option<usize> {
        let i = *self.index.get(id)?;
        Some(self.find(i))
    }
}

/// The non-empty correlation ids a record carries, as text, in alias order.
pub fn cid_values(raw: &[u8], roles: &RoleMap) -> Vec<String> {
    with_record(raw, |rec| {
        rec.cids(roles)
            .iter()
            .filter_map(|f| f.as_text().map(|t| t.into_owned()))
            .filter(|t| !t.is_empty())
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The requests as lists of ids, in the order of their first id.
    fn names(r: &mut Requests) -> Vec<Vec<String>> {
        let mut out: Vec<(usize, Vec<String>)> = Vec::new();
        for id in r.ids().to_vec() {
            let root = r.request_of(&id).unwrap();
            match out.iter_mut().find(|(r, _)| *r == root) {
                Some((_, v)) => v.push(id),
                None => out.push((root, vec![id])),
            }
        }
        out.into_iter().map(|(_, v)| v).collect()
    }

    #[test]
    fn ids_carried_together_are_one_request() {
        let mut r = Requests::new(&["abc", "req-1", "req-2"]);
        r.join(&["req-1", "abc"]);
        assert_eq!(names(&mut r), [vec!["abc", "req-1"], vec!["req-2"]]);
        assert_eq!(r.request_of("req-1"), r.request_of("abc"));
        assert_ne!(r.request_of("req-2"), r.request_of("abc"));
        assert_eq!(r.request_of("nope"), None);
    }

    #[test]
    fn joins_are_transitive_and_keep_the_first_id_as_root() {
        let mut r = Requests::new(&["a", "b", "c", "d"]);
        r.join(&["d", "c"]);
        r.join(&["x", "b"]);
        r.join(&["c", "x"]);
        assert_eq!(names(&mut r), [vec!["a"], vec!["b", "c", "d", "x"]]);
        assert_eq!(r.request_of("x"), Some(1));
        // A record with one id or none joins nothing.
        r.join(&["a"]);
        r.join::<&str>(&[]);
        assert_eq!(names(&mut r).len(), 2);
    }

    #[test]
    fn cid_values_are_every_alias_in_order() {
        let raw = br#"{"request_id":"req-7f3a","trace_id":"abc","extra":{"correlation_id":""},"context":{"request_id":42}}"#;
        assert_eq!(
            cid_values(raw, &RoleMap::default()),
            ["req-7f3a", "abc", "42"]
        );
    }
}
