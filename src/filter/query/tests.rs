//! Unit tests of `-q`: every operator, precedence, roles, kinds, needles,
//! and every error message.

use super::*;
use crate::record::zone::{InputTz, Zone};
use crate::record::RoleMap;
use proptest::prelude::*;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-01-15T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn q(s: &str) -> Query {
    Query::parse_at(s, now(), false).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn keeps(query: &str, line: &str) -> bool {
    // Text records' zone-less times are local by default: pin the zone so
    // the test does not depend on the machine's.
    let mut roles = RoleMap::default();
    roles.input_tz = InputTz::Fixed(Zone::Utc);
    let cx = Context {
        roles: &roles,
        category: Some("app"),
    };
    q(query).matches(&Record::parse(line), &cx)
}

fn err(s: &str) -> String {
    Query::parse_at(s, now(), false).unwrap_err().to_string()
}

const A: &str = r#"{"timestamp":"2024-01-15T10:30:00Z","level":"warn","message":"Slow query on users","logger_name":"src.db.pool","duration_ms":1500,"status":"failed","count":"42","context":{"organization_id":"org_123","a.b":7},"x-correlation-id":"req-1","tags":["db","slow"],"ok":true,"gone":null}"#;
const B: &str = r#"{"time":"2024-01-15T11:45:00Z","severity":"INFO","msg":"done","module":"src.api.routes","duration_ms":20,"status":"ok","extra":{"request_id":"req-2"},"category":"audit"}"#;

#[test]
fn comparison_operators() {
    for (query, a, b) in [
        ("duration_ms > 1000", true, false),
        ("duration_ms >= 1500", true, false),
        ("duration_ms < 1500", false, true),
        ("duration_ms <= 20", false, true),
        ("duration_ms = 1500", true, false),
        ("duration_ms = 1.5e3", true, false),
        ("duration_ms == 20", false, true),
        ("duration_ms != 20", true, false),
        ("status = failed", true, false),
        (r#"status = "failed""#, true, false),
        ("status != failed", false, true),
        (r#"status > "g""#, false, true),
        // Bare times and levels after an ordering are still words.
        ("timestamp >= 2024-01-15T10:00:00Z", true, false),
        (".level >= warn", true, false),
        ("count > 41", true, false),
        ("count = 42.0", true, false),
        (r#"count = "42""#, true, false),
        (r#"duration_ms = "1500""#, true, false),
        ("ok = true", true, false),
        ("message ~ users", true, false),
        ("message ~ Users", false, false),
        ("message =~ '^Slow'", false, false),
        (r#"message =~ "^(Slow|done)$|users$""#, true, true),
        ("module like src.db.*", true, false),
        ("module like *api*", false, true),
        ("status in (failed, cancelled)", true, false),
        ("duration_ms in (20, 30)", false, true),
        ("tags ~ slow", true, false),
        ("context ~ org_123", true, false),
    ] {
        assert_eq!((keeps(query, A), keeps(query, B)), (a, b), "{query}");
    }
}

#[test]
fn roles_versus_raw_fields() {
    assert!(keeps("level = warning", A));
    assert!(keeps("level = info", B));
    assert!(!keeps(".level = warning", A));
    assert!(keeps(".level = warn", A));
    assert!(keeps(r#""level" = warn"#, A));
    assert!(!keeps(".level = INFO", B));
    assert!(keeps("message = done", B));
    assert!(keeps("module = src.db.pool", A));
    assert!(keeps("service = app", r#"{"app":"app"}"#));
    assert!(keeps("cid = req-1", A));
    assert!(keeps("cid = req-2", B));
    assert!(keeps("cid in (req-9, req-2)", B));
    assert!(keeps("cid ~ req", A));
    assert!(keeps("cid = b", r#"{"request_id":"a","trace_id":"b"}"#));
    assert!(!keeps("cid != b", r#"{"request_id":"a","trace_id":"b"}"#));
    assert!(keeps("category = app", A));
    assert!(keeps("category = audit", B));
}

#[test]
fn levels_by_severity_and_times_as_times() {
    assert!(keeps("level >= warning", A));
    assert!(!keeps("level >= warning", B));
    assert!(keeps("level < warn", B));
    assert!(keeps("level in (info, debug)", B));
    assert!(keeps("level ~ war", A));
    assert!(keeps(r#"time < "2024-01-15 11:00""#, A));
    assert!(!keeps(r#"time < "2024-01-15 11:00""#, B));
    assert!(keeps("time >= -15m", r#"{"ts":"2024-01-15T11:50:00Z"}"#));
    assert!(keeps("time >= -15m", B));
    assert!(!keeps("time > -15m", B));
    assert!(!keeps("time >= -14m", B));
    assert!(keeps("time >= today", B));
    assert!(keeps("time = 2024-01-15T10:30:00Z", A));
    assert!(keeps("time ~ T11:45", B));
}

#[test]
fn paths_and_quoted_segments() {
    assert!(keeps("context.organization_id = org_123", A));
    assert!(keeps(r#"context."a.b" = 7"#, A));
    assert!(keeps(r#""x-correlation-id" = req-1"#, A));
    assert!(keeps("x-correlation-id = req-1", A));
    assert!(keeps("extra.request_id = req-2", B));
    assert!(!keeps("context.missing = 1", A));
}

#[test]
fn missing_and_null_fields_fail_every_test() {
    for query in [
        "gone = null",
        "gone != x",
        "nope != x",
        "nope < 5",
        "nope ~ a",
    ] {
        assert!(!keeps(query, A), "{query}");
    }
    assert!(keeps("not (nope = x)", A));
    assert!(keeps(
        "exists(ok) and not exists(gone) and not exists(nope)",
        A
    ));
    assert!(keeps("exists(cid) and exists(context.organization_id)", A));
    assert!(!keeps("exists(service)", A));
}

#[test]
fn precedence_and_grouping() {
    // not > and > or
    assert!(keeps(
        "status = ok or status = failed and duration_ms > 1000",
        A
    ));
    assert!(keeps(
        "status = ok or status = failed and duration_ms > 1000",
        B
    ));
    assert!(!keeps(
        "(status = ok or status = failed) and duration_ms > 1000",
        B
    ));
    assert!(!keeps("not status = failed or status = ok", A));
    assert!(keeps("NOT (status = ok) AND level = warning", A));
    assert!(keeps("not not status = failed", A));
}

#[test]
fn text_records_and_unparsed_lines() {
    let t = "2024-01-15 10:30:02,000 - src.api.routes - ERROR - Unhandled error";
    assert!(keeps("level = error and module like src.api.*", t));
    assert!(keeps("message ~ Unhandled", t));
    assert!(keeps("time > 2024-01-15T10:30:01Z", t));
    assert!(!keeps("exists(nope)", t));
    assert!(!keeps("not exists(nope)", "garbage line"));
}

#[test]
fn every_error_message() {
    let cases = [
        ("", "empty query at column 1\n  \n  ^"),
        ("   ", "empty query at column 1\n     \n  ^"),
        ("duration_ms >", "expected a value after '>', found the end at column 14\n  duration_ms >\n               ^"),
        ("duration_ms", "expected an operator after 'duration_ms' (= != < <= > >= ~ =~ like in), found the end at column 12\n  duration_ms\n             ^"),
        ("a b", "expected an operator after 'a' (= != < <= > >= ~ =~ like in), found 'b' at column 3\n  a b\n    ^"),
        ("a = 1 b = 2", "expected 'and' or 'or' between conditions, found 'b' at column 7\n  a = 1 b = 2\n        ^"),
        ("(a = 1", "expected ')' to close '(' at column 1, found the end at column 7\n  (a = 1\n        ^"),
        ("a = 1)", "unmatched ')' at column 6\n  a = 1)\n       ^"),
        ("= 1", "expected a field name, found '=' at column 1\n  = 1\n  ^"),
        ("a = 1 and", "expected a condition, found the end at column 10\n  a = 1 and\n           ^"),
        ("and a = 1", "expected a condition before 'and' at column 1\n  and a = 1\n  ^"),
        ("a = 1 or or b = 1", "expected a condition before 'or' at column 10\n  a = 1 or or b = 1\n           ^"),
        ("a ! b", "unexpected '!' (use '!=' or 'not') at column 3\n  a ! b\n    ^"),
        ("a = \"x", "unterminated string at column 5\n  a = \"x\n      ^"),
        (r#"a = "\q""#, "invalid string \"\\q\": invalid escape at column 5\n  a = \"\\q\"\n      ^"),
        ("a..b = 1", "empty key in field name 'a..b' at column 1\n  a..b = 1\n  ^"),
        ("a = x\"y\"", "a value is either a bare word or one \"string\", not both glued together at column 5\n  a = x\"y\"\n      ^"),
        ("a = )", "expected a value after '=', found ')' at column 5\n  a = )\n      ^"),
        ("a in x", "expected '(' after 'in', found 'x' at column 6\n  a in x\n       ^"),
        ("a in (1 2)", "expected ',' or ')' to close the list at column 6, found '2' at column 9\n  a in (1 2)\n          ^"),
        ("a in (1,)", "expected a value after ',', found ')' at column 9\n  a in (1,)\n          ^"),
        ("exists(a", "expected ')' to close 'exists(' at column 7, found the end at column 9\n  exists(a\n          ^"),
        ("exists()", "expected a field name, found ')' at column 8\n  exists()\n         ^"),
        ("exists(", "expected a field name, found the end at column 8\n  exists(\n         ^"),
        ("message =~ \"(\"", "invalid regex '(': unclosed group at column 12\n  message =~ \"(\"\n             ^"),
        ("module like \"a[\"", "invalid glob 'a[': unclosed character class; missing ']' at column 13\n  module like \"a[\"\n              ^"),
        ("duration_ms > abc", "'abc' is not a number, time or level; '>' needs one (quote it to compare text: \"abc\") at column 15\n  duration_ms > abc\n                ^"),
        ("name >= é", "'é' is not a number, time or level; '>=' needs one (quote it to compare text: \"é\") at column 9\n  name >= é\n          ^"),
        ("level >= loud", "unknown level 'loud' (expected trace, debug, info, success, warning, error or critical) at column 10\n  level >= loud\n           ^"),
        ("time > soon", "invalid time 'soon' (expected RFC3339, YYYY-MM-DD[ HH:MM[:SS]], today, yesterday, now, or an age like -15m, 2h, 3d) at column 8\n  time > soon\n         ^"),
    ];
    for (query, want) in cases {
        assert_eq!(err(query), want, "{query}");
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = "(".repeat(5000) + "a = 1" + &")".repeat(5000);
    assert!(err(&deep).starts_with("query nested too deeply (more than 64 levels) at column 66"));
    let deep = "not ".repeat(5000) + "a = 1";
    assert!(err(&deep).starts_with("query nested too deeply"));
    assert!(keeps(&("not ".repeat(60) + "status = failed"), A));
}

#[test]
fn needles_for_exact_words() {
    let n = |s: &str| q(s).needles();
    let v = |s: &[&str]| Some(s.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    assert_eq!(n("status = failed"), v(&["failed"]));
    assert_eq!(n(r#"context.org = "org_123""#), v(&["org_123"]));
    assert_eq!(n("cid = req-1 or message = boom"), v(&["req-1", "boom"]));
    assert_eq!(n("status in (a1, b22)"), v(&["a1", "b22"]));
    assert_eq!(
        n("duration_ms > 5 and status = x and module = abcdef"),
        v(&["abcdef"])
    );
    assert_eq!(n("status = failed or duration_ms > 5"), None);
    assert_eq!(n("duration_ms = 1500"), None);
    assert_eq!(n("level = error"), None);
    assert_eq!(n("category = app"), None);
    assert_eq!(n("time = 2024-01-15"), None);
    assert_eq!(n("status != failed"), None);
    assert_eq!(n("not status = failed"), None);
    assert_eq!(n(r#"path = "a/b""#), None);
}

proptest! {
    #[test]
    fn parser_never_panics(s in "\\PC{0,40}") {
        let _ = Query::parse_at(&s, now(), false);
    }

    #[test]
    fn parser_never_panics_on_query_like_text(
        s in proptest::collection::vec(
            prop_oneof![
                Just("a"), Just(".b"), Just("level"), Just("time"), Just("cid"), Just("("), Just(")"),
                Just("\""), Just("\\"), Just("="), Just("!="), Just("<"), Just("~"), Just("=~"),
                Just("like"), Just("in"), Just("and"), Just("or"), Just("not"), Just("exists"),
                Just(","), Just("1"), Just("-15m"), Just("warn"), Just("é"), Just(" "), Just("."),
            ],
            0..20,
        )
    ) {
        let s: String = s.concat();
        if let Ok(query) = Query::parse_at(&s, now(), false) {
            let roles = RoleMap::default();
            let cx = Context { roles: &roles, category: None };
            let _ = query.matches(&Record::parse(A), &cx);
            let _ = query.needles();
        }
    }
}
