//! The pager: which command pages the output, starting it, and waiting for it.
//!
//! Owns the choice (`--pager auto|always|never`, `-P`), the command
//! (`$LOGQ_PAGER`, else `$PAGER`, else `less -RFX`, split as a shell
//! would), and [`Sink`]: stdout, or the pager's stdin once the first byte is
//! written. The pager is started lazily so that a search that finds nothing
//! never flashes a pager, and so that the progress line on stderr is erased
//! before the pager takes the screen. The commands decide what is worth
//! paging; this module knows nothing of records.
//!
//! Invariant: once a pager is started, logq does not exit before it does,
//! whether the output ends, the user quits the pager early (the next write
//! fails with a broken pipe, a quiet exit 0), or logq is interrupted (the
//! signal is held until the pager exits, as git does), so the shell never
//! gets the terminal back while the pager still draws on it.

use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::process::{Child, ChildStdin, Command, Stdio};

/// When to page (`--pager`, `-P`, resolved by `settings`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paging {
    /// Pretty output of search, trace and stats, unless stdin is a live pipe.
    #[default]
    Auto,
    /// Any output to a terminal (json, raw, --count, tail without -f).
    Always,
    /// No pager.
    Never,
}

/// Whether output goes through a pager: only to a terminal; with `auto`,
/// only pretty output read from something that ends (a pager holding the
/// screen over `kubectl logs -f | logq` would show nothing until a
/// screenful arrived).
pub fn is_wanted(paging: Paging, stdout_is_tty: bool, is_pretty: bool, is_live: bool) -> bool {
    match paging {
        Paging::Never => false,
        _ if !stdout_is_tty => false,
        Paging::Always => true,
        Paging::Auto => is_pretty && !is_live,
    }
}

/// Where the pager command came from, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    LogqPager,
    Pager,
    Default,
}

impl Origin {
    fn name(self) -> &'static str {
        match self {
            Origin::LogqPager => "$LOGQ_PAGER",
            Origin::Pager => "$PAGER",
            Origin::Default => "the default pager",
        }
    }
}

/// The default pager: quits when the output fits one screen (`-F`), passes
/// colours through (`-R`), leaves the output on the screen (`-X`).
pub const DEFAULT: &str = "less -RFX";

/// A pager command, split into words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagerCommand {
    pub words: Vec<String>,
    pub origin: Origin,
}

impl PagerCommand {
    /// The pager named by `$LOGQ_PAGER`, else `$PAGER`, else `less -RFX`;
    /// `None` when the chosen variable is empty (no pager) or cannot be
    /// split (a warning says so).
    pub fn from_env() -> Option<PagerCommand> {
        let var = |name| std::env::var_os(name).map(|v: OsString| v.to_string_lossy().into_owned());
        let (text, origin) = match (var("LOGQ_PAGER"), var("PAGER")) {
            (Some(v), _) => (v, Origin::LogqPager),
            (None, Some(v)) => (v, Origin::Pager),
            (None, None) => (DEFAULT.to_string(), Origin::Default),
        };
        match split(&text) {
            Some(words) if words.is_empty() => None,
            Some(words) => Some(PagerCommand { words, origin }),
            None => {
                crate::report::warning(format!(
                    "{}: unbalanced quote in '{}'; printing without a pager",
                    origin.name(),
                    crate::escape::escape(&text, false)
                ));
                None
            }
        }
    }

    /// Whether the program is `less` (which then gets `LESS=FRX` when
    /// `LESS` is unset, as git does).
    fn is_less(&self) -> bool {
        self.words.first().is_some_and(|p| {
            std::path::Path::new(p)
                .file_name()
                .is_some_and(|n| n == "less")
        })
    }

    /// Starts the pager with a pipe on its stdin. A pager that cannot be
    /// started gives `None`: a one-line warning when the user named it, and
    /// silence when the default `less` is missing (minimal containers).
    fn spawn(&self) -> Option<Pager> {
        let (program, args) = self.words.split_first()?;
        let mut cmd = Command::new(program);
        cmd.args(args).stdin(Stdio::piped());
        if self.is_less() && std::env::var_os("LESS").is_none() {
            cmd.env("LESS", "FRX");
        }
        let guard = signals::Guard::install();
        match cmd.spawn() {
            Ok(mut child) => {
                let stdin = child.stdin.take()?;
                Some(Pager::new(child, stdin, guard))
            }
            Err(e) => {
                drop(guard);
                if self.origin != Origin::Default {
                    crate::report::warning(format!(
                        "{}: cannot run '{}': {}; printing without a pager",
                        self.origin.name(),
                        crate::escape::escape(program, false),
                        crate::report::describe(&e)
                    ));
                }
                None
            }
        }
    }
}

