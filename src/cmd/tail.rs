//! `logq tail`. Placeholder until its issue lands.

use crate::cli::TailArgs;
use crate::report::ExitStatus;

/// Runs `logq tail`.
pub fn run(_args: &TailArgs) -> anyhow::Result<ExitStatus> {
    anyhow::bail!("logq tail is not available yet")
}
