//! Opening an input: compression by magic bytes, mapped or streamed.
//!
//! Owns the choice between a memory map (finished plain files, the fast
//! path), a stream (compressed files, files still being written, files
//! with a byte-order mark or an over-long line, stdin from a file, and
//! everything when mapping is off) and a live stream (pipes, sockets,
//! terminals and other devices, searched as they arrive). Compression is
//! detected from the first bytes, never the extension. Every stream is read
//! through `guard` (binary files, `--max-line-bytes`, a BOM).
//!
//! Invariant: an input is opened once. A FIFO, `/dev/stdin` or `<(gzip -c
//! f)` cannot be read a second time, so its first bytes are looked at in
//! the buffered reader that then reads the rest (issue 13).

use super::guard;
use super::sigbus::Mapping;
use super::stdin::StdinKind;
use super::Input;
use crate::progress::Counted;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::time::{Duration, SystemTime};

/// Compression formats recognized by their magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
    Bzip2,
    Xz,
}

impl Compression {
    /// Recognizes the magic bytes at the start of a file.
    pub fn detect(head: &[u8]) -> Compression {
        match head {
            [0x1f, 0x8b, ..] => Compression::Gzip,
            [0x28, 0xb5, 0x2f, 0xfd, ..] => Compression::Zstd,
            [b'B', b'Z', b'h', ..] => Compression::Bzip2,
            [0xfd, b'7', b'z', b'X', b'Z', 0x00, ..] => Compression::Xz,
            _ => Compression::None,
        }
    }
}

/// An opened input.
pub enum Opened {
    /// A plain file, mapped. The file is kept to notice truncation.
    Mapped(Mapping, File),
    /// A byte stream (decompressed if needed).
    Stream(Box<dyn Read + Send>),
    /// A pipe or socket whose writer may still be running, not yet decoded
    /// (see `source::live`, which reads it on its own thread).
    Live(Pending),
    /// A plain file that may still be written to (not mapped): read as a
    /// stream, from where a time seek by positioned reads says (see
    /// [`Growing::into_stream`]).
    Growing(Growing),
}

/// A plain, uncompressed file modified recently, opened but not yet read.
pub struct Growing {
    pub file: File,
    /// Its length when opened.
    pub len: u64,
    name: String,
}

impl Growing {
    /// The file as a stream from byte `start` (a record start), to its end
    /// as it grows, or to `end` when given.
    pub fn into_stream(mut self, start: u64, end: Option<u64>) -> io::Result<Box<dyn Read + Send>> {
        self.file.seek(SeekFrom::Start(start))?;
        let mut shrinking = Shrinking::new(self.file);
        shrinking.read = start;
        let reader: Box<dyn Read + Send> = match end {
            Some(end) => Box::new(shrinking.take(end.saturating_sub(start))),
            None => Box::new(shrinking),
        };
        let reader = BufReader::with_capacity(1 << 18, Counted::new(reader));
        guarded(reader, self.name)
    }
}

/// A stream not yet decoded (its first bytes may not have arrived), with
/// its name for messages.
pub struct Pending {
    pub reader: Box<dyn BufRead + Send>,
    pub name: String,
}

impl Pending {
    /// A stream named `name`.
    pub fn new<R: BufRead + Send + 'static>(reader: R, name: String) -> Pending {
        Pending {
            reader: Box::new(reader),
            name,
        }
    }

    /// Decodes the stream as its first bytes say (this waits for them),
    /// under the input limits.
    pub fn open(self) -> io::Result<Box<dyn Read + Send>> {
        guarded(self.reader, self.name)
    }
}

/// Opens an input. Plain files are mapped when `mmap` is set and they are
/// finished (see [`is_finished`]); everything else is read as a stream
/// under the input limits (`guard`). Each input is opened once: a FIFO,
/// `/dev/stdin` or `<(gzip -c f)` cannot be read twice.
pub fn open(input: &Input, mmap: bool) -> io::Result<Opened> {
    let name = input.display();
    let Some(path) = &input.path else {
        let stdin = BufReader::with_capacity(1 << 16, Counted::new(io::stdin()));
        if StdinKind::detect().is_live() {
            return Ok(Opened::Live(Pending::new(stdin, name)));
        }
        return Ok(Opened::Stream(guarded(stdin, name)?));
    };
    let mut file = File::open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(io::Error::other("is a directory"));
    }
    // A FIFO (`logq <(kubectl logs -f …)`), a socket, a terminal or another
    // device (`/dev/stdin`, `/dev/zero`): read once, as it arrives.
    if !meta.is_file() {
        let reader = BufReader::with_capacity(1 << 16, Counted::new(file));
        return Ok(Opened::Live(Pending::new(reader, name)));
    }
    let mut head = [0u8; 6];
    let n = read_head(&mut file, &mut head)?;
    let head = &head[..n];
    let plain = Compression::detect(head) == Compression::None && !head.starts_with(guard::BOM);
    if plain && mmap && meta.len() > 0 && is_finished(&meta, SystemTime::now()) {
        if let Some(map) = super::sigbus::map(&file) {
            let limits = guard::limits();
            let first = &map[..map.len().min(FIRST_BLOCK)];
            if let Some(i) = memchr::memchr(0, first).filter(|_| !limits.binary) {
                return Err(guard::binary_error(i as u64));
            }
            if !guard::has_long_line(&map, limits.max_line) {
                map.advise_sequential();
                return Ok(Opened::Mapped(map, file));
            }
        }
    }
    file.seek(SeekFrom::Start(0))?;
    if plain && meta.len() > 0 {
        return Ok(Opened::Growing(Growing {
            file,
            len: meta.len(),
            name,
        }));
    }
    let reader = BufReader::with_capacity(1 << 18, Counted::new(Shrinking::new(file)));
    Ok(Opened::Stream(guarded(reader, name)?))
}

