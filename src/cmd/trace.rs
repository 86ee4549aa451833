//! `logq trace`. Placeholder until its issue lands.

use crate::cli::TraceArgs;
use crate::report::ExitStatus;

/// Runs `logq trace`.
pub fn run(_args: &TraceArgs) -> anyhow::Result<ExitStatus> {
    anyhow::bail!("logq trace is not available yet")
}
