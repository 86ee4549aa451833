//! Opening an input: compression by magic bytes, mapped or streamed.
//!
//! Owns the choice between a memory map (plain files, the fast path), a
//! stream (compressed files, stdin from a file, and everything when mapping
//! is off) and a live stream (pipes and sockets, searched as they arrive).
//! Compression is detected from the first bytes, never the extension.

use super::stdin::StdinKind;
use super::Input;
use crate::progress::Counted;
use memmap2::Mmap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::os::unix::fs::FileTypeExt;

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
    Mapped(Mmap, File),
    /// A byte stream (decompressed if needed).
    Stream(Box<dyn Read + Send>),
    /// A pipe or socket whose writer may still be running, not yet decoded
    /// (see `source::live`, which reads it on its own thread).
    Live(Box<dyn BufRead + Send>),
}

/// Opens an input. Plain files are mapped when `mmap` is set.
pub fn open(input: &Input, mmap: bool) -> io::Result<Opened> {
    let Some(path) = &input.path else {
        let stdin = BufReader::with_capacity(1 << 16, Counted::new(io::stdin()));
        if StdinKind::detect().is_live() {
            return Ok(Opened::Live(Box::new(stdin)));
        }
        return Ok(Opened::Stream(decode(stdin)?));
    };
    let mut file = File::open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(io::Error::other("is a directory"));
    }
    // A FIFO (`logq <(kubectl logs -f …)`): read once, as it arrives.
    if meta.file_type().is_fifo() || meta.file_type().is_socket() {
        return Ok(Opened::Live(Box::new(BufReader::with_capacity(
            1 << 16,
            Counted::new(file),
        ))));
    }
    let mut head = [0u8; 6];
    let n = read_head(&mut file, &mut head)?;
    let compression = Compression::detect(&head[..n]);
    if compression == Compression::None && mmap && meta.is_file() && meta.len() > 0 {
        super::sigbus::install();
        // SAFETY: a file being appended to is safe to map. A file truncated
        // while mapped would raise SIGBUS on access past its new end; the
        // handler installed above replaces such pages with zeros and the
        // scanner reports the shrink (see `sigbus`).
        let map = unsafe { Mmap::map(&file)? };
        #[cfg(unix)]
        let _ = map.advise(memmap2::Advice::Sequential);
        return Ok(Opened::Mapped(map, file));
    }
    let file = File::open(path)?;
    let reader = BufReader::with_capacity(1 << 18, Counted::new(file));
    Ok(Opened::Stream(decode(reader)?))
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
