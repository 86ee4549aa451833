//! Building one file's sidecar.
//!
//! Owns reading a file once (plain, gzip with access points, or any other
//! codec as one block), cutting its text into blocks of about [`BLOCK`]
//! bytes at record starts, tallying the blocks on the thread pool while
//! the file is still being read, and writing the sidecar into the cache
//! folder by a rename, so a reader never sees half of one.
//!
//! Invariant: a file is indexed only when its text reads exactly as the
//! scan would read it (no NUL byte unless `--binary`, no line over
//! `--max-line-bytes`, no damage); otherwise it is left unindexed, with
//! the reason.

use super::gzip;
use super::place::{identity, regular, sidecar_path};
use super::sidecar::{Block, Codec, Point, Sidecar};
use super::tally::{Facts, Tally};
use crate::record::RoleMap;
use crate::source::chunk::next_cut;
use crate::source::guard::{Limits, BOM};
use crate::source::open::{decode, Compression};
use rayon::prelude::*;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Text per block: a query reads whole blocks, so this bounds what one id
/// costs to find; the index holds one filter and access point per block.
pub const BLOCK: usize = 4 << 20;
/// Text between gzip access points (at most): inflation restarts at most
/// this far before a block's start.
const SPAN: u64 = 1 << 20;
/// Past this much text without a record start, a block ends at a newline
/// (a newline bomb, or a traceback of gigabytes).
const HOLD: usize = 64 << 20;

/// What a build needs besides the file.
pub struct BuildConfig<'a> {
    pub roles: &'a RoleMap,
    pub fields: &'a [Vec<String>],
    pub limits: Limits,
    /// The fingerprint of the reading settings (`place::fingerprint`).
    pub settings: u64,
    /// The cache folder.
    pub dir: &'a Path,
    /// Text per block ([`BLOCK`]; smaller in tests).
    pub block: usize,
}

/// A sidecar written.
#[derive(Debug)]
pub struct Built {
    pub blocks: usize,
    /// Bytes of text indexed.
    pub text: u64,
    /// Bytes of the sidecar.
    pub bytes: u64,
}

/// Indexes the file at `path`. The error says why it was not indexed.
pub fn build(path: &Path, cfg: &BuildConfig) -> Result<Built, String> {
    let meta = regular(path).ok_or("not a regular file")?;
    let file = File::open(path).map_err(|e| e.to_string())?;
    let size = meta.len();
    let id = identity(&file, &meta, size).map_err(|e| e.to_string())?;
    let mut head = [0u8; 6];
    let n = std::os::unix::fs::FileExt::read_at(&file, &mut head, 0).map_err(|e| e.to_string())?;
    let compression = Compression::detect(&head[..n]);
    let tally = Tally::new(cfg.roles, cfg.fields);
    let (codec, blocks, points, text) = match compression {
        Compression::None => {
            let map = crate::source::sigbus::map(&file);
            let (blocks, text) = match map.as_deref().and_then(|m| m.get(..size as usize)) {
                Some(data) => mapped_blocks(&tally, cfg, data)?,
                None => {
                    let reader = BufReader::with_capacity(1 << 20, (&file).take(size));
                    read_blocks(&tally, cfg, |cut| pump(reader, cut))?
                }
            };
            (Codec::Plain, seal(blocks), Vec::new(), text)
        }
        Compression::Gzip => {
            let map = crate::source::sigbus::map(&file).ok_or("could not be mapped")?;
            let data = map.get(..size as usize).ok_or("the file shrank")?;
            let mut points = Vec::new();
            let span = SPAN.min(cfg.block as u64 / 2).max(1);
            let (blocks, text) = read_blocks(&tally, cfg, |cut| {
                points = gzip::build(data, span, |bytes| cut.push(bytes))?;
                Ok(())
            })?;
            let (blocks, points) = assign_points(seal(blocks), points);
            let points = points
                .iter()
                .map(Point::pack)
                .collect::<io::Result<Vec<_>>>()
                .map_err(|e| e.to_string())?;
            (Codec::Gzip, blocks, points, text)
        }
        _ => {
            let owned = file.try_clone().map_err(|e| e.to_string())?;
            let reader = decode(BufReader::with_capacity(1 << 18, owned.take(size)))
                .map_err(|e| e.to_string())?;
            let (blocks, text) = read_blocks(&tally, cfg, |cut| pump(reader, cut))?;
            let mut all = Facts::default();
            blocks.into_iter().for_each(|b| all.absorb(b));
            (Codec::Whole, vec![all.seal()], Vec::new(), text)
        }
    };
    let sidecar = Sidecar {
        identity: id,
        settings: cfg.settings,
        path: std::fs::canonicalize(path)
            .map(|p| std::os::unix::ffi::OsStrExt::as_bytes(p.as_os_str()).to_vec())
            .unwrap_or_default(),
        codec,
        fields: cfg.fields.to_vec(),
        blocks,
        points,
    };
    let bytes = sidecar.encode().map_err(|e| e.to_string())?;
    let target = sidecar_path(cfg.dir, &meta);
    write_atomically(cfg.dir, &target, &bytes)
        .map_err(|e| format!("cannot write the index {}: {e}", target.display()))?;
    Ok(Built {
        blocks: sidecar.blocks.len(),
        text,
        bytes: bytes.len() as u64,
    })
}