/// How much of a mapped file is checked for a NUL byte when it is opened
/// (the rest is checked chunk by chunk as it is scanned).
const FIRST_BLOCK: usize = 1 << 16;

/// A file modified more recently than this may still be written to, so it
/// is read rather than mapped (issue 13, item 12).
pub const SETTLE: Duration = Duration::from_secs(30);

/// Whether a file is finished, so that mapping it is safe in practice: not
/// modified for [`SETTLE`] (yesterday's files, rotated copies). Today's
/// live log is read with `read`, which a truncation cannot fault; a file
/// whose time is in the future, or unknown, counts as live.
pub fn is_finished(meta: &std::fs::Metadata, now: SystemTime) -> bool {
    meta.modified()
        .ok()
        .and_then(|m| now.duration_since(m).ok())
        .is_some_and(|age| age >= SETTLE)
}

/// Decodes a stream as its first bytes say, under the input limits.
fn guarded<R: BufRead + Send + 'static>(
    reader: R,
    name: String,
) -> io::Result<Box<dyn Read + Send>> {
    Ok(Box::new(guard::Guard::new(decode(reader)?, name)))
}

/// A regular file read as a stream that notices when it shrinks under the
/// reader (copytruncate): its end then comes before what was already read,
/// and the records after the cut are lost, which is said (SPEC §1).
struct Shrinking {
    file: File,
    read: u64,
}

impl Shrinking {
    fn new(file: File) -> Shrinking {
        Shrinking { file, read: 0 }
    }
}

/// The message for a file truncated while it was read.
pub const TRUNCATED: &str = "the file was truncated while being read; results may be incomplete";

impl Read for Shrinking {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        self.read += n as u64;
        if n == 0 && !buf.is_empty() {
            let len = self.file.metadata()?.len();
            if len < self.read {
                return Err(io::Error::other(TRUNCATED));
            }
        }
        Ok(n)
    }
}

/// Raises the soft limit on open files to the hard limit: an ordered scan
/// keeps every input open at once (one stream per input for the merge).
pub fn raise_fd_limit() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: getrlimit/setrlimit only read and write the struct passed.
        unsafe {
            let mut lim: libc::rlimit = std::mem::zeroed();
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 && lim.rlim_cur < lim.rlim_max {
                lim.rlim_cur = lim.rlim_max;
                libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
            }
        }
    });
}

fn read_head(file: &mut File, head: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Wraps a buffered reader in the decoder its first bytes call for.
pub fn decode<R: BufRead + Send + 'static>(mut reader: R) -> io::Result<Box<dyn Read + Send>> {
    let head = reader.fill_buf()?;
    Ok(match Compression::detect(head) {
        Compression::None => Box::new(reader),
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(reader)),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(reader)?),
        Compression::Bzip2 => Box::new(bzip2::bufread::MultiBzDecoder::new(reader)),
        Compression::Xz => Box::new(liblzma::bufread::XzDecoder::new_multi_decoder(reader)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn roundtrip(c: Compression, data: &[u8]) -> Vec<u8> {
        let compressed = match c {
            Compression::Gzip => {
                let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                e.write_all(data).unwrap();
                e.finish().unwrap()
            }
            Compression::Zstd => zstd::encode_all(data, 1).unwrap(),
            Compression::Bzip2 => {
                let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
                e.write_all(data).unwrap();
                e.finish().unwrap()
            }
            Compression::Xz => {
                let mut e = liblzma::write::XzEncoder::new(Vec::new(), 1);
                e.write_all(data).unwrap();
                e.finish().unwrap()
            }
            Compression::None => data.to_vec(),
        };
        assert_eq!(Compression::detect(&compressed), c);
        let mut out = Vec::new();
        decode(io::Cursor::new(compressed))
            .unwrap()
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn only_files_quiet_for_a_while_are_finished() {
        let f = tempfile::NamedTempFile::new().unwrap();
        let now = SystemTime::now();
        let meta = |age: u64| {
            f.as_file()
                .set_modified(now - Duration::from_secs(age))
                .unwrap();
            f.as_file().metadata().unwrap()
        };
        assert!(!is_finished(&meta(0), now));
        assert!(!is_finished(&meta(5), now));
        assert!(is_finished(&meta(3600), now));
        // A time in the future: someone else's clock; not finished.
        let future = f.as_file().metadata().unwrap();
        assert!(!is_finished(&future, now - Duration::from_secs(7200)));
    }

    #[test]
    fn every_compression_is_detected_and_decoded() {
        let data = b"{\"a\":1}\n{\"b\":2}\n";
        for c in [
            Compression::None,
            Compression::Gzip,
            Compression::Zstd,
            Compression::Bzip2,
            Compression::Xz,
        ] {
            assert_eq!(roundtrip(c, data), data, "{c:?}");
        }
    }

    #[test]
    fn multi_member_gzip_is_read_to_the_end() {
        let member = |s: &[u8]| {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(s).unwrap();
            e.finish().unwrap()
        };
        let mut both = member(b"one\n");
        both.extend(member(b"two\n"));
        let mut out = String::new();
        decode(io::Cursor::new(both))
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "one\ntwo\n");
    }
}
