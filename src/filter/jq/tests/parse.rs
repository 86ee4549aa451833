//! Parsing the `--jq` subset: where `,` may appear, programs that are not
//! `select` stages, the paths a filter reads, every error message, and the
//! filters SPEC's workflows use.

use super::{err, keeps, REC};
use crate::filter::jq::*;

#[test]
fn commas_only_in_generators() {
    assert!(Filter::parse(r#"select(.level | IN("ERROR", "CRITICAL"))"#).is_ok());
    assert!(Filter::parse(r#"select(any(.a, .b; . == 1))"#).is_ok());
    assert!(Filter::parse(r#"select(IN(.a, (.b | ascii_downcase); "x", "y"))"#).is_ok());
    assert!(err(r#"select(.a, .b)"#).starts_with("',' (several outputs) is not supported"));
    assert!(err(r#"select((.a, .b) | IN(1))"#).starts_with("',' (several outputs)"));
    assert_eq!(
        err("IN(1; 2; 3)"),
        "IN takes 1 or 2 arguments, not 3 at column 1\n  IN(1; 2; 3)\n  ^"
    );
    assert_eq!(
        err("select(any(1; 2; 3))"),
        "any takes 0 to 2 arguments, not 3 at column 8\n  select(any(1; 2; 3))\n         ^"
    );
}

/// Programs that print values in jq, not records, are refused with both
/// ways out; `.` and `select(...) | .` still print records.
#[test]
fn programs_without_select_are_refused() {
    assert_eq!(
        err(".level"),
        "--jq takes select(...) filters; to print a field, use: logq … -o raw | jq '.level'"
    );
    assert_eq!(
        err(r#".a["b-c"]?"#),
        r#"--jq takes select(...) filters; to print a field, use: logq … -o raw | jq '.a["b-c"]?'"#
    );
    assert_eq!(
        err(r#" .level == "ERROR" "#),
        r#"--jq takes select(...) filters; to keep the records where it holds, write --jq 'select(.level == "ERROR")'; to print its value, use: logq … -o raw | jq '.level == "ERROR"'"#
    );
    assert_eq!(
        err(".s | test(\"it's\")"),
        "--jq takes select(...) filters; to keep the records where it holds, write --jq 'select(.s | test(\"it'\\''s\"))'; to print its value, use: logq … -o raw | jq '.s | test(\"it'\\''s\")'"
    );
    assert!(matches!(
        Filter::parse(".level"),
        Err(Error::NotSelect { .. })
    ));
    assert!(keeps(".", REC));
    assert!(keeps("select(.t) | .", REC));
    assert!(Filter::parse(". | .").is_ok());
}

#[test]
fn paths_read_from_the_record() {
    let p = |f: &str| Filter::parse(f).unwrap().paths();
    let v = |s: &[&[&str]]| -> Vec<Vec<String>> {
        s.iter()
            .map(|p| p.iter().map(|k| k.to_string()).collect())
            .collect()
    };
    assert_eq!(
        p(r#"select(.a.b == 1 and (.c | contains("x"))) | select(.["d-e"]? // .a.b)"#),
        v(&[&["a", "b"], &["c"], &["d-e"]])
    );
    assert_eq!(
        p(r#"select(.levelname | IN("ERROR"))"#),
        v(&[&["levelname"]])
    );
    assert_eq!(p(r#"select(has("x") or . == 1)"#), v(&[]));
}

#[test]
fn every_error_message() {
    let cases = [
        ("", "empty filter at column 1\n  \n  ^"),
        (
            "map(.a)",
            "'map' is not supported by --jq (supported: paths, literals, == != < <= > >=, and, or, not, //, contains, startswith, endswith, test, ascii_downcase, ascii_upcase, length, has, type, IN, any, all, select) at column 1\n  map(.a)\n  ^",
        ),
        (".a, .b", "',' (several outputs) is not supported by --jq"),
        (".a + 1", "arithmetic '+' is not supported by --jq"),
        (".a = 1", "assignment '=' is not supported by --jq"),
        (".a |= 1", "assignment '|=' is not supported by --jq"),
        (".[] | .a", "iteration '[]' is not supported by --jq"),
        (".a[1:2]", "slice '[a:b]' is not supported by --jq"),
        (".a[:2]", "slice '[a:b]' is not supported by --jq"),
        (".a[.b]", "a computed index (only .[\"key\"] and .[number]) is not supported by --jq"),
        ("..", "recursive descent '..' is not supported by --jq"),
        ("$x", "variable '$x' is not supported by --jq"),
        ("@base64", "format '@base64' is not supported by --jq"),
        ("if .a then 1 else 2 end", "'if' is not supported by --jq"),
        (".a as $x | $x", "'as' is not supported by --jq"),
        ("try .a", "'try' is not supported by --jq"),
        ("def f: .; f", "'def' is not supported by --jq"),
        ("-.a", "negation '-' is not supported by --jq"),
        ("[.a]", "a computed value inside [...] or {...} (only constants) is not supported by --jq"),
        ("{a}", "object shorthand '{key}' (write {\"key\": value}) is not supported by --jq"),
        (".a ?// .b", "destructuring alternative '?//' is not supported by --jq"),
    ];
    for (f, want) in cases {
        let got = err(f);
        assert!(got.starts_with(want), "{f}:\n{got}\nwanted: {want}");
    }
    let exact = [
        (
            "select(.a == 1",
            "expected ')' to close the bracket at column 7, found the end at column 15\n  select(.a == 1\n                ^",
        ),
        (".a == 1)", "unmatched ')' at column 8\n  .a == 1)\n         ^"),
        (".a .b c", "unexpected 'c' at column 7\n  .a .b c\n        ^"),
        (".a ==", "expected an expression, found the end at column 6\n  .a ==\n       ^"),
        ("1 < 2 < 3", "comparisons cannot be chained (jq rejects 'a < b < c'); use 'and' at column 7\n  1 < 2 < 3\n        ^"),
        ("not .a", "'not' is a filter in jq: write 'COND | not', not 'not COND' at column 1\n  not .a\n  ^"),
        (".a | and", "expected an expression before 'and' at column 6\n  .a | and\n       ^"),
        ("contains", "contains takes 1 argument, not 0 at column 1\n  contains\n  ^"),
        ("length(1)", "length takes 0 arguments, not 1 at column 1\n  length(1)\n  ^"),
        ("test(1)", "test(...) needs a literal regex string, e.g. test(\"warn\"; \"i\") at column 1\n  test(1)\n  ^"),
        ("test(\"a\"; .f)", "test(...) needs literal flags, e.g. test(\"warn\"; \"i\") at column 1\n  test(\"a\"; .f)\n  ^"),
        ("test(\"a\"; \"i\"; 1)", "test takes 1 or 2 arguments, not 3 at column 1\n  test(\"a\"; \"i\"; 1)\n  ^"),
        ("test(\"a\"; \"z\")", "'z' is not a valid test flag (jq accepts g, i, x, n, p, s, l) at column 1\n  test(\"a\"; \"z\")\n  ^"),
        ("test(\"a\", \"i\")", "test(...) separates its arguments with ';', not ',' at column 1\n  test(\"a\", \"i\")\n  ^"),
        (".a and select(.b)", "select(...) is only supported as a whole stage: select(COND) | select(COND) at column 8\n  .a and select(.b)\n         ^"),
        ("select(.a) | .b", "--jq takes select(...) filters; to print a field of the records it selects, use: logq --jq 'select(.a)' … -o raw | jq '.b'"),
        ("select(.a)|select(.c) | .b | length", "--jq takes select(...) filters; to print values of the records it selects, use: logq --jq 'select(.a)|select(.c)' … -o raw | jq '.b | length'"),
        (".b | select(.a)", "--jq takes select(...) filters; to print values, use: logq … -o raw | jq '.b | select(.a)'"),
        ("select(select(.a))", "select(...) is only supported as a whole stage: select(COND) | select(COND) at column 8\n  select(select(.a))\n         ^"),
        ("select(.a; .b)", "select takes 1 argument, not 2 at column 1\n  select(.a; .b)\n  ^"),
        (".a.", "expected a key name or string after '.' at column 3\n  .a.\n    ^"),
        (".a[\"x\"", "expected ']' to close the bracket at column 3, found the end at column 7\n  .a[\"x\"\n        ^"),
        ("{\"a\": 1", "expected '}' to close the bracket at column 1, found the end at column 8\n  {\"a\": 1\n         ^"),
        ("{1: 2}", "expected an object key (a name or a string) at column 2\n  {1: 2}\n   ^"),
        (")", "expected an expression, found ')' at column 1\n  )\n  ^"),
        ("[1,", "expected a value, found the end at column 4\n  [1,\n     ^"),
        (
            ".a[-.b]",
            "a computed index is not supported by --jq (supported: paths, literals, == != < <= > >=, and, or, not, //, contains, startswith, endswith, test, ascii_downcase, ascii_upcase, length, has, type, IN, any, all, select) at column 4\n  .a[-.b]\n     ^",
        ),
    ];
    for (f, want) in exact {
        assert_eq!(err(f), want, "{f}");
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = "(".repeat(5000) + ".a" + &")".repeat(5000);
    assert!(err(&deep).starts_with("filter nested too deeply (more than 64 levels) at column 66"));
    let deep = "[".repeat(5000);
    assert!(err(&deep).starts_with("filter nested too deeply"));
    let deep = ".a // ".repeat(5000) + ".b";
    assert!(err(&deep).starts_with("filter nested too deeply"));
    let ok = "(".repeat(60) + ".a" + &")".repeat(60);
    assert!(keeps(&ok, REC));
}

#[test]
fn accepts_the_spec_workflows() {
    for f in [
        r#"select(.level=="ERROR")"#,
        r#"select(.level=="error")"#,
        r#"select(.event=="creating_project")"#,
        r#"select(.node=="developer")"#,
        r#"select(.event=="node_start" or .event=="node_complete")"#,
        r#"select(.duration_ms or .duration_sec)"#,
        r#"select(.logger_name | contains("whatsapp"))"#,
        r#"select(.context.organization_id == "org_123")"#,
        r#"select(.trace.execution_time_ms > 1000)"#,
        r#"select(.level | test("warn"; "i"))"#,
    ] {
        assert!(Filter::parse(f).is_ok(), "{f}");
    }
}