/// A running pager: its stdin, and the child waited for on drop.
struct Pager {
    child: Child,
    stdin: Option<ChildStdin>,
    guard: Option<signals::Guard>,
}

impl Pager {
    fn new(child: Child, stdin: ChildStdin, guard: signals::Guard) -> Pager {
        #[cfg(unix)]
        signals::watch(child.id(), std::os::fd::AsRawFd::as_raw_fd(&stdin));
        Pager {
            child,
            stdin: Some(stdin),
            guard: Some(guard),
        }
    }
}

impl Drop for Pager {
    fn drop(&mut self) {
        // Closing its stdin tells the pager the output is complete.
        #[cfg(unix)]
        signals::forget_pipe();
        drop(self.stdin.take());
        let _ = self.child.wait();
        drop(self.guard.take());
    }
}

/// Where output goes: stdout, or a pager started at the first write.
pub struct Sink {
    pager: Option<PagerCommand>,
    target: Option<Target>,
    is_tty: bool,
}

enum Target {
    Stdout(io::StdoutLock<'static>),
    Pager(Pager),
}

impl Sink {
    /// Stdout, paged through `pager` if given.
    pub fn new(pager: Option<PagerCommand>) -> Sink {
        Sink {
            pager,
            target: None,
            is_tty: io::stdout().is_terminal(),
        }
    }

    fn target(&mut self) -> &mut Target {
        self.target.get_or_insert_with(|| {
            // The progress line shares the terminal: gone before the first
            // record or the pager appears.
            if self.is_tty {
                crate::progress::finish();
            }
            match self.pager.take().and_then(|p| p.spawn()) {
                Some(p) => Target::Pager(p),
                None => Target::Stdout(io::stdout().lock()),
            }
        })
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.target() {
            Target::Stdout(w) => w.write(buf),
            Target::Pager(p) => match p.stdin.as_mut() {
                Some(w) => w.write(buf),
                None => Err(io::ErrorKind::BrokenPipe.into()),
            },
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self.target() {
            Target::Stdout(w) => w.write_all(buf),
            Target::Pager(p) => match p.stdin.as_mut() {
                Some(w) => w.write_all(buf),
                None => Err(io::ErrorKind::BrokenPipe.into()),
            },
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.target {
            None => Ok(()),
            Some(Target::Stdout(w)) => w.flush(),
            Some(Target::Pager(p)) => p.stdin.as_mut().map_or(Ok(()), |w| w.flush()),
        }
    }
}

/// Splits a command line into words as a POSIX shell would, without
/// expansions: blanks separate words, `'…'` is literal, `"…"` keeps blanks
/// and takes `\` before `"`, `\`, `$` and `` ` ``, and `\` outside quotes
/// escapes the next character. `None` on an unbalanced quote.
pub fn split(text: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => word.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            c @ ('"' | '\\' | '$' | '`') => word.push(c),
                            '\n' => {}
                            c => {
                                word.push('\\');
                                word.push(c);
                            }
                        },
                        c => word.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some('\n') | None => {}
                    Some(c) => word.push(c),
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}

/// Holding SIGINT, SIGTERM, SIGHUP and SIGQUIT while a pager runs: the
/// handler closes the pager's pipe, waits for the pager to exit, then dies
/// of the signal as it would have (git's `wait_for_pager_signal`). Only
/// async-signal-safe calls (`close`, `waitpid`, `signal`, `raise`) are made
/// in the handler.
#[cfg(unix)]
mod signals {
    use std::sync::atomic::{AtomicI32, Ordering};

    static PAGER_PID: AtomicI32 = AtomicI32::new(0);
    static PIPE_FD: AtomicI32 = AtomicI32::new(-1);
    const SIGNALS: [libc::c_int; 4] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];

    /// The handlers in place before the pager's, restored on drop.
    pub struct Guard {
        old: Vec<(libc::c_int, libc::sigaction)>,
    }

