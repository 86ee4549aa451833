//! Random access into gzip files, zran style (zlib's `examples/zran.c`, indexed_gzip).
//!
//! This module owns the inflation side of a gzip index: [`build`] inflates a whole,
//! possibly multi-member, gzip file once, hands its text to a sink and records
//! [`AccessPoint`]s; [`Resume`] restarts inflation at such a point and reads on to the end
//! of the file. Storing and serializing the points is the caller's job.
//!
//! Invariant: for every point `p` that [`build`] returns for `data`, reading
//! `Resume::new(data, &p)` to the end yields exactly the text of `data` from `p.out` on.
//! A point with an empty `window` is always the start of a gzip member (its header is at
//! `p.input` and `p.bits == 0`); any other point is a deflate block boundary inside a member,
//! and its `window` is the last `min(32 KiB, text of that member so far)` bytes of text.
//! All `unsafe` code (the zlib C API of `libz-rs-sys`) is confined to the private `Inflater`.

use std::ffi::{c_int, c_uint, CStr};
use std::io::{self, ErrorKind, Read};
use std::ptr;

use libz_rs_sys::{
    inflate, inflateEnd, inflateGetDictionary, inflateInit2_, inflatePrime, inflateReset2,
    inflateSetDictionary, z_stream, zlibVersion, Z_BLOCK, Z_BUF_ERROR, Z_DATA_ERROR, Z_MEM_ERROR,
    Z_NO_FLUSH, Z_OK, Z_STREAM_END,
};

/// Deflate's maximum back-reference distance: the size of an access point's window.
const WINDOW: usize = 32 * 1024;
/// How much text [`build`] inflates between calls of its sink.
const CHUNK: usize = 256 * 1024;
/// `windowBits` for a gzip member with header, CRC32 and ISIZE checked by zlib.
const GZIP_BITS: c_int = 15 + 16;
/// `windowBits` for raw deflate data (a restart in the middle of a member).
const RAW_BITS: c_int = -15;
/// The first two bytes of every gzip member.
const MAGIC: [u8; 2] = [0x1f, 0x8b];

/// A place in a gzip file where inflation can restart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessPoint {
    /// Offset in the uncompressed text (all members concatenated).
    pub out: u64,
    /// Offset in the compressed file of the first whole byte to feed the inflater.
    pub input: u64,
    /// How many bits (0..=7) of the byte at `input - 1` are still unread (0: none; start at `input`).
    pub bits: u8,
    /// The (up to) 32 KiB of uncompressed text just before `out`; empty when the point is a member's start (then `input` is the offset of that member's gzip header and `bits` is 0).
    pub window: Vec<u8>,
}

