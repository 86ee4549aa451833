//! One followed file: what was appended, and whether it was truncated or
//! replaced.
//!
//! Owns the open handle of a file and the offset read so far. The handle is
//! kept when the file is renamed away (rotation), so the lines still written
//! to it are read; the [`Follower`](super::Follower) decides what happens at
//! the path. Reads use `pread` (never a map), so truncation cannot crash.

use super::backward::read_full_at;
use crate::source::assemble::Assembler;
use crate::source::open::Compression;
use std::fs::{File, Metadata};
use std::io;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Bytes kept from before the offset, to notice a file truncated and
/// written again past the old offset before we looked.
const SIGNATURE: usize = 64;

/// A file's identity: device and inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileId {
    dev: u64,
    ino: u64,
}

impl FileId {
    /// The identity of the file some metadata describes.
    pub fn of(m: &Metadata) -> FileId {
        FileId {
            dev: m.dev(),
            ino: m.ino(),
        }
    }
}

/// What became of a followed file's path since the last look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Still our file (maybe grown).
    Same,
    /// Our file, but shorter than what we read, or rewritten (copytruncate).
    Truncated,
    /// Another file now has the path (rename rotation).
    Replaced,
    /// Nothing has the path (deleted, or renamed away and not yet replaced).
    Missing,
}

/// A file being followed.
#[derive(Debug)]
pub struct Followed {
    /// Index of its input (name and category).
    pub input: usize,
    /// The path it was opened at; `None` once it was renamed away.
    pub path: Option<PathBuf>,
    file: File,
    /// Its identity.
    pub id: FileId,
    offset: u64,
    /// What was read but is not a whole record yet.
    pub asm: Assembler,
    signature: Vec<u8>,
    /// Whether its first bytes showed it is not compressed.
    checked: bool,
    /// When bytes were last read from it (or it was opened).
    last_growth: Instant,
    /// Whether the line numbers of its records are known: it was read from
    /// its start, or its lines were counted up to where following began.
    counts_lines: bool,
}

impl Followed {
    /// Follows `file` from `offset`, whose line (0-based) is `line`.
    /// `checked`: the file is known to be a plain file (else its first
    /// bytes are looked at before anything is taken from it).
    pub fn new(
        input: usize,
        path: PathBuf,
        file: File,
        offset: u64,
        line: u64,
        checked: bool,
    ) -> io::Result<Followed> {
        let id = FileId::of(&file.metadata()?);
        let start = offset.saturating_sub(SIGNATURE as u64);
        let mut signature = vec![0u8; (offset - start) as usize];
        let got = read_full_at(&file, &mut signature, start)?;
        signature.truncate(got);
        Ok(Followed {
            input,
            path: Some(path),
            file,
            id,
            offset,
            asm: Assembler::new(line),
            signature,
            checked,
            last_growth: Instant::now(),
            counts_lines: offset == 0 || line > 0,
        })
    }

    /// Whether its line numbers are known (see the field).
    pub fn counts_lines(&self) -> bool {
        self.counts_lines
    }

    /// Looks at the path: is it still this file, and as long as we read?
    pub fn look(&self) -> Change {
        let Some(path) = &self.path else {
            return Change::Same;
        };
        match std::fs::metadata(path) {
            Ok(m) if FileId::of(&m) == self.id => {
                let len = m.len();
                if len < self.offset || (len > self.offset && !self.signature_matches()) {
                    Change::Truncated
                } else {
                    Change::Same
                }
            }
            Ok(_) => Change::Replaced,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Change::Missing,
            // Unreadable metadata (permissions changed): keep reading the handle.
            Err(_) => Change::Same,
        }
    }

    fn signature_matches(&self) -> bool {
        if self.signature.is_empty() {
            return true;
        }
        let mut now = vec![0u8; self.signature.len()];
        let start = self.offset - self.signature.len() as u64;
        matches!(read_full_at(&self.file, &mut now, start), Ok(n) if n == now.len() && now == self.signature)
    }

