//! Every fast path against the plain path, on generated lines: the quick
//! validity check, the quick role and time lookups and the sieve's keep
//! decision (prefilter, quick look) must give what `Record::parse`, the
//! role lookup and the filter give (issue 12).

use super::*;
use crate::filter::query::Query;
use crate::filter::{Grep, ModuleGlobs};
use crate::record::json::is_valid_object;
use crate::record::{classify, quick_role, quick_time, Field, LevelFilter, Quick, Role, Timestamp};
use globset::{Glob, GlobSetBuilder};
use proptest::prelude::*;

use crate::testing::lines::{line, text_record, wrapped};

fn grep(pattern: &str, whole_line: bool) -> Expr {
    Expr::Grep(Grep {
        regex: regex::Regex::new(pattern).unwrap(),
        bytes: regex::bytes::Regex::new(pattern).unwrap(),
        whole_line,
        literal: None,
        is_unanchored: !pattern.contains('^'),
    })
}

fn filters() -> Vec<Expr> {
    let module = |pats: &[&str]| {
        let mut set = GlobSetBuilder::new();
        for p in pats {
            set.add(Glob::new(p).unwrap());
        }
        Expr::Module(ModuleGlobs {
            include: Some(set.build().unwrap()),
            exclude: None,
            literals: Some(pats.iter().map(|p| p.replace('*', "")).collect()),
        })
    };
    vec![
        Expr::True,
        Expr::Level(LevelFilter::parse("error").unwrap()),
        Expr::Level(LevelFilter::parse("=warn").unwrap()),
        Expr::Time {
            since: Timestamp::parse("2024-01-15T09:00:00Z"),
            until: Timestamp::parse("2024-01-15T10:15:00Z"),
        },
        Expr::Cid(vec!["req-abc".into()]),
        module(&["src.api.*"]),
        Expr::all(vec![
            Expr::Level(LevelFilter::parse("warn").unwrap()),
            Expr::Cid(vec!["req-abc".into()]),
        ]),
        Expr::Query(
            Query::parse_at("level = ERROR or message = info", chrono::Utc::now(), false).unwrap(),
        ),
        grep("ValueError|req-abc", false),
        grep("ValueError", true),
        grep("^done", false),
    ]
}

/// The plain path's raw value of a role, when it is a raw JSON value.
fn plain_raw<'a>(rec: &Record<'a>, role: Role, roles: &RoleMap) -> Option<Vec<u8>> {
    match rec.role(role, roles)? {
        Field::Raw(r) => Some(r.get().as_bytes().to_vec()),
        other => Some(format!("not raw: {other:?}").into_bytes()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 5000, ..ProptestConfig::default() })]

    #[test]
    fn fast_paths_agree_with_the_plain_path(
        raw in prop_oneof![6 => line(), 1 => wrapped(), 1 => text_record()]
    ) {
        let roles = RoleMap::default();
        let first_line = raw.split(|c| *c == b'\n').next().unwrap_or_default();
        let first = classify(first_line);
        let text = super::super::text_of(&raw);
        let rec = Record::parse(&text);
        let shown = String::from_utf8_lossy(&raw).into_owned();
        // The classified parse is the parse.
        let classified = Record::parse_classified(&text, &first);
        prop_assert_eq!(classified.format(), rec.format(), "{}", shown);
        prop_assert_eq!(classified.to_value(), rec.to_value(), "{}", shown);

        let is_json_record = first.kind == LineKind::Json && rec.is_valid();
        if first.kind == LineKind::Json {
            prop_assert_eq!(is_valid_object(first.body), rec.is_valid(), "validity of {}", shown);
        }
        if is_json_record {
            for role in [Role::Level, Role::Time, Role::Module, Role::Message] {
                match quick_role(&first, role, &roles) {
                    // Bad UTF-8 bytes are U+FFFD to the plain path.
                    Quick::Value(v) => prop_assert_eq!(
                        Some(String::from_utf8_lossy(v).into_owned().into_bytes()),
                        plain_raw(&rec, role, &roles),
                        "{:?} of {}", role, shown
                    ),
                    Quick::Absent if role != Role::Time => prop_assert!(
                        rec.role(role, &roles).is_none(),
                        "{:?} absent from {}", role, shown
                    ),
                    _ => {}
                }
            }
            if let Quick::Value(v) = quick_role(&first, Role::Level, &roles) {
                if let Some(s) = crate::record::quick::plain_str(v) {
                    prop_assert_eq!(
                        crate::record::Level::parse(s),
                        rec.level(&roles),
                        "level of {}", shown
                    );
                }
            }
            if let Some(t) = quick_time(&first, &roles) {
                prop_assert_eq!(t, rec.time(&roles), "time of {}", shown);
            }
        }

        for filter in filters() {
            let cx = Context { roles: &roles, category: None };
            let plain = rec.is_valid() && filter.matches(&rec, &cx);
            for fast in [true, false] {
                let sieve = Sieve::new(&filter, &roles, fast);
                let mut slot = Cow::Borrowed("");
                let mut taken = None;
                let mut take = |l: &Classified| {
                    taken = Some(quick_time(l, &roles));
                    true
                };
                let verdict = sieve.judge(&raw, &first, &mut slot, &cx, Some(&mut take));
                let kept = match &verdict {
                    Verdict::Taken => true,
                    Verdict::Parsed { keep, .. } => *keep,
                    Verdict::Skipped | Verdict::Invalid => false,
                };
                prop_assert_eq!(kept, plain, "{:?} (fast: {}) on {}", filter, fast, shown);
                if matches!(verdict, Verdict::Taken) {
                    prop_assert!(is_json_record, "taken unparsed: {}", shown);
                    if let Some(Some(t)) = taken {
                        prop_assert_eq!(t, rec.time(&roles), "taken time of {}", shown);
                    }
                }
                if matches!(verdict, Verdict::Invalid) {
                    prop_assert!(!rec.is_valid() || !first.is_record_start(), "{}", shown);
                }
            }
        }
    }
}