/// Inflates the whole gzip file `data` (every member, as flate2's MultiGzDecoder would), handing the text to `sink` in order, in pieces of any size. Returns the access points: one at out = 0 (input 0), then one at the first deflate block boundary (or member start) after every `span` bytes of text since the previous point. Every member's CRC32 and ISIZE are checked. Errors (io::Error with a clear message naming what: "not gzip", "truncated gzip", "corrupt gzip: ...", "gzip CRC mismatch", ...) on any damage, or if `sink` fails.
///
/// Like flate2's `MultiGzDecoder`, anything after a member that is not another member is an
/// error, trailing zero bytes included. Empty `data` is "not gzip". A `span` of 0 acts as 1.
pub fn build(
    data: &[u8],
    span: u64,
    mut sink: impl FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<Vec<AccessPoint>> {
    if !data.starts_with(&MAGIC) {
        return Err(if data == &MAGIC[..1] {
            truncated("input ends inside the first gzip header".into())
        } else {
            invalid("not gzip (no 1f 8b magic at offset 0)".into())
        });
    }
    let span = span.max(1);
    let mut inf = Inflater::new(GZIP_BITS)?;
    // `buf[..have]` is text not yet given to `sink`; windows come from zlib's own copy.
    let mut buf = vec![0u8; CHUNK];
    let (mut have, mut pos) = (0usize, 0usize);
    // Text offsets: total so far, where the current member began, the last point.
    let (mut out, mut member_out, mut last) = (0u64, 0u64, 0u64);
    let mut points = vec![AccessPoint {
        out: 0,
        input: 0,
        bits: 0,
        window: Vec::new(),
    }];
    // The previous call made no progress (zlib may still have moved on inside its bits).
    let mut idle = false;
    loop {
        if have == buf.len() {
            sink(&buf)?;
            have = 0;
        }
        // Stop at block boundaries (Z_BLOCK) only once this call may reach `span`: every
        // return costs zlib a window update, so don't return where no point can be taken.
        let room = (buf.len() - have) as u64;
        let flush = if (out - last).saturating_add(room) >= span {
            Z_BLOCK
        } else {
            Z_NO_FLUSH
        };
        let step = inf.inflate(&data[pos..], &mut buf[have..], flush);
        pos += step.used;
        have += step.made;
        out += step.made as u64;
        match step.ret {
            // Z_BUF_ERROR is "no progress": fatal only twice in a row.
            Z_OK | Z_BUF_ERROR if !(idle && step.used + step.made == 0) => {
                idle = step.used + step.made == 0;
                let dt = step.data_type;
                // 128: stopped at a block boundary; 64: the block just ended was the last.
                if dt & 128 != 0 && dt & 64 == 0 && out - last >= span && out > member_out {
                    // zlib's window: this member's last min(32 KiB, its text so far) bytes.
                    let window = inf.dictionary()?;
                    let (back, bits) = unread(dt);
                    points.push(AccessPoint {
                        out,
                        input: pos.saturating_sub(back) as u64,
                        bits,
                        window,
                    });
                    last = out;
                }
            }
            Z_STREAM_END => {
                idle = false;
                pos = pos.saturating_sub(unread(step.data_type).0);
                if !next_member(data, pos)? {
                    break;
                }
                inf.reset(GZIP_BITS)?;
                member_out = out;
                if out - last >= span {
                    points.push(AccessPoint {
                        out,
                        input: pos as u64,
                        bits: 0,
                        window: Vec::new(),
                    });
                    last = out;
                }
            }
            ret => return Err(inflate_error(&inf, ret, pos, data.len())),
        }
    }
    if have > 0 {
        sink(&buf[..have])?;
    }
    Ok(points)
}

/// Uncompressed text from an access point on: reads from `point.out` to the end of the file, across later members. Data past `point` is re-validated as far as possible (mid-member starts can't check that member's CRC, but later members' CRCs are checked); damage is an io::Error, never a panic.
///
/// After an error, every further `read` fails too. `Resume` is `Send`.
pub struct Resume<'a> {
    /// The whole gzip file.
    data: &'a [u8],
    /// Offset in `data` of the next byte to feed the inflater.
    pos: usize,
    inf: Inflater,
    /// The current member was entered mid-stream (raw deflate, its trailer unchecked).
    raw: bool,
    /// The end of the file was reached cleanly.
    done: bool,
    /// A read failed; later reads fail too.
    failed: bool,
    /// An error to report on the next read (its call still returned text).
    pending: Option<io::Error>,
}

impl<'a> Resume<'a> {
    /// Prepares to read the text of `data` from `point.out` on. Errors if `point` is not
    /// consistent with `data` (offset past the end, no gzip header where a member should
    /// start, `bits > 7`, window over 32 KiB); a point that is consistent but wrong (from
    /// another file) gives errors or wrong text while reading, never a panic.
    pub fn new(data: &'a [u8], point: &AccessPoint) -> io::Result<Resume<'a>> {
        let bad = |what: &str| {
            io::Error::new(
                ErrorKind::InvalidInput,
                format!("invalid gzip access point: {what}"),
            )
        };
        let pos = usize::try_from(point.input)
            .ok()
            .filter(|&p| p <= data.len())
            .ok_or_else(|| bad("input offset past the end of the file"))?;
        if point.bits > 7 || point.window.len() > WINDOW {
            return Err(bad("more than 7 bits or a window over 32 KiB"));
        }
        let raw = !point.window.is_empty();
        let inf = if raw {
            let mut inf = Inflater::new(RAW_BITS)?;
            if point.bits > 0 {
                let byte = pos
                    .checked_sub(1)
                    .and_then(|p| data.get(p))
                    .ok_or_else(|| bad("bits set at input offset 0"))?;
                inf.prime(point.bits, byte >> (8 - point.bits))?;
            }
            inf.set_dictionary(&point.window)?;
            inf
        } else if point.bits != 0 || !data[pos..].starts_with(&MAGIC) {
            return Err(bad("no gzip member starts at its input offset"));
        } else {
            Inflater::new(GZIP_BITS)?
        };
        Ok(Resume {
            data,
            pos,
            inf,
            raw,
            done: false,
            failed: false,
            pending: None,
        })
    }

    /// Moves past the member whose deflate data just ended, into the next one, if any.
    fn end_member(&mut self, data_type: c_int) -> io::Result<()> {
        let mut next = self.pos.saturating_sub(unread(data_type).0);
        if self.raw {
            if self.data.len() - next < 8 {
                return Err(truncated(format!(
                    "member trailer cut off at offset {next}"
                )));
            }
            next += 8; // CRC32 and ISIZE: the member's start is unknown, so is its CRC.
        }
        self.pos = next;
        if next_member(self.data, next)? {
            self.inf.reset(GZIP_BITS)?;
            self.raw = false;
        } else {
            self.done = true;
        }
        Ok(())
    }

    /// Remembers that reading failed and returns `err`.
    fn fail(&mut self, err: io::Error) -> io::Error {
        self.failed = true;
        err
    }
}

impl Read for Resume<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(err) = self.pending.take() {
            return Err(self.fail(err));
        }
        if self.failed {
            return Err(invalid("corrupt gzip: reading already failed".into()));
        }
        if self.done || buf.is_empty() {
            return Ok(0);
        }
        let mut idle = false;
        loop {
            let step = self.inf.inflate(&self.data[self.pos..], buf, Z_NO_FLUSH);
            self.pos += step.used;
            match step.ret {
                Z_OK | Z_BUF_ERROR if step.made > 0 => return Ok(step.made),
                // No progress: fatal only twice in a row (zlib may have moved on in its bits).
                Z_OK | Z_BUF_ERROR if !(idle && step.used == 0) => idle = step.used == 0,
                Z_STREAM_END => {
                    idle = false;
                    let ended = self.end_member(step.data_type);
                    match ended {
                        Err(err) if step.made > 0 => self.pending = Some(err),
                        Err(err) => return Err(self.fail(err)),
                        Ok(()) => {}
                    }
                    if step.made > 0 || self.done {
                        return Ok(step.made);
                    }
                }
                ret => {
                    let err = inflate_error(&self.inf, ret, self.pos, self.data.len());
                    return Err(self.fail(err));
                }
            }
        }
    }
}