    /// Reads what was appended and hands whole records to `emit`. Returns
    /// `Ok(false)` when the file turned out to be compressed: it is not a
    /// log being written and must be left alone.
    pub fn read(
        &mut self,
        now: Instant,
        hold: Duration,
        emit: &mut dyn FnMut(&[u8], u64, bool),
    ) -> io::Result<bool> {
        let mut buf = vec![0u8; 1 << 18];
        loop {
            let n = match self.file.read_at(&mut buf, self.offset) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let new = buf.get(..n).unwrap_or_default();
            self.asm.push(new, now);
            self.last_growth = now;
            self.offset += n as u64;
            self.signature.extend_from_slice(new);
            let extra = self.signature.len().saturating_sub(SIGNATURE);
            self.signature.drain(..extra);
            if !self.checked {
                let head = self.asm.held();
                if head.len() < 6 && memchr::memchr(b'\n', head).is_none() {
                    continue;
                }
                if Compression::detect(head) != Compression::None {
                    return Ok(false);
                }
                self.checked = true;
            }
            self.asm.drain(now, hold, false, emit);
        }
        if self.checked {
            self.asm.drain(now, hold, false, emit);
        }
        Ok(true)
    }

    /// Starts again from the first byte (the file was truncated). Whole
    /// records read before are handed out first; a partial line is dropped.
    pub fn restart(&mut self, now: Instant, emit: &mut dyn FnMut(&[u8], u64, bool)) {
        self.asm.drain(now, Duration::ZERO, false, emit);
        self.asm.restart();
        self.offset = 0;
        self.signature.clear();
    }

    /// Starts again from the first byte, dropping what is held (it is read
    /// again from a copy, see [`Followed::copy`]).
    pub fn forget(&mut self) {
        self.asm.restart();
        self.offset = 0;
        self.signature.clear();
    }

    /// The copy a copytruncate rotation made of this file (`PATH.1`…):
    /// the numbered sibling holding, where reading stopped, the bytes read
    /// last. Read from the start of what is held, it gives the records
    /// written after the last read and before the truncation, which would
    /// otherwise be lost. Returned detached, to be read to its end.
    pub fn copy(&self) -> Option<Followed> {
        if self.signature.is_empty() {
            return None;
        }
        let path = self.path.as_ref()?;
        let copies = super::numbered_copies(path);
        let held = self.asm.held().len() as u64;
        let start = self.offset.checked_sub(held)?;
        let sig_start = self.offset - self.signature.len() as u64;
        for (_, p) in copies {
            let Ok(file) = File::open(&p) else { continue };
            let Ok(meta) = file.metadata() else { continue };
            if !meta.is_file() || FileId::of(&meta) == self.id || meta.len() < self.offset {
                continue;
            }
            let mut probe = vec![0u8; self.signature.len()];
            let same = matches!(read_full_at(&file, &mut probe, sig_start), Ok(n) if n == probe.len() && probe == self.signature);
            if !same {
                continue;
            }
            let mut copy = Followed::new(self.input, p, file, start, self.asm.line(), true).ok()?;
            copy.path = None;
            return Some(copy);
        }
        None
    }

    /// Hands out a text record held for its traceback: the file was rotated
    /// away, so what follows in the same input comes from another file.
    pub fn release(&mut self, now: Instant, emit: &mut dyn FnMut(&[u8], u64, bool)) {
        if self.checked {
            self.asm.drain(now, Duration::ZERO, false, emit);
        }
    }

    /// Hands out everything held: the file is finished (deleted).
    pub fn finish(&mut self, now: Instant, emit: &mut dyn FnMut(&[u8], u64, bool)) {
        if self.checked {
            self.asm.drain(now, Duration::ZERO, true, emit);
        }
    }

    /// Whether nothing was read from it for `quiet` and nothing is held.
    pub fn is_idle(&self, now: Instant, quiet: Duration) -> bool {
        self.asm.is_empty() && now.saturating_duration_since(self.last_growth) >= quiet
    }

    /// Its time of last change, to recognize it once closed.
    pub fn modified(&self) -> Option<std::time::SystemTime> {
        self.file.metadata().ok()?.modified().ok()
    }

    /// Whether the file has no name left anywhere (deleted while open).
    pub fn is_deleted(&self) -> bool {
        match self.file.metadata() {
            Ok(m) => m.nlink() == 0,
            Err(_) => true,
        }
    }
}
