//! The sidecar file: what an index knows of one log file, and its bytes on
//! disk.
//!
//! Owns [`Sidecar`] (the file's identity, the settings it was built under,
//! its blocks and, for gzip, the access points) and its encoding: a magic
//! line, then little-endian integers and length-prefixed byte strings,
//! checked as they are read. A damaged or foreign sidecar is an error,
//! never a panic, and its file is then read whole.

use super::bloom::Bloom;
use super::gzip::AccessPoint;
use crate::record::Timestamp;
use std::io::{self, Read, Write};

/// The first bytes of every sidecar; the last one is the format's version.
const MAGIC: &[u8; 8] = b"LOGQIDX\x01";

/// A file as it was when indexed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Identity {
    pub dev: u64,
    pub ino: u64,
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime: i128,
    /// Hash of the first [`super::place::EDGE`] bytes.
    pub head: u64,
    /// Hash of the last [`super::place::EDGE`] bytes (of the first `size`).
    pub tail: u64,
}

/// How the file's text is stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Codec {
    #[default]
    Plain,
    Gzip,
    /// zstd, bzip2 or xz: one block, read whole or skipped whole.
    Whole,
}

/// What the index knows of one block of text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Block {
    /// Offset of its first byte in the text (a record start).
    pub start: u64,
    /// Offset just past its last byte (the next block's start).
    pub end: u64,
    /// Lines of the text before it.
    pub lines: u64,
    /// Its lines that are no record (unparsed lines).
    pub invalid: u64,
    /// Its records.
    pub records: u64,
    /// The earliest and latest time of its records, if any has one.
    pub times: Option<(Timestamp, Timestamp)>,
    /// Records per level, in [`crate::record::Level::ALL`] order.
    pub levels: [u64; 7],
    /// Its correlation ids and indexed field values.
    pub bloom: Bloom,
    /// For gzip: the access point to restart inflation at (at or before
    /// `start`), an index into [`Sidecar::points`].
    pub point: u32,
}

/// The index of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sidecar {
    pub identity: Identity,
    /// The reading settings it was built under (see `place::fingerprint`).
    pub settings: u64,
    /// The file's absolute path when it was indexed (for `--prune`; a
    /// renamed file keeps its sidecar, found by device and inode).
    pub path: Vec<u8>,
    pub codec: Codec,
    /// The fields whose values the blooms hold, as paths.
    pub fields: Vec<Vec<String>>,
    pub blocks: Vec<Block>,
    /// For gzip, the access points the blocks use.
    pub points: Vec<Point>,
}

/// An access point as stored: its window deflated, inflated only when a
/// query restarts there (a month of sidecars holds thousands of windows).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Point {
    pub out: u64,
    pub input: u64,
    pub bits: u8,
    /// The window, deflated.
    pub packed: Vec<u8>,
}

impl Point {
    /// A point to store.
    pub fn pack(p: &AccessPoint) -> io::Result<Point> {
        Ok(Point {
            out: p.out,
            input: p.input,
            bits: p.bits,
            packed: deflate(&p.window)?,
        })
    }

    /// The access point, its window inflated.
    pub fn unpack(&self) -> io::Result<AccessPoint> {
        Ok(AccessPoint {
            out: self.out,
            input: self.input,
            bits: self.bits,
            window: inflate(&self.packed).map_err(io::Error::other)?,
        })
    }
}

impl Sidecar {
    /// The sidecar's bytes.
    pub fn encode(&self) -> io::Result<Vec<u8>> {
        let mut w = Writer(Vec::with_capacity(1 << 16));
        w.0.extend_from_slice(MAGIC);
        let id = &self.identity;
        for v in [id.dev, id.ino, id.size] {
            w.u64(v);
        }
        w.i128(id.mtime);
        w.u64(id.head);
        w.u64(id.tail);
        w.u64(self.settings);
        w.bytes(&self.path);
        w.u64(match self.codec {
            Codec::Plain => 0,
            Codec::Gzip => 1,
            Codec::Whole => 2,
        });
        w.u64(self.fields.len() as u64);
        for path in &self.fields {
            w.u64(path.len() as u64);
            for part in path {
                w.bytes(part.as_bytes());
            }
        }
        w.u64(self.points.len() as u64);
        for p in &self.points {
            w.u64(p.out);
            w.u64(p.input);
            w.u64(u64::from(p.bits));
            w.bytes(&p.packed);
        }
        w.u64(self.blocks.len() as u64);
        for b in &self.blocks {
            for v in [b.start, b.end, b.lines, b.invalid, b.records] {
                w.u64(v);
            }
            match b.times {
                None => w.u64(0),
                Some((first, last)) => {
                    w.u64(1);
                    w.i128(first.0);
                    w.i128(last.0);
                }
            }
            b.levels.iter().for_each(|n| w.u64(*n));
            w.u64(b.bloom.words().len() as u64);
            b.bloom.words().iter().for_each(|x| w.u64(*x));
            w.u64(u64::from(b.point));
        }
        Ok(w.0)
    }

