//! The one hermetic way to run `logq` in tests.

use std::path::PathBuf;

/// A `logq` command with a clean environment: no `LOGQ_DIR`, no `NO_COLOR`,
/// `TZ=UTC`, a fixed clock (`LOGQ_NOW=2024-01-15T12:00:00Z`), run from the
/// repository root.
pub fn logq() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("logq").expect("logq binary");
    cmd.env_remove("LOGQ_DIR")
        .env_remove("NO_COLOR")
        .env_remove("LOGQ_CONFIG")
        .env("TZ", "UTC")
        .env("LOGQ_NOW", "2024-01-15T12:00:00Z")
        .current_dir(root());
    cmd
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path under `tests/fixtures/`, relative to the repository root (the
/// directory `logq()` runs in), so `source` fields in output are stable.
pub fn fixture(rel: &str) -> String {
    format!("tests/fixtures/{rel}")
}

/// Stdout of a finished command as a string.
pub fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Stderr of a finished command as a string.
pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
