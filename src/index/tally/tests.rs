use super::*;
use crate::index::need::key_hash;
use crate::testing::lines::{line, text_record, wrapped};
use proptest::prelude::*;

/// Keys the quick reading looks for (and some it must not take), at
/// the top level and nested: roles, correlation aliases, the test's
/// indexed fields, dotted flat keys.
const KEYS: &[&str] = &[
    "level",
    "levelname",
    "severity",
    "lvl",
    "log.level",
    "timestamp",
    "time",
    "ts",
    "@timestamp",
    "asctime",
    "datetime",
    "request_id",
    "correlation_id",
    "traceId",
    "context.request_id",
    "x",
    "pid",
    "hostname",
    "msg",
    "y",
];
const PARENTS: &[&str] = &["context", "extra", "ctx", "log", "z"];
const VALUES: &[&str] = &[
    r#""info""#,
    r#""ERROR""#,
    r#""warn""#,
    r#""bogus""#,
    "40",
    r#""30""#,
    "10",
    "true",
    "null",
    r#""req-1""#,
    r#""req-2""#,
    "42",
    "42.0",
    r#""42""#,
    "-0",
    "1e400",
    r#""""#,
    r#""2024-01-15T10:00:00Z""#,
    r#""2024-01-15T09:00:00.5Z""#,
    r#""2024-01-15T10:30:00+01:00""#,
    r#""2024-01-15 10:00:00,123""#,
    "1705312800",
    r#""yesterday""#,
    "[1,2]",
    r#"{"level":"error"}"#,
];

/// A plain JSON line: no escapes, so the quick reading takes it.
fn plain_line() -> impl Strategy<Value = Vec<u8>> {
    let pair = (0..KEYS.len(), 0..VALUES.len())
        .prop_map(|(k, v)| format!("\"{}\":{}", KEYS[k], VALUES[v]));
    let member = prop_oneof![
        3 => pair.clone(),
        1 => (0..PARENTS.len(), prop::collection::vec(pair.clone(), 0..3))
            .prop_map(|(p, v)| format!("\"{}\":{{{}}}", PARENTS[p], v.join(","))),
    ];
    prop::collection::vec(member, 0..7).prop_map(|m| format!("{{{}}}", m.join(",")).into_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// As below, on plain JSON lines only, all of which the quick
    /// reading takes.
    #[test]
    fn the_quick_reading_of_plain_lines_covers_the_full_parse(
        lines in prop::collection::vec(plain_line(), 1..6)
    ) {
        covers(&lines)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// The quick reading of a block finds at least what parsing every
    /// record finds: every key, every level, times at least as early
    /// and as late; and counts the same record starts.
    #[test]
    fn the_quick_reading_covers_the_full_parse(
        lines in prop::collection::vec(prop_oneof![4 => line(), 1 => wrapped(), 1 => text_record()], 1..6)
    ) {
        covers(&lines)?;
    }
}

fn covers(lines: &[Vec<u8>]) -> Result<(), TestCaseError> {
    {
        let roles = RoleMap::default();
        let fields = vec![
            vec!["x".to_string()],
            vec!["pid".into()],
            vec!["log".into(), "level".into()],
        ];
        let quick = Tally::new(&roles, &fields);
        let full = Tally {
            quick: false,
            ..Tally::new(&roles, &fields)
        };
        let text = lines.join(&b'\n');
        let (q, f) = (quick.block(&text), full.block(&text));
        prop_assert_eq!(q.lines, f.lines);
        prop_assert_eq!(
            q.block.records + q.block.invalid,
            f.block.records + f.block.invalid
        );
        prop_assert!(q.block.invalid <= f.block.invalid);
        let keys: std::collections::HashSet<u64> = q.keys.all.iter().copied().collect();
        for k in &f.keys.all {
            prop_assert!(keys.contains(k), "a key the parse found is missing");
        }
        for (a, b) in q.block.levels.iter().zip(f.block.levels) {
            prop_assert!(
                b == 0 || *a > 0,
                "levels {:?} vs {:?}",
                q.block.levels,
                f.block.levels
            );
        }
        if let Some((lo, hi)) = f.block.times {
            let (qlo, qhi) = q.block.times.expect("times");
            prop_assert!(
                qlo <= lo && qhi >= hi,
                "{:?} vs {:?}",
                q.block.times,
                f.block.times
            );
        }
    }
    Ok(())
}

#[test]
fn utc_times_of_one_shape_order_as_text() {
    assert!(is_utc_text("2024-01-15T10:00:00Z"));
    assert!(is_utc_text("2024-01-15T10:00:00.123456Z"));
    assert!(!is_utc_text("2024-01-15T10:00:00.Z"));
    assert!(!is_utc_text("2024-01-15 10:00:00Z"));
    assert!(!is_utc_text("2024-01-15T10:00:00+01:00"));
    assert!(!is_utc_text("2024-01-15T10:00:00"));
    let mut t = TextTimes::default();
    assert!(t.add("2024-01-15T10:00:01Z"));
    assert!(t.add("2024-01-15T09:59:59Z"));
    assert!(t.add("2024-01-15T10:00:00Z"));
    assert!(!t.add("2024-01-15T10:00:00.5Z"));
    assert_eq!(
        t.span,
        Some(("2024-01-15T09:59:59Z", "2024-01-15T10:00:01Z"))
    );
}
use crate::index::need::{needs, Need};
use crate::record::Timestamp;

#[test]
fn a_block_holds_what_its_records_say() {
    let roles = RoleMap::default();
    let fields = vec![
        vec!["user_id".to_string()],
        vec!["ctx".into(), "org".into()],
    ];
    let tally = Tally::new(&roles, &fields);
    let text = b"{\"time\":\"2024-01-15T10:00:00Z\",\"level\":\"info\",\"request_id\":\"req-1\",\"user_id\":42}\n\
not a record\n\
{\"time\":\"2024-01-15T09:00:00Z\",\"level\":\"error\",\"ctx\":{\"org\":\"acme\"},\"trace_id\":7}\n";
    let facts = tally.block(text);
    assert_eq!(facts.lines, 3);
    let b = facts.seal();
    assert_eq!(b.invalid, 1);
    assert_eq!(b.records, 2);
    assert_eq!(b.levels, [0, 0, 1, 0, 0, 1, 0]);
    let t = |s| Timestamp::parse(s).unwrap();
    assert_eq!(
        b.times,
        Some((t("2024-01-15T09:00:00Z"), t("2024-01-15T10:00:00Z")))
    );
    let has = |path: Option<&[String]>, k: KeyRef| b.bloom.may_hold(key_hash(path, &k));
    assert!(has(None, KeyRef::Text("req-1")));
    assert!(has(None, KeyRef::Number(7.0)));
    assert!(has(None, KeyRef::Text("7")));
    assert!(has(Some(&fields[0]), KeyRef::Number(42.0)));
    assert!(has(Some(&fields[0]), KeyRef::Text("42")));
    assert!(has(Some(&fields[1]), KeyRef::Text("acme")));
    assert!(!has(None, KeyRef::Text("acme")));
    let q = crate::filter::query::Query::parse_at("ctx.org = \"acme\"", chrono::Utc::now(), false)
        .unwrap();
    let need: Vec<Need> = needs(&crate::filter::Expr::Query(q));
    assert!(need[0].may_match(&b, &fields));
}