    /// Reads a sidecar's bytes; an error says what is wrong with them.
    pub fn decode(bytes: &[u8]) -> Result<Sidecar, String> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return Err("not a logq index of this version".into());
        }
        let identity = Identity {
            dev: r.u64()?,
            ino: r.u64()?,
            size: r.u64()?,
            mtime: r.i128()?,
            head: r.u64()?,
            tail: r.u64()?,
        };
        let settings = r.u64()?;
        let path = r.bytes()?.to_vec();
        let codec = match r.u64()? {
            0 => Codec::Plain,
            1 => Codec::Gzip,
            2 => Codec::Whole,
            n => return Err(format!("unknown codec {n}")),
        };
        let mut fields = Vec::new();
        for _ in 0..r.count(8)? {
            let mut path = Vec::new();
            for _ in 0..r.count(8)? {
                let part = std::str::from_utf8(r.bytes()?).map_err(|e| e.to_string())?;
                path.push(part.to_string());
            }
            fields.push(path);
        }
        let mut points = Vec::new();
        for _ in 0..r.count(32)? {
            let out = r.u64()?;
            let input = r.u64()?;
            let bits = u8::try_from(r.u64()?)
                .ok()
                .filter(|b| *b < 8)
                .ok_or("bad bit offset")?;
            let packed = r.bytes()?.to_vec();
            points.push(Point {
                out,
                input,
                bits,
                packed,
            });
        }
        let mut blocks = Vec::new();
        for _ in 0..r.count(64)? {
            let (start, end, lines, invalid) = (r.u64()?, r.u64()?, r.u64()?, r.u64()?);
            let records = r.u64()?;
            let times = match r.u64()? {
                0 => None,
                _ => Some((Timestamp(r.i128()?), Timestamp(r.i128()?))),
            };
            let mut levels = [0; 7];
            for n in &mut levels {
                *n = r.u64()?;
            }
            let words = (0..r.count(8)?)
                .map(|_| r.u64())
                .collect::<Result<Vec<_>, _>>()?;
            let point = u32::try_from(r.u64()?).map_err(|e| e.to_string())?;
            if start > end || (codec == Codec::Gzip && point as usize >= points.len()) {
                return Err("a block out of range".into());
            }
            blocks.push(Block {
                start,
                end,
                lines,
                invalid,
                records,
                times,
                levels,
                bloom: Bloom::from_words(words),
                point,
            });
        }
        if r.at != bytes.len() {
            return Err("trailing bytes".into());
        }
        Ok(Sidecar {
            identity,
            settings,
            path,
            codec,
            fields,
            blocks,
            points,
        })
    }
}

struct Writer(Vec<u8>);

impl Writer {
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn i128(&mut self, v: i128) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn bytes(&mut self, b: &[u8]) {
        self.u64(b.len() as u64);
        self.0.extend_from_slice(b);
    }
}

struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> Result<&'b [u8], String> {
        let end = self.at.checked_add(n).filter(|e| *e <= self.bytes.len());
        let end = end.ok_or("cut short")?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }
    fn u64(&mut self) -> Result<u64, String> {
        let b = self.take(8)?;
        Ok(u64::from_le_bytes(b.try_into().map_err(|_| "cut short")?))
    }
    fn i128(&mut self) -> Result<i128, String> {
        let b = self.take(16)?;
        Ok(i128::from_le_bytes(b.try_into().map_err(|_| "cut short")?))
    }
    fn bytes(&mut self) -> Result<&'b [u8], String> {
        let n = usize::try_from(self.u64()?).map_err(|e| e.to_string())?;
        self.take(n)
    }
    /// A count of items of at least `each` bytes, no more than the bytes left
    /// could hold (a damaged count must not reserve gigabytes).
    fn count(&mut self, each: usize) -> Result<usize, String> {
        let n = usize::try_from(self.u64()?).map_err(|e| e.to_string())?;
        if n > (self.bytes.len() - self.at) / each {
            return Err("a count past the end".into());
        }
        Ok(n)
    }
}

fn deflate(window: &[u8]) -> io::Result<Vec<u8>> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(window)?;
    e.finish()
}

fn inflate(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(32 << 10);
    flate2::read::DeflateDecoder::new(bytes)
        .take(64 << 10)
        .read_to_end(&mut out)
        .map_err(|e| format!("a damaged window: {e}"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Sidecar {
        let mut bloom = Bloom::with_keys(3);
        bloom.insert(7);
        Sidecar {
            identity: Identity {
                dev: 1,
                ino: 2,
                size: 300,
                mtime: -5,
                head: 9,
                tail: 10,
            },
            settings: 42,
            path: b"/var/log/app.jsonl".to_vec(),
            codec: Codec::Gzip,
            fields: vec![vec!["user_id".into()], vec!["ctx".into(), "org".into()]],
            blocks: vec![Block {
                start: 0,
                end: 300,
                lines: 0,
                invalid: 1,
                records: 2,
                times: Some((Timestamp(1), Timestamp(-2))),
                levels: [1, 2, 3, 4, 5, 6, 7],
                bloom,
                point: 0,
            }],
            points: vec![Point::pack(&AccessPoint {
                out: 0,
                input: 0,
                bits: 3,
                window: b"window ".repeat(5000),
            })
            .unwrap()],
        }
    }

    #[test]
    fn a_sidecar_reads_back_as_written() {
        let s = sample();
        assert_eq!(Sidecar::decode(&s.encode().unwrap()), Ok(s.clone()));
        assert_eq!(
            s.points[0].unpack().unwrap().window,
            b"window ".repeat(5000)
        );
    }

    #[test]
    fn damage_is_an_error_not_a_panic() {
        let bytes = sample().encode().unwrap();
        for cut in 0..bytes.len() {
            assert!(Sidecar::decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut flipped = bytes.clone();
        flipped[7] ^= 1;
        assert!(Sidecar::decode(&flipped).is_err());
        for i in (8..bytes.len()).step_by(7) {
            let mut b = bytes.clone();
            b[i] ^= 0xff;
            let _ = Sidecar::decode(&b);
        }
    }
}
