use super::*;
use proptest::prelude::*;

/// The default roles, with zone-less times read as UTC whatever the
/// machine's zone (text records are local time by default).
fn roles() -> RoleMap {
    let mut m = RoleMap::default();
    m.input_tz = zone::InputTz::Fixed(zone::Zone::Utc);
    m
}

#[test]
fn json_roles_under_aliases() {
    let r = Record::parse(
        r#"{"ts":1705312800,"severity":"warn","msg":"hi","logger_name":"src.api","context":{"correlation_id":"c-1"},"app":"api"}"#,
    );
    let m = roles();
    assert_eq!(r.format(), Format::Json);
    assert_eq!(r.time(&m).unwrap().to_rfc3339(), "2024-01-15T10:00:00.000Z");
    assert_eq!(r.level(&m), Some(Level::Warning));
    assert_eq!(r.role_text(Role::Message, &m).as_deref(), Some("hi"));
    assert_eq!(r.role_text(Role::Module, &m).as_deref(), Some("src.api"));
    assert_eq!(r.role_text(Role::Cid, &m).as_deref(), Some("c-1"));
    assert_eq!(r.role_text(Role::Service, &m).as_deref(), Some("api"));
}

#[test]
fn nested_log_level_and_pino_numbers() {
    let m = roles();
    let r = Record::parse(r#"{"log":{"level":"error"},"message":"x"}"#);
    assert_eq!(r.level(&m), Some(Level::Error));
    let pino =
        Record::parse(r#"{"level":30,"time":1705312800000,"pid":1,"hostname":"h","msg":"x"}"#);
    assert_eq!(pino.level(&m), Some(Level::Info));
    let py = Record::parse(r#"{"level":30,"msg":"x"}"#);
    assert_eq!(py.level(&m), Some(Level::Warning));
}

#[test]
fn docker_prefix_gives_service_unless_record_has_one() {
    let m = roles();
    let r = Record::parse(r#"api-1   | {"level":"info","message":"m"}"#);
    assert_eq!(r.role_text(Role::Service, &m).as_deref(), Some("api-1"));
    let r = Record::parse(r#"api-1   | {"level":"info","service":"billing"}"#);
    assert_eq!(r.role_text(Role::Service, &m).as_deref(), Some("billing"));
}

#[test]
fn loguru_serialized_reads_record() {
    let m = roles();
    let r = Record::parse(
        r#"{"text":"x\n","record":{"extra":{"request_id":"req-1"},"level":{"name":"ERROR","no":40},"message":"boom","name":"app.main","time":{"repr":"2024-01-15 10:30:00.123456+00:00","timestamp":1705314600.123456}}}"#,
    );
    assert_eq!(r.format(), Format::Loguru);
    assert_eq!(r.level(&m), Some(Level::Error));
    assert_eq!(r.role_text(Role::Message, &m).as_deref(), Some("boom"));
    assert_eq!(r.role_text(Role::Module, &m).as_deref(), Some("app.main"));
    assert_eq!(r.role_text(Role::Cid, &m).as_deref(), Some("req-1"));
    assert_eq!(r.time(&m).unwrap().to_rfc3339(), "2024-01-15T10:30:00.123Z");
}

#[test]
fn text_record_with_traceback() {
    let m = roles();
    let text = "2024-01-15 10:30:00,123 - src.api - ERROR - failed\nTraceback (most recent call last):\nValueError: bad";
    let r = Record::parse(text);
    assert_eq!(r.format(), Format::Text);
    assert_eq!(r.level(&m), Some(Level::Error));
    assert_eq!(
        r.role_text(Role::Message, &m).as_deref(),
        Some("failed\nTraceback (most recent call last):\nValueError: bad")
    );
    assert_eq!(r.time(&m).unwrap().to_rfc3339(), "2024-01-15T10:30:00.123Z");
}

#[test]
fn split_folds_tracebacks_and_counts_invalid() {
    let buf = b"{\"a\":1}\ngarbage\n2024-01-15 10:30:00,123 - m - ERROR - x\n  File \"y\"\n\nValueError\n{\"b\":2}\n\n";
    let mut spans = Vec::new();
    let lines = split_records(buf, |s| spans.push(s));
    assert_eq!(lines, 8);
    let texts: Vec<_> = spans
        .iter()
        .map(|s| {
            (
                String::from_utf8_lossy(&buf[s.start..s.end]).into_owned(),
                s.line,
                s.is_invalid,
            )
        })
        .collect();
    assert_eq!(
        texts,
        vec![
            ("{\"a\":1}".to_string(), 0, false),
            ("garbage".to_string(), 1, true),
            (
                "2024-01-15 10:30:00,123 - m - ERROR - x\n  File \"y\"\n\nValueError".to_string(),
                2,
                false
            ),
            ("{\"b\":2}".to_string(), 6, false),
        ]
    );
}

#[test]
fn half_written_last_line_is_invalid() {
    let r = Record::parse(r#"{"level":"info","mess"#);
    assert_eq!(r.format(), Format::Invalid);
}

proptest! {
    #[test]
    fn no_bytes_make_the_parsers_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let text = String::from_utf8_lossy(&bytes);
        let r = Record::parse(&text);
        let m = RoleMap::default();
        let _ = (r.time(&m), r.level(&m), r.cids(&m), r.to_value(), r.extra_fields(&m));
        let _ = split_records(&bytes, |_| {});
        let _ = Timestamp::parse(&text);
    }

    #[test]
    fn json_like_strings_never_panic(s in "\\{[\"a-z:0-9,\\[\\]{}\\\\ .-]{0,60}") {
        let r = Record::parse(&s);
        let _ = r.level(&RoleMap::default());
        let _ = r.field(&["a", "b"]);
    }
}