/// Splits the bits zlib holds but has not used, reported in `data_type`, into whole bytes
/// to give back to the input and the bit count (0..=7) left over from the byte before.
/// (zlib keeps fewer than 8; zlib-rs may keep whole bytes too, still below 64 bits.)
fn unread(data_type: c_int) -> (usize, u8) {
    let bits = (data_type & 63) as u8;
    (usize::from(bits / 8), bits % 8)
}

/// Whether another gzip member starts at offset `at` of `data` (`false`: clean end).
fn next_member(data: &[u8], at: usize) -> io::Result<bool> {
    let rest = data.get(at..).unwrap_or_default();
    if rest.is_empty() {
        Ok(false)
    } else if rest.starts_with(&MAGIC) {
        Ok(true)
    } else if MAGIC.starts_with(rest) {
        Err(truncated(format!(
            "input ends inside a gzip header at offset {at}"
        )))
    } else {
        let what = if rest.iter().all(|&b| b == 0) {
            "trailing zero bytes"
        } else {
            "trailing garbage"
        };
        let len = rest.len();
        Err(invalid(format!(
            "corrupt gzip: {what} ({len} bytes) after the member ending at offset {at}"
        )))
    }
}

fn invalid(msg: String) -> io::Error {
    io::Error::new(ErrorKind::InvalidData, msg)
}

fn truncated(what: String) -> io::Error {
    io::Error::new(ErrorKind::UnexpectedEof, format!("truncated gzip: {what}"))
}

/// The error for an unexpected `inflate` return code `ret`, with input consumed up to `pos`.
fn inflate_error(inf: &Inflater, ret: c_int, pos: usize, len: usize) -> io::Error {
    match ret {
        Z_DATA_ERROR => match inf.message().as_str() {
            "incorrect data check" => invalid(format!(
                "gzip CRC mismatch in the member ending at offset {pos}"
            )),
            "incorrect length check" => invalid(format!(
                "gzip length (ISIZE) mismatch in the member ending at offset {pos}"
            )),
            "incorrect header check" => invalid(format!("not gzip (bad header at offset {pos})")),
            msg => invalid(format!("corrupt gzip: {msg} (near offset {pos})")),
        },
        Z_MEM_ERROR => io::Error::new(ErrorKind::OutOfMemory, "gzip: inflate out of memory"),
        Z_OK | Z_BUF_ERROR if pos >= len => truncated(format!("data ends at offset {pos}")),
        _ => invalid(format!(
            "corrupt gzip: inflate failed with code {ret} near offset {pos}"
        )),
    }
}

/// One `inflate` call: its return code, bytes consumed and produced, and `data_type`.
struct Step {
    ret: c_int,
    used: usize,
    made: usize,
    data_type: c_int,
}

/// A zlib inflate stream, heap-pinned because zlib keeps a pointer to the `z_stream`.
/// `next_in`/`next_out` are only set for the duration of one `inflate` call.
struct Inflater {
    strm: Box<z_stream>,
}

// SAFETY: the stream state is owned by this value alone (allocated by zlib-rs through the
// Rust allocator, freed in Drop), has no thread affinity, and holds no borrowed pointers
// between calls (`next_in`/`next_out` are reset to null after every `inflate`).
unsafe impl Send for Inflater {}

