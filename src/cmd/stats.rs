//! `logq stats`. Placeholder until its issue lands.

use crate::cli::StatsArgs;
use crate::report::ExitStatus;

/// Runs `logq stats`.
pub fn run(_args: &StatsArgs) -> anyhow::Result<ExitStatus> {
    anyhow::bail!("logq stats is not available yet")
}
