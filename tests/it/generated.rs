//! The generated files committed under `completions/` and `man/` match what
//! the built binary generates (SPEC §5). When this fails, regenerate them:
//!
//! ```text
//! for s in bash zsh fish powershell elvish; do cargo run -- completions $s > …; done
//! cargo run -- man --dir man
//! ```
//!
//! (the exact commands are printed by the failing test).

use crate::util::*;

/// `(shell, file)` for every completion script.
const COMPLETIONS: [(&str, &str); 5] = [
    ("bash", "logq.bash"),
    ("zsh", "_logq"),
    ("fish", "logq.fish"),
    ("powershell", "_logq.ps1"),
    ("elvish", "logq.elv"),
];

fn regenerate_hint() -> String {
    let mut s = String::from("the generated files are stale; regenerate them with:\n");
    for (shell, file) in COMPLETIONS {
        s.push_str(&format!(
            "    cargo run -- completions {shell} > completions/{file}\n"
        ));
    }
    s.push_str("    rm -f man/*.1 && cargo run -- man --dir man\n");
    s
}

#[test]
fn completions_are_up_to_date() {
    for (shell, file) in COMPLETIONS {
        let out = logq().args(["completions", shell]).output().unwrap();
        assert_eq!(stderr(&out), "");
        assert_eq!(out.status.code(), Some(0));
        let path = root().join("completions").join(file);
        let committed = std::fs::read(&path).unwrap_or_default();
        assert!(
            committed == out.stdout,
            "completions/{file} differs from `logq completions {shell}`; {}",
            regenerate_hint()
        );
    }
}

#[test]
fn man_pages_are_up_to_date() {
    let dir = tempdir();
    let out = logq()
        .args(["man", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    check(&out, "", "", 0);
    let list = |d: &std::path::Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(d)
            .map(|rd| {
                rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    };
    let fresh = list(dir.path());
    assert!(fresh.contains(&"logq.1".to_string()));
    assert!(fresh.contains(&"logq-search.1".to_string()));
    assert_eq!(list(&root().join("man")), fresh, "{}", regenerate_hint());
    for name in &fresh {
        let want = std::fs::read(dir.path().join(name)).unwrap();
        let got = std::fs::read(root().join("man").join(name)).unwrap_or_default();
        assert!(got == want, "man/{name} is stale; {}", regenerate_hint());
    }
    // Without --dir, the main page goes to stdout.
    let out = logq().arg("man").output().unwrap();
    assert!(out.stdout == std::fs::read(dir.path().join("logq.1")).unwrap());
}