fn seal(blocks: Vec<Facts>) -> Vec<Block> {
    blocks.into_iter().map(Facts::seal).collect()
}

fn pump(mut reader: impl Read, cut: &mut Cutter) -> io::Result<()> {
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => cut.push(&buf[..n])?,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Feeds a file's text through `feed`, cut into blocks that are tallied on
/// the pool as they come. Returns the blocks in order and the text's size.
fn read_blocks(
    tally: &Tally,
    cfg: &BuildConfig,
    feed: impl FnOnce(&mut Cutter) -> io::Result<()>,
) -> Result<(Vec<Facts>, u64), String> {
    let done: Mutex<Vec<Facts>> = Mutex::new(Vec::new());
    let in_flight = AtomicUsize::new(0);
    let most = rayon::current_num_threads() * 2;
    let (done_ref, in_flight_ref) = (&done, &in_flight);
    let result = rayon::in_place_scope(|s| {
        let mut cutter = Cutter {
            buf: Vec::with_capacity(cfg.block + (1 << 20)),
            base: 0,
            block: cfg.block.max(1),
            limits: cfg.limits,
            line_start: 0,
            emit: &mut |start: u64, text: Vec<u8>| {
                let work = move |text: Vec<u8>| {
                    // A byte-order mark is dropped by the reader, not seen
                    // by the records.
                    let body = if start == 0 {
                        text.strip_prefix(BOM).unwrap_or(&text)
                    } else {
                        &text
                    };
                    let mut facts = tally.block(body);
                    facts.block.start = start;
                    facts.block.end = start + text.len() as u64;
                    if let Ok(mut d) = done_ref.lock() {
                        d.push(facts);
                    }
                };
                if in_flight_ref.load(Ordering::Acquire) >= most {
                    work(text);
                } else {
                    in_flight_ref.fetch_add(1, Ordering::AcqRel);
                    s.spawn(move |_| {
                        work(text);
                        in_flight_ref.fetch_sub(1, Ordering::AcqRel);
                    });
                }
            },
        };
        feed(&mut cutter).and_then(|()| cutter.finish())
    });
    result.map_err(|e| e.to_string())?;
    let mut blocks = done.into_inner().map_err(|_| "a tally failed")?;
    blocks.sort_by_key(|f| f.block.start);
    let mut lines = 0;
    for f in &mut blocks {
        f.block.lines = lines;
        lines += f.lines;
    }
    let text = blocks.last().map_or(0, |f| f.block.end);
    Ok((blocks, text))
}

/// The blocks of a plain file's text, mapped: cut at record starts among
/// its whole lines and tallied in parallel, as the scan cuts a mapped file.
fn mapped_blocks(
    tally: &Tally,
    cfg: &BuildConfig,
    data: &[u8],
) -> Result<(Vec<Facts>, u64), String> {
    if !cfg.limits.binary {
        if let Some(i) = memchr::memchr(0, data) {
            return Err(format!(
                "a NUL byte at offset {i}: binary (-a/--binary to index it)"
            ));
        }
    }
    if crate::source::guard::has_long_line(data, cfg.limits.max_line) {
        return Err(long_line().to_string());
    }
    let whole = memchr::memrchr(b'\n', data).map_or(0, |i| i + 1);
    let mut starts = vec![0];
    loop {
        let at = starts[starts.len() - 1] + cfg.block.max(1);
        if at >= whole {
            break;
        }
        let cut = next_cut(&data[..whole], at);
        if cut >= whole {
            break;
        }
        starts.push(cut);
    }
    let mut blocks: Vec<Facts> = starts
        .par_iter()
        .enumerate()
        .map(|(i, &start)| {
            let end = starts.get(i + 1).copied().unwrap_or(data.len());
            let text = &data[start..end];
            let body = if start == 0 {
                text.strip_prefix(BOM).unwrap_or(text)
            } else {
                text
            };
            let mut facts = tally.block(body);
            facts.block.start = start as u64;
            facts.block.end = end as u64;
            facts
        })
        .collect();
    if data.is_empty() {
        blocks.clear();
    }
    let mut lines = 0;
    for f in &mut blocks {
        f.block.lines = lines;
        lines += f.lines;
    }
    Ok((blocks, data.len() as u64))
}

/// Cuts text that arrives in pieces into blocks at record starts, and
/// refuses text the scan would read otherwise.
struct Cutter<'e> {
    buf: Vec<u8>,
    /// Text offset of `buf[0]`.
    base: u64,
    /// Text per block.
    block: usize,
    limits: Limits,
    /// Offset in `buf` of the start of the line being read (for its length).
    line_start: usize,
    emit: &'e mut dyn FnMut(u64, Vec<u8>),
}

