//! loguru's `serialize=True` lines: `{"text": "…", "record": {…}}`.
//!
//! Owns the mapping of loguru's record to the fields every other record
//! has (SPEC §2, issue 9): the roles come from `record` (`time.repr`,
//! `level.name`, `message`, `name`, `extra.*`); `record.extra`'s keys are
//! top-level fields; the call site and process become `function`, `line`,
//! `file` (the path), `process` and `thread` (their ids); and the exception
//! becomes `exception`, the traceback loguru wrote only in `text` (or
//! `Type: value` when `text` holds none). Paths under `record.` and `text`
//! still reach the raw line, as jq sees it.

use super::json::{raw_str, Object};
use serde_json::Value;

/// The correlation aliases loguru users `bind()`, in lookup order.
pub const CID: [&str; 4] = ["correlation_id", "request_id", "trace_id", "correlationId"];

/// The fields made from `record` besides `extra`, in output order.
pub const CALL_SITE: [&str; 6] = ["exception", "function", "line", "file", "process", "thread"];

/// A loguru line understood: the outer object, its `record`, and
/// `record.extra` when it is an object.
#[derive(Debug, Clone)]
pub struct Loguru<'a> {
    pub outer: Object<'a>,
    pub inner: Object<'a>,
    pub extra: Option<Object<'a>>,
}

impl<'a> Loguru<'a> {
    /// Recognizes a loguru line: exactly the keys `text` and `record`, and a
    /// record with `level`, `time` and `message` (the quick scan relies on
    /// that: any other key rules it out).
    pub fn parse(outer: &Object<'a>) -> Option<Loguru<'a>> {
        if outer.entries().count() != 2 {
            return None;
        }
        outer.get("text")?;
        let inner = Object::parse(outer.get("record")?.get())?;
        if !(inner.has("level") && inner.has("time") && inner.has("message")) {
            return None;
        }
        let extra = inner.get("extra").and_then(|raw| Object::parse(raw.get()));
        Some(Loguru {
            outer: outer.clone(),
            inner,
            extra,
        })
    }

    /// A field made from `record` (one of [`CALL_SITE`]), decoded.
    pub fn call_site(&self, key: &str) -> Option<Value> {
        let v = match key {
            "exception" => return self.exception().map(Value::String),
            "function" => self.inner.path(&["function"])?,
            "line" => self.inner.path(&["line"])?,
            "file" => self.inner.path(&["file", "path"])?,
            "process" => self.inner.path(&["process", "id"])?,
            "thread" => self.inner.path(&["thread", "id"])?,
            _ => return None,
        };
        (!v.is_null()).then_some(v)
    }

    /// The exception: the traceback loguru appended to `text` after the
    /// formatted message, else `Type: value` from `record.exception`.
    pub fn exception(&self) -> Option<String> {
        let exc = self.inner.path(&["exception"])?;
        let Value::Object(exc) = exc else {
            return None;
        };
        if let Some(tb) = self.traceback_in_text() {
            return Some(tb);
        }
        let name = |k: &str| match exc.get(k) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(v) => v.to_string(),
        };
        let (ty, value) = (name("type"), name("value"));
        match (ty.is_empty(), value.is_empty()) {
            (true, true) => None,
            (false, true) => Some(ty),
            (true, false) => Some(value),
            (false, false) => Some(format!("{ty}: {value}")),
        }
    }

    /// What `text` holds after the line of the formatted message.
    fn traceback_in_text(&self) -> Option<String> {
        let text = raw_str(self.outer.get("text")?)?;
        let message = self
            .inner
            .get("message")
            .and_then(raw_str)
            .unwrap_or_default();
        let after_message = match text.find(&*message) {
            Some(at) => at + message.len(),
            None => 0,
        };
        let rest = &text[after_message..];
        let rest = &rest[rest.find('\n')? + 1..];
        let tb = rest.trim_end_matches(['\n', '\r']);
        (!tb.trim().is_empty()).then(|| tb.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loguru(line: &str) -> Loguru<'_> {
        Loguru::parse(&Object::parse(line).unwrap()).unwrap()
    }

    const ERR: &str = r#"{"text":"2024-01-15 10:30:02.250 | ERROR    | app.worker:process:31 - Job 7 failed\nTraceback (most recent call last):\n  File \"/app/app/worker.py\", line 31, in process\nValueError: bad input\n","record":{"exception":{"type":"ValueError","value":"bad input","traceback":true},"extra":{"request_id":"req-lg-2","job":7},"file":{"name":"worker.py","path":"/app/app/worker.py"},"function":"process","level":{"name":"ERROR","no":40},"line":31,"message":"Job 7 failed","name":"app.worker","process":{"id":1,"name":"MainProcess"},"thread":{"id":140245,"name":"MainThread"},"time":{"repr":"2024-01-15 10:30:02.250000+00:00","timestamp":1705314602.25}}}"#;

    #[test]
    fn exception_is_the_traceback_from_text() {
        assert_eq!(
            loguru(ERR).exception().as_deref(),
            Some("Traceback (most recent call last):\n  File \"/app/app/worker.py\", line 31, in process\nValueError: bad input")
        );
    }

    #[test]
    fn exception_without_traceback_is_type_and_value() {
        let line = r#"{"text":"x | ERROR | m:f:1 - boom\n","record":{"exception":{"type":"KeyError","value":"'id'","traceback":false},"level":{"name":"ERROR"},"message":"boom","time":{"repr":"2024-01-15 10:00:00+00:00"}}}"#;
        assert_eq!(loguru(line).exception().as_deref(), Some("KeyError: 'id'"));
        let none = r#"{"text":"x\n","record":{"exception":null,"level":{"name":"INFO"},"message":"x","time":{"repr":"2024-01-15 10:00:00+00:00"}}}"#;
        assert_eq!(loguru(none).exception(), None);
    }

    #[test]
    fn call_site_fields() {
        let l = loguru(ERR);
        let got: Vec<String> = CALL_SITE[1..]
            .iter()
            .map(|k| l.call_site(k).unwrap().to_string())
            .collect();
        assert_eq!(
            got,
            ["\"process\"", "31", "\"/app/app/worker.py\"", "1", "140245"]
        );
    }
}
