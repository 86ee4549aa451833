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
    assert_eq!(r.time(&m).unwrap().to_rfc3339(), "2024-01-15T10:00:00Z");
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
    assert_eq!(
        r.time(&m).unwrap().to_rfc3339(),
        "2024-01-15T10:30:00.123456Z"
    );
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

#[test]
fn flat_dotted_keys_are_roles_on_both_paths() {
    let m = roles();
    let line = r#"{"@timestamp":"2024-03-12T09:00:00.049Z","log.level":"error","message":"x","log":{"logger":"app"}}"#;
    let r = Record::parse(line);
    assert_eq!(r.level(&m), Some(Level::Error));
    assert_eq!(r.role_text(Role::Module, &m).as_deref(), Some("app"));
    assert_eq!(
        r.field(&["log", "level"])
            .and_then(|f| f.as_text().map(|t| t.into_owned()))
            .as_deref(),
        Some("error")
    );
    assert!(r.extra_fields(&m).iter().all(|(k, _)| k != "log.level"));
    // The quick look is unsure rather than wrong.
    assert_eq!(
        quick_role(&classify(line.as_bytes()), Role::Level, &m),
        Quick::Unknown
    );
}

#[test]
fn loguru_fields_and_extra_paths() {
    let m = roles();
    let r = Record::parse(
        r#"{"text":"t | ERROR | m:f:3 - boom\nTraceback (most recent call last):\nKeyError: 'k'\n","record":{"exception":{"type":"KeyError","value":"'k'","traceback":true},"extra":{"request_id":"r-1","duration_ms":12,"ctx":{"a":1}},"function":"f","line":3,"file":{"path":"/x.py"},"level":{"name":"ERROR"},"message":"boom","name":"m","process":{"id":7},"thread":{"id":9},"time":{"repr":"2024-01-15 10:00:00+00:00"}}}"#,
    );
    let text = |path: &[&str]| {
        r.field(path)
            .and_then(|f| f.as_text().map(|t| t.into_owned()))
    };
    assert_eq!(
        text(&["exception"]).as_deref(),
        Some("Traceback (most recent call last):\nKeyError: 'k'")
    );
    assert_eq!(text(&["duration_ms"]).as_deref(), Some("12"));
    assert_eq!(text(&["extra", "duration_ms"]).as_deref(), Some("12"));
    assert_eq!(text(&["extra", "ctx", "a"]).as_deref(), Some("1"));
    assert_eq!(text(&["ctx", "a"]).as_deref(), Some("1"));
    assert_eq!(text(&["file"]).as_deref(), Some("/x.py"));
    assert_eq!(text(&["record", "file", "path"]).as_deref(), Some("/x.py"));
    let keys: Vec<String> = r
        .extra_fields(&m)
        .into_iter()
        .map(|(k, _)| k.into_owned())
        .collect();
    assert_eq!(
        keys,
        [
            "duration_ms",
            "ctx",
            "exception",
            "function",
            "line",
            "file",
            "process",
            "thread"
        ]
    );
}

#[test]
fn text_pairs_are_correlation_ids_and_fields() {
    let m = roles();
    let r = Record::parse("2024-01-15 10:00:00,000 - app - INFO - done request_id=req-1 took=12");
    assert_eq!(r.role_text(Role::Cid, &m).as_deref(), Some("req-1"));
    assert_eq!(r.cids(&m).len(), 1);
    assert_eq!(r.field(&["took"]).and_then(|f| f.as_number()), Some(12.0));
    assert_eq!(r.to_value()["took"], serde_json::json!(12));
    assert!(r.echoes_message("took") && r.role_echoes_message(Role::Cid, &m));
}

#[test]
fn logcli_falls_back_to_its_labels_and_time() {
    let m = roles();
    let r = Record::parse(
        r#"{"labels":{"app":"api","detected_level":"warn"},"line":"plain text","timestamp":"2024-03-12T10:00:00+01:00"}"#,
    );
    // The inner line is not a record; the labels still say what it is.
    assert_eq!(r.level(&m), Some(Level::Warning));
    assert_eq!(r.role_text(Role::Service, &m).as_deref(), Some("api"));
    assert_eq!(r.time(&m).unwrap().to_rfc3339(), "2024-03-12T09:00:00Z");
}

#[test]
fn container_time_stands_in_for_a_record_without_one() {
    let m = roles();
    let line = "api-1  | 2024-03-12T09:00:00.5Z INFO:     Started server process [1]";
    let r = Record::parse(line);
    assert_eq!(r.time(&m).unwrap().to_rfc3339(), "2024-03-12T09:00:00.500Z");
    assert_eq!(r.prefix_service(), Some("api-1"));
    let json = r#"api-1  | 2024-03-12T09:00:00.5Z {"level":"info","message":"m"}"#;
    assert_eq!(
        Record::parse(json).time(&m),
        quick_time(&classify(json.as_bytes()), &m).flatten()
    );
}

proptest! {
    #[test]
    fn container_and_text_shapes_never_panic(
        pre in prop::sample::select(vec!["", "api-1  | ", "\u{1b}[36mapi-1 | \u{1b}[0m", "[pod/a-1/api] ", "2024-03-12T09:00:00.1Z ", "w | 2024-03-12T09:00:00Z "]),
        head in prop::sample::select(vec!["INFO:     ", "[2024-03-12 10:00:00,1: INFO/P] ", "[2024-03-12 10:00:00 +0100] [7] [ERROR] ", "1.2.3.4 - - [12/Mar/2024:10:00:01 +0100] \"GET / HTTP/1.1\" ", "[12/Mar/2024 10:00:01] \"", "Not Found: /", "2024-03-12 10:00:00,000 - a - INFO - "]),
        rest in "[ -~\u{e9}\u{2502}]{0,40}",
    ) {
        let text = format!("{pre}{head}{rest}\n  File \"x\"\nValueError: {rest}");
        let r = Record::parse(&text);
        let m = RoleMap::default();
        let _ = (r.time(&m), r.level(&m), r.cids(&m), r.to_value(), r.extra_fields(&m));
        let _ = (r.role_text(Role::Message, &m), r.field(&["status"]), r.echoes_message("k"));
        let _ = split_records(text.as_bytes(), |_| {});
        let _ = quick_time(&classify(text.as_bytes()), &m);
    }

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