    impl Guard {
        /// Installs the handler for each signal.
        pub fn install() -> Guard {
            let mut old = Vec::new();
            for sig in SIGNALS {
                // SAFETY: sigaction reads `new` and writes the previous
                // action into `prev`; both are plain structs owned here, and
                // the handler only makes async-signal-safe calls.
                unsafe {
                    let mut new: libc::sigaction = std::mem::zeroed();
                    new.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
                    libc::sigemptyset(&mut new.sa_mask);
                    let mut prev: libc::sigaction = std::mem::zeroed();
                    if libc::sigaction(sig, &new, &mut prev) == 0 {
                        old.push((sig, prev));
                    }
                }
            }
            Guard { old }
        }
    }

    impl Drop for Guard {
        fn drop(&mut self) {
            PAGER_PID.store(0, Ordering::SeqCst);
            for (sig, prev) in &self.old {
                // SAFETY: restores an action that sigaction gave us.
                unsafe {
                    libc::sigaction(*sig, prev, std::ptr::null_mut());
                }
            }
        }
    }

    /// Names the pager the handler waits for, and the pipe it closes.
    pub fn watch(pid: u32, fd: i32) {
        PIPE_FD.store(fd, Ordering::SeqCst);
        PAGER_PID.store(i32::try_from(pid).unwrap_or(0), Ordering::SeqCst);
    }

    /// The pipe is about to be closed normally; the handler must not close
    /// the descriptor again (its number may be reused).
    pub fn forget_pipe() {
        PIPE_FD.store(-1, Ordering::SeqCst);
    }

    extern "C" fn on_signal(sig: libc::c_int) {
        let fd = PIPE_FD.swap(-1, Ordering::SeqCst);
        let pid = PAGER_PID.load(Ordering::SeqCst);
        // SAFETY: close, waitpid, signal and raise are async-signal-safe;
        // the descriptor is ours (the pager's stdin), and after `raise` with
        // the default action the process ends.
        unsafe {
            if fd >= 0 {
                libc::close(fd);
            }
            if pid > 0 {
                while libc::waitpid(pid, std::ptr::null_mut(), 0) == -1
                    && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted
                {
                }
            }
            libc::signal(sig, libc::SIG_DFL);
            libc::raise(sig);
        }
    }
}

#[cfg(not(unix))]
mod signals {
    pub struct Guard;
    impl Guard {
        pub fn install() -> Guard {
            Guard
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(v: &[&str]) -> Option<Vec<String>> {
        Some(v.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn split_reads_words_like_a_shell() {
        assert_eq!(split("less -RFX"), words(&["less", "-RFX"]));
        assert_eq!(split("  less\t-S  "), words(&["less", "-S"]));
        assert_eq!(split(""), words(&[]));
        assert_eq!(split("   "), words(&[]));
        assert_eq!(
            split(r#"'/opt/my pager' -x "a b" c\ d"#),
            words(&["/opt/my pager", "-x", "a b", "c d"])
        );
        assert_eq!(split(r#""a\"b\\c\n""#), words(&[r#"a"b\c\n"#]));
        assert_eq!(split("''"), words(&[""]));
        assert_eq!(split("a'b'\"c\""), words(&["abc"]));
    }

    #[test]
    fn split_refuses_an_unbalanced_quote() {
        assert_eq!(split("less '-R"), None);
        assert_eq!(split("less \"-R"), None);
    }

    #[test]
    fn pages_only_to_a_terminal() {
        use Paging::*;
        for p in [Auto, Always, Never] {
            assert!(!is_wanted(p, false, true, false), "{p:?}");
        }
        assert!(is_wanted(Auto, true, true, false));
        assert!(!is_wanted(Auto, true, false, false), "json is not paged");
        assert!(
            !is_wanted(Auto, true, true, true),
            "a live pipe is not paged"
        );
        assert!(is_wanted(Always, true, false, true));
        assert!(!is_wanted(Never, true, true, false));
    }

    #[test]
    fn less_is_recognized_by_its_file_name() {
        let cmd = |w: &[&str]| PagerCommand {
            words: w.iter().map(|s| s.to_string()).collect(),
            origin: Origin::Pager,
        };
        assert!(cmd(&["less", "-R"]).is_less());
        assert!(cmd(&["/usr/bin/less"]).is_less());
        assert!(!cmd(&["lesspipe"]).is_less());
        assert!(!cmd(&["most"]).is_less());
    }
}