impl Cutter<'_> {
    fn push(&mut self, bytes: &[u8]) -> io::Result<()> {
        if !self.limits.binary {
            if let Some(i) = memchr::memchr(0, bytes) {
                let at = self.base + (self.buf.len() + i) as u64;
                return Err(io::Error::other(format!(
                    "a NUL byte at offset {at}: binary (-a/--binary to index it)"
                )));
            }
        }
        let old = self.buf.len();
        self.buf.extend_from_slice(bytes);
        self.check_lines(old)?;
        while self.buf.len() >= self.block {
            let Some(cut) = self.cut() else { break };
            // The next block's buffer is made at its full size: grown from
            // the remainder, it would be copied over and over.
            let mut next = Vec::with_capacity(self.block + (1 << 20));
            next.extend_from_slice(&self.buf[cut..]);
            self.buf.truncate(cut);
            let text = std::mem::replace(&mut self.buf, next);
            self.line_start -= cut;
            (self.emit)(self.base, text);
            self.base += cut as u64;
        }
        Ok(())
    }

    /// Fails on a line longer than `--max-line-bytes`, which the scan would
    /// skip: the text would then not be where the index says.
    fn check_lines(&mut self, from: usize) -> io::Result<()> {
        for nl in memchr::memchr_iter(b'\n', &self.buf[from..]) {
            let end = from + nl;
            if end - self.line_start > self.limits.max_line {
                return Err(long_line());
            }
            self.line_start = end + 1;
        }
        if self.buf.len() - self.line_start > self.limits.max_line {
            return Err(long_line());
        }
        Ok(())
    }

    /// Where the next block ends: the first record start past the block size
    /// among whole lines, or the last newline past [`HOLD`].
    fn cut(&self) -> Option<usize> {
        let whole = memchr::memrchr(b'\n', &self.buf)? + 1;
        if whole <= self.block {
            return None;
        }
        let cut = next_cut(&self.buf[..whole], self.block);
        if cut < whole {
            Some(cut)
        } else {
            (self.buf.len() > HOLD).then_some(whole)
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            let text = std::mem::take(&mut self.buf);
            (self.emit)(self.base, text);
        }
        Ok(())
    }
}

fn long_line() -> io::Error {
    io::Error::other("a line longer than --max-line-bytes")
}

/// Gives each block the last access point at or before its start, and
/// keeps only the points some block uses.
fn assign_points(
    mut blocks: Vec<Block>,
    points: Vec<gzip::AccessPoint>,
) -> (Vec<Block>, Vec<gzip::AccessPoint>) {
    let mut used: Vec<gzip::AccessPoint> = Vec::new();
    let mut last: Option<usize> = None;
    for b in &mut blocks {
        let i = points
            .partition_point(|p| p.out <= b.start)
            .saturating_sub(1);
        if last != Some(i) {
            if let Some(p) = points.get(i) {
                used.push(p.clone());
            }
            last = Some(i);
        }
        b.point = used.len().saturating_sub(1) as u32;
    }
    (blocks, used)
}

fn write_atomically(dir: &Path, target: &Path, bytes: &[u8]) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("index");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, target).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_start_at_records() {
        let mut text = Vec::new();
        for i in 0..200_000 {
            text.extend_from_slice(
                format!(
                    "{{\"level\":\"info\",\"n\":{i},\"pad\":\"{}\"}}\n",
                    "x".repeat(i % 50)
                )
                .as_bytes(),
            );
        }
        let roles = RoleMap::default();
        let tally = Tally::new(&roles, &[]);
        let cfg = BuildConfig {
            roles: &roles,
            fields: &[],
            limits: Limits {
                binary: false,
                max_line: 1 << 20,
            },
            settings: 0,
            dir: Path::new("/nonexistent"),
            block: 1 << 20,
        };
        let (blocks, size) = read_blocks(&tally, &cfg, |cut| {
            for piece in text.chunks(100_000) {
                cut.push(piece)?;
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(size, text.len() as u64);
        let mut lines = 0;
        let mut end = 0;
        for f in &blocks {
            let b = &f.block;
            assert_eq!(b.start, end);
            assert!(b.start == 0 || text[b.start as usize - 1] == b'\n');
            assert_eq!(b.lines, lines);
            assert_eq!(b.invalid, 0);
            lines += f.lines;
            end = b.end;
        }
        assert_eq!(lines, 200_000);
        assert!(blocks.len() > 2);
    }
}