/// The lines of the bug report and its neighbours, decided both ways.
#[test]
fn escaped_keys_are_decided_as_the_plain_path_decides_them() {
    let roles = RoleMap::default();
    let level = Expr::Level(LevelFilter::parse("error").unwrap());
    let cx = Context {
        roles: &roles,
        category: None,
    };
    for (line, kept) in [
        // Lone surrogate in a key: serde_json refuses the line (issue 12).
        (
            r#"{"\ud800":1,"timestamp":"2024-01-15T10:00:00Z","level":"ERROR","message":"x"}"#,
            false,
        ),
        (r#"{"\udc00":1,"level":"ERROR"}"#, false),
        (r#"{"\udc00\ud800":1,"level":"ERROR"}"#, false),
        (r#"{"\ud800\u0041":1,"level":"ERROR"}"#, false),
        // In a value, or a nested key, serde_json only skips it.
        (r#"{"a":"\ud800","level":"ERROR"}"#, true),
        (r#"{"a":{"\ud800":1},"level":"ERROR"}"#, true),
        (r#"{"\ud83d\ude00":1,"level":"ERROR"}"#, true),
        // An escaped duplicate of the level: the last one counts.
        (r#"{"level":"ERROR","lev\u0065l":"info"}"#, false),
        (r#"{"level":"info","lev\u0065l":"ERROR"}"#, true),
        (r#"{"lev\u0065l":"info","level":"ERROR"}"#, true),
        // An escaped higher alias.
        (r#"{"\u006cevel":"info","severity":"ERROR"}"#, false),
        // A key that ends in `"level`.
        (r#"{"\"level":"ERROR"}"#, false),
        // A flat dotted alias, tried before the plain one.
        (r#"{"log.level":"ERROR"}"#, true),
    ] {
        let raw = line.as_bytes();
        let first = classify(raw);
        let text = super::super::text_of(raw);
        let rec = Record::parse(&text);
        assert_eq!(
            rec.is_valid() && level.matches(&rec, &cx),
            kept,
            "plain path on {line}"
        );
        let sieve = Sieve::new(&level, &roles, true);
        let mut slot = Cow::Borrowed("");
        let verdict = sieve.judge(raw, &first, &mut slot, &cx, Some(&mut |_| true));
        let fast = matches!(verdict, Verdict::Taken | Verdict::Parsed { keep: true, .. });
        assert_eq!(fast, kept, "fast path on {line}");
    }
}

#[test]
fn a_dotted_alias_tried_first_is_not_passed_over() {
    let mut roles = RoleMap::default();
    roles.prepend(Role::Level, "log.level");
    let raw = br#"{"log.level":"ERROR","level":"info"}"#;
    let rec = Record::parse(std::str::from_utf8(raw).unwrap());
    let want = plain_raw(&rec, Role::Level, &roles);
    assert_eq!(want.as_deref(), Some(&b"\"ERROR\""[..]));
    match quick_role(&classify(raw), Role::Level, &roles) {
        Quick::Value(v) => assert_eq!(Some(v), want.as_deref()),
        Quick::Absent => panic!("absent"),
        Quick::Unknown => {}
    }
}

#[test]
fn a_logcli_line_keeps_its_inner_time() {
    let roles = RoleMap::default();
    let raw = br#"{"timestamp":"2024-01-15T10:00:00Z","labels":{"app":"api"},"line":"{\"timestamp\":\"2024-01-15T11:00:00Z\"}"}"#;
    let rec = Record::parse(std::str::from_utf8(raw).unwrap());
    let want = rec.time(&roles);
    assert_eq!(want, Timestamp::parse("2024-01-15T11:00:00Z"));
    if let Some(t) = quick_time(&classify(raw), &roles) {
        assert_eq!(t, want);
    }
}