impl Inflater {
    fn new(window_bits: c_int) -> io::Result<Self> {
        let mut strm = Box::<z_stream>::default();
        let size = std::mem::size_of::<z_stream>() as c_int;
        // SAFETY: `strm` is a default (zeroed, allocator set) z_stream at a stable heap
        // address that outlives the stream; version and size describe this very library.
        let ret = unsafe { inflateInit2_(&mut *strm, window_bits, zlibVersion(), size) };
        check(ret, "inflateInit2")?;
        Ok(Inflater { strm })
    }

    fn reset(&mut self, window_bits: c_int) -> io::Result<()> {
        // SAFETY: `strm` was initialized by inflateInit2_ and is not ended yet.
        check(
            unsafe { inflateReset2(&mut *self.strm, window_bits) },
            "inflateReset2",
        )
    }

    fn prime(&mut self, bits: u8, value: u8) -> io::Result<()> {
        let (bits, value) = (c_int::from(bits), c_int::from(value));
        // SAFETY: `strm` was initialized by inflateInit2_ and is not ended yet.
        check(
            unsafe { inflatePrime(&mut *self.strm, bits, value) },
            "inflatePrime",
        )
    }

    fn set_dictionary(&mut self, dict: &[u8]) -> io::Result<()> {
        let len = u32::try_from(dict.len()).map_err(|_| invalid("window too large".into()))?;
        // SAFETY: `strm` is initialized; `dict` is valid for reads of `len` bytes, which
        // zlib copies into its own window before returning.
        let ret = unsafe { inflateSetDictionary(&mut *self.strm, dict.as_ptr(), len) };
        check(ret, "inflateSetDictionary")
    }

    fn inflate(&mut self, input: &[u8], output: &mut [u8], flush: c_int) -> Step {
        let avail_in = u32::try_from(input.len()).unwrap_or(u32::MAX);
        let avail_out = u32::try_from(output.len()).unwrap_or(u32::MAX);
        let s = &mut *self.strm;
        (s.next_in, s.avail_in) = (input.as_ptr(), avail_in);
        (s.next_out, s.avail_out) = (output.as_mut_ptr(), avail_out);
        // SAFETY: `strm` is initialized; next_in/avail_in and next_out/avail_out describe
        // the live borrows `input` and `output` (lengths clamped to u32), which zlib only
        // reads and writes within during this call; the pointers are cleared right after.
        let ret = unsafe { inflate(s, flush) };
        let step = Step {
            ret,
            used: avail_in.saturating_sub(s.avail_in) as usize,
            made: avail_out.saturating_sub(s.avail_out) as usize,
            data_type: s.data_type,
        };
        (s.next_in, s.avail_in) = (ptr::null(), 0);
        (s.next_out, s.avail_out) = (ptr::null_mut(), 0);
        step
    }

    /// A copy of zlib's window: the last (up to) 32 KiB of text since the last reset.
    fn dictionary(&self) -> io::Result<Vec<u8>> {
        let mut window = vec![0u8; WINDOW];
        let mut len: c_uint = 0;
        // SAFETY: `strm` is initialized; `window` is writable for 32 KiB, the most zlib
        // holds with windowBits 15 (all our streams), and `len` is a valid out-parameter.
        let ret = unsafe { inflateGetDictionary(&*self.strm, window.as_mut_ptr(), &mut len) };
        check(ret, "inflateGetDictionary")?;
        window.truncate(len as usize);
        Ok(window)
    }

    /// zlib's message for the last error, if any.
    fn message(&self) -> String {
        if self.strm.msg.is_null() {
            return String::new();
        }
        // SAFETY: a non-null `msg` points to one of zlib's static NUL-terminated messages.
        unsafe { CStr::from_ptr(self.strm.msg) }
            .to_string_lossy()
            .into_owned()
    }
}

impl Drop for Inflater {
    fn drop(&mut self) {
        // SAFETY: `strm` was initialized by inflateInit2_ (only then is an Inflater built)
        // and is ended exactly once, here.
        unsafe { inflateEnd(&mut *self.strm) };
    }
}

/// Turns a non-`Z_OK` return of the zlib call `what` into an error.
fn check(ret: c_int, what: &str) -> io::Result<()> {
    match ret {
        Z_OK => Ok(()),
        Z_MEM_ERROR => Err(io::Error::new(
            ErrorKind::OutOfMemory,
            format!("gzip: {what} out of memory"),
        )),
        _ => Err(io::Error::other(format!(
            "gzip: {what} failed with code {ret}"
        ))),
    }
}

#[cfg(test)]
mod tests;
