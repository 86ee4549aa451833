//! Putting records of several followed inputs in time order.
//!
//! Owns the short wait (`--sync-interval-ms`) that lets records of other
//! inputs arrive before one is printed, so interleaved services read in
//! order (like hl's `--sync-interval-ms`). Within one input the order of
//! arrival is never changed; a record without a time takes the time of the
//! record before it in its input, as in `merge`.

use crate::merge::OwnedHit;
use crate::record::Timestamp;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// Records waiting to be printed, one queue per input.
#[derive(Debug)]
pub struct Window {
    delay: Duration,
    queues: Vec<Queue>,
}

#[derive(Debug, Default)]
struct Queue {
    items: VecDeque<Waiting>,
    last_time: Option<Timestamp>,
}

#[derive(Debug)]
struct Waiting {
    arrived: Instant,
    key: Option<Timestamp>,
    hit: OwnedHit,
}

impl Window {
    /// A window that holds each record for `delay`.
    pub fn new(delay: Duration) -> Window {
        Window {
            delay,
            queues: Vec::new(),
        }
    }

    /// Changes how long records are held (none while one input is followed).
    pub fn set_delay(&mut self, delay: Duration) {
        self.delay = delay;
    }

    /// Adds a record that arrived at `now`.
    pub fn push(&mut self, hit: OwnedHit, now: Instant) {
        if self.queues.len() <= hit.input {
            self.queues.resize_with(hit.input + 1, Queue::default);
        }
        let Some(q) = self.queues.get_mut(hit.input) else {
            return;
        };
        if hit.time.is_some() {
            q.last_time = hit.time;
        }
        q.items.push_back(Waiting {
            arrived: now,
            key: hit.time.or(q.last_time),
            hit,
        });
    }

    /// The input whose first waiting record comes first in time.
    fn first(&self) -> Option<usize> {
        self.queues
            .iter()
            .enumerate()
            .filter_map(|(i, q)| q.items.front().map(|w| (w.key, i)))
            .min()
            .map(|(_, i)| i)
    }

    /// The next record in time order, once it has waited long enough.
    pub fn pop(&mut self, now: Instant) -> Option<OwnedHit> {
        let i = self.first()?;
        let q = self.queues.get_mut(i)?;
        let ready = q
            .items
            .front()
            .is_some_and(|w| w.arrived + self.delay <= now);
        if !ready {
            return None;
        }
        q.items.pop_front().map(|w| w.hit)
    }

    /// The next record in time order, whether it has waited or not.
    pub fn pop_any(&mut self) -> Option<OwnedHit> {
        let i = self.first()?;
        self.queues.get_mut(i)?.items.pop_front().map(|w| w.hit)
    }

    /// When [`Window::pop`] will next give a record.
    pub fn deadline(&self) -> Option<Instant> {
        let i = self.first()?;
        let w = self.queues.get(i)?.items.front()?;
        Some(w.arrived + self.delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(input: usize, raw: &str, time: Option<i64>) -> OwnedHit {
        OwnedHit {
            input,
            raw: raw.as_bytes().to_vec(),
            line: 0,
            time: time.map(|t| Timestamp(i128::from(t))),
            is_invalid: false,
        }
    }

    fn pop_all(w: &mut Window, now: Instant) -> Vec<String> {
        std::iter::from_fn(|| w.pop(now))
            .map(|h| String::from_utf8_lossy(&h.raw).into_owned())
            .collect()
    }

    #[test]
    fn records_wait_then_come_out_in_time_order_keeping_input_order() {
        let t = Instant::now();
        let d = Duration::from_millis(100);
        let mut w = Window::new(d);
        w.push(hit(0, "a3", Some(3)), t);
        w.push(hit(0, "a-none", None), t);
        w.push(hit(0, "a1", Some(1)), t);
        w.push(hit(1, "b2", Some(2)), t + Duration::from_millis(50));
        assert!(pop_all(&mut w, t + Duration::from_millis(99)).is_empty());
        assert_eq!(w.deadline(), Some(t + d + Duration::from_millis(50)));
        assert_eq!(
            pop_all(&mut w, t + Duration::from_millis(150)),
            ["b2", "a3", "a-none", "a1"]
        );
        assert_eq!(w.deadline(), None);
    }

    #[test]
    fn an_earlier_record_that_has_not_waited_holds_back_later_ones() {
        let t = Instant::now();
        let mut w = Window::new(Duration::from_millis(100));
        w.push(hit(0, "a5", Some(5)), t);
        w.push(hit(1, "b4", Some(4)), t + Duration::from_millis(80));
        assert!(pop_all(&mut w, t + Duration::from_millis(120)).is_empty());
        assert_eq!(
            pop_all(&mut w, t + Duration::from_millis(180)),
            ["b4", "a5"]
        );
        w.push(hit(1, "b9", Some(9)), t);
        assert_eq!(w.pop_any().map(|h| h.raw), Some(b"b9".to_vec()));
    }
}
