//! What standard input is, which decides whether it is read at all.
//!
//! Owns ripgrep's rule for a command line without PATH: stdin is read only
//! when it is a pipe, a regular file (`< file`) or a socket. A terminal, a
//! character device (`< /dev/null`, as cron, CI runners and `ssh host cmd`
//! give), or a closed stdin is not input: `$LOGQ_DIR` or `./logs` is
//! searched instead. `-` names stdin whatever it is; that is
//! `settings`' business.

use std::fs::File;
use std::io::{self, IsTerminal};
use std::os::fd::AsFd;
use std::os::unix::fs::FileTypeExt;

/// What standard input is connected to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StdinKind {
    Terminal,
    /// A pipe or FIFO: `kubectl logs -f … | logq`.
    Pipe,
    /// A regular file: `logq < app.log`.
    File,
    Socket,
    /// A character device other than a terminal (`/dev/null`), a
    /// directory, or a closed stdin.
    Other,
}

impl StdinKind {
    /// What stdin is now.
    pub fn detect() -> StdinKind {
        let stdin = io::stdin();
        if stdin.is_terminal() {
            return StdinKind::Terminal;
        }
        let meta = stdin
            .as_fd()
            .try_clone_to_owned()
            .map(File::from)
            .and_then(|f| f.metadata());
        let Ok(meta) = meta else {
            return StdinKind::Other;
        };
        let ft = meta.file_type();
        if ft.is_fifo() {
            StdinKind::Pipe
        } else if ft.is_file() {
            StdinKind::File
        } else if ft.is_socket() {
            StdinKind::Socket
        } else {
            StdinKind::Other
        }
    }

    /// Whether stdin is read when no PATH is given.
    pub fn is_input(self) -> bool {
        matches!(self, StdinKind::Pipe | StdinKind::File | StdinKind::Socket)
    }

    /// Whether a read may wait for a writer that is still running, so that
    /// records are searched as they arrive (`source::live`): a pipe, a
    /// socket, or a terminal named with `-` (lines typed or pasted).
    pub fn is_live(self) -> bool {
        matches!(
            self,
            StdinKind::Pipe | StdinKind::Socket | StdinKind::Terminal
        )
    }
}
