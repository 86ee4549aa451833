use super::*;
use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write;
use std::process::{Command, Stdio};

/// Deterministic xorshift64* generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn json_lines(bytes: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed | 1);
    let levels = ["DEBUG", "INFO", "WARN", "ERROR"];
    let words = [
        "alpha", "beta", "gamma", "delta", "request", "timeout", "user", "cache",
    ];
    let mut out = Vec::with_capacity(bytes + 256);
    while out.len() < bytes {
        let n = rng.below(5) as usize + 1;
        let msg: Vec<&str> = (0..n).map(|_| words[rng.below(8) as usize]).collect();
        writeln!(
            out,
            r#"{{"ts":"2024-05-{:02}T{:02}:{:02}:{:02}.{:03}Z","level":"{}","id":{},"latency_ms":{:.3},"msg":"{}"}}"#,
            rng.below(28) + 1,
            rng.below(24),
            rng.below(60),
            rng.below(60),
            rng.below(1000),
            levels[rng.below(4) as usize],
            rng.next() % 10_000_000,
            rng.below(1_000_000) as f64 / 997.0,
            msg.join(" ")
        )
        .unwrap();
    }
    out
}

fn repetitive(bytes: usize) -> Vec<u8> {
    b"the same line again and again, forever\n"
        .iter()
        .copied()
        .cycle()
        .take(bytes)
        .collect()
}

fn random_bytes(bytes: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed | 1);
    (0..bytes).map(|_| rng.next() as u8).collect()
}

fn gz(text: &[u8], level: u32) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::new(level));
    enc.write_all(text).unwrap();
    enc.finish().unwrap()
}

/// Compresses with the system `gzip`, or None if it is not available.
fn system_gzip(text: &[u8], level: u32) -> Option<Vec<u8>> {
    let mut child = Command::new("gzip")
        .arg(format!("-{level}"))
        .arg("-c")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let text = text.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&text));
    let out = child.wait_with_output().ok()?;
    writer.join().ok()?.ok()?;
    out.status.success().then_some(out.stdout)
}

fn reference(data: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::bufread::MultiGzDecoder::new(data).read_to_end(&mut out)?;
    Ok(out)
}

fn build_all(data: &[u8], span: u64) -> io::Result<(Vec<u8>, Vec<AccessPoint>)> {
    let mut text = Vec::new();
    let points = build(data, span, |piece| {
        assert!(!piece.is_empty());
        text.extend_from_slice(piece);
        Ok(())
    })?;
    Ok((text, points))
}

fn resume_all(data: &[u8], point: &AccessPoint) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    Resume::new(data, point)?.read_to_end(&mut out)?;
    Ok(out)
}

/// The text offset at which each member starts, via flate2's single-member decoder.
fn member_outs(data: &[u8]) -> Vec<u64> {
    let (mut rest, mut out, mut starts) = (data, 0u64, Vec::new());
    while !rest.is_empty() {
        starts.push(out);
        let mut dec = flate2::bufread::GzDecoder::new(rest);
        out += io::copy(&mut dec, &mut io::sink()).unwrap();
        rest = dec.into_inner();
    }
    starts
}

/// Builds with `span`, checks the text against flate2, checks every point's invariants and
/// that resuming from it yields exactly the rest of the text. Returns the points.
fn check_file(data: &[u8], span: u64) -> Vec<AccessPoint> {
    let want = reference(data).unwrap();
    let (text, points) = build_all(data, span).unwrap();
    assert_eq!(text.len(), want.len());
    assert!(text == want, "build text differs from MultiGzDecoder");
    assert_eq!(
        points[0],
        AccessPoint {
            out: 0,
            input: 0,
            bits: 0,
            window: vec![]
        }
    );
    for pair in points.windows(2) {
        assert!(pair[0].out < pair[1].out, "points not strictly increasing");
        assert!(pair[0].input < pair[1].input);
        assert!(pair[1].out - pair[0].out >= span.max(1));
    }
    let starts = member_outs(data);
    for p in &points {
        let out = p.out as usize;
        let member = starts.iter().rev().find(|&&m| m < p.out).unwrap_or(&0);
        if !p.window.is_empty() {
            assert_eq!(p.window.len() as u64, (p.out - member).min(WINDOW as u64));
        }
        assert!(out <= text.len());
        assert!(p.bits <= 7);
        assert!(p.window.len() <= WINDOW);
        if p.window.is_empty() {
            assert_eq!(p.bits, 0);
            assert_eq!(&data[p.input as usize..][..2], &MAGIC);
        } else {
            assert_eq!(&text[out - p.window.len()..out], &p.window[..]);
        }
        let rest = resume_all(data, p).unwrap();
        assert!(rest == text[out..], "resume from {p:?} differs");
    }
    points
}

#[test]
fn single_members_all_kinds() {
    let json = json_lines(3 << 20, 7);
    let mut any_bits = false;
    for level in [1, 6, 9] {
        let points = check_file(&gz(&json, level), 64 << 10);
        // zlib-rs at level 1 (deflate_quick) writes a few huge blocks: few boundaries.
        let min = if level == 1 { 1 } else { 15 };
        assert!(points.len() > min, "level {level}: {} points", points.len());
        any_bits |= points.iter().any(|p| p.bits != 0);
    }
    assert!(any_bits, "no access point with bits != 0");
    for text in [repetitive(5 << 20), random_bytes(1 << 20, 3), Vec::new()] {
        for level in [1, 6, 9] {
            let points = check_file(&gz(&text, level), 64 << 10);
            if text.is_empty() {
                assert_eq!(points.len(), 1);
            }
        }
    }
    check_file(&gz(&random_bytes(1 << 20, 4), 0), 64 << 10); // stored blocks
}

#[test]
fn system_gzip_files() {
    let json = json_lines(2 << 20, 11);
    let mut any_bits = false;
    for level in [1, 6, 9] {
        let Some(data) = system_gzip(&json, level) else {
            eprintln!("no usable gzip binary; skipped");
            return;
        };
        let points = check_file(&data, 64 << 10);
        any_bits |= points.iter().any(|p| p.bits != 0);
        check_file(&system_gzip(&repetitive(1 << 20), level).unwrap(), 64 << 10);
        check_file(
            &system_gzip(&random_bytes(300_000, 5), level).unwrap(),
            64 << 10,
        );
        check_file(&system_gzip(b"", level).unwrap(), 64 << 10);
    }
    assert!(any_bits);
}

#[test]
fn tiny_spans() {
    let data = gz(&json_lines(1 << 20, 2), 6);
    for span in [0, 1, 1000] {
        let points = check_file(&data, span);
        assert!(points.len() > 5);
    }
    let points = check_file(&data, u64::MAX);
    assert_eq!(points.len(), 1);
}

fn multi_member() -> (Vec<u8>, Vec<usize>) {
    let members = [
        gz(&random_bytes(10_000, 9), 6),
        gz(b"", 6),
        gz(&random_bytes(100_000, 2), 6),
        gz(&json_lines(600_000, 1), 6),
        gz(&repetitive(100_000), 1),
        gz(&json_lines(20_000, 5), 9),
    ];
    let mut data = Vec::new();
    let mut starts = Vec::new();
    for m in &members {
        starts.push(data.len());
        data.extend_from_slice(m);
    }
    (data, starts)
}

#[test]
fn multi_member_files() {
    let (data, starts) = multi_member();
    let mut short_window = false;
    for span in [8 << 10, 20 << 10, 64 << 10] {
        let points = check_file(&data, span);
        let member_starts: Vec<_> = points[1..].iter().filter(|p| p.window.is_empty()).collect();
        assert!(
            !member_starts.is_empty(),
            "span {span}: no member-start point"
        );
        for p in &member_starts {
            assert!(starts.contains(&(p.input as usize)));
        }
        let mids = points.iter().filter(|p| !p.window.is_empty()).count();
        assert!(mids > 3);
        // A short window: a point near the start of a member.
        short_window |= points
            .iter()
            .any(|p| !p.window.is_empty() && p.window.len() < WINDOW);
    }
    assert!(short_window);
    // With span 8 KiB the first member (10 000 bytes, one block) is followed by a point at
    // the empty member's header; resuming there crosses the empty member.
    let points = check_file(&data, 8 << 10);
    assert_eq!(points[1].input as usize, starts[1]);
    assert_eq!(points[1].out, 10_000);
}

#[test]
fn damaged_trailers() {
    let data = gz(&json_lines(500_000, 3), 6);
    let n = data.len();
    let mut bad_crc = data.clone();
    bad_crc[n - 6] ^= 0x40;
    let err = build(&bad_crc, 1 << 16, |_| Ok(())).unwrap_err();
    assert!(err.to_string().contains("CRC"), "{err}");
    assert!(reference(&bad_crc).is_err());
    let mut bad_len = data.clone();
    bad_len[n - 2] ^= 1;
    let err = build(&bad_len, 1 << 16, |_| Ok(())).unwrap_err();
    assert!(err.to_string().contains("length"), "{err}");

    // A member start point resumes in gzip mode and checks the CRC.
    let (multi, _) = multi_member();
    let points = build_all(&multi, 8 << 10).unwrap().1;
    let mut bad = multi.clone();
    let len = bad.len();
    bad[len - 7] ^= 0x10;
    for p in &points {
        let err = resume_all(&bad, p).unwrap_err();
        assert!(err.to_string().contains("CRC"), "{err}");
    }
}

#[test]
fn truncated_files() {
    let (data, _) = multi_member();
    let points = build_all(&data, 16 << 10).unwrap().1;
    for cut in [
        1,
        2,
        5,
        10,
        11,
        data.len() / 3,
        data.len() / 2,
        data.len() - 8,
        data.len() - 3,
        data.len() - 1,
    ] {
        let short = &data[..cut];
        assert!(reference(short).is_err());
        let err = build(short, 1 << 16, |_| Ok(())).unwrap_err();
        assert!(
            err.to_string().contains("truncated gzip"),
            "cut {cut}: {err}"
        );
        assert_eq!(err.kind(), ErrorKind::UnexpectedEof, "cut {cut}: {err}");
        for p in points.iter().filter(|p| p.input as usize + 2 < cut) {
            let mut r = Resume::new(short, p).unwrap();
            let err = r.read_to_end(&mut Vec::new()).unwrap_err();
            assert!(
                err.to_string().contains("truncated gzip"),
                "cut {cut}: {err}"
            );
            assert!(
                r.read(&mut [0; 100]).is_err(),
                "read after an error succeeded"
            );
        }
    }
    // Single member cut inside the trailer, resumed mid-member (the raw path).
    let data = gz(&json_lines(400_000, 8), 6);
    let points = build_all(&data, 16 << 10).unwrap().1;
    let mid = points.iter().rfind(|p| !p.window.is_empty()).unwrap();
    for cut in [data.len() - 1, data.len() - 5, data.len() - 8] {
        let err = resume_all(&data[..cut], mid).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnexpectedEof, "{err}");
    }
}

#[test]
fn flipped_bytes_never_panic() {
    let (data, starts) = multi_member();
    let points = build_all(&data, 16 << 10).unwrap().1;
    for i in (10..data.len()).step_by(997) {
        if starts.iter().any(|&s| (s + 4..s + 10).contains(&i)) {
            continue; // MTIME, XFL, OS: not checked by anyone
        }
        let mut bad = data.clone();
        bad[i] ^= 0x5a;
        let ours = build(&bad, 16 << 10, |_| Ok(()));
        assert!(ours.is_err(), "flip at {i} not detected");
        assert!(reference(&bad).is_err());
        for p in &points {
            // Damage inside the member a point resumes in may go unnoticed; never panic.
            let got = resume_all(&bad, p);
            let later = starts.iter().any(|&s| s > p.input as usize && s <= i);
            if later || (p.window.is_empty() && p.input as usize <= i) {
                assert!(got.is_err(), "flip at {i} missed from {p:?}");
            }
        }
    }
}

#[test]
fn not_gzip_and_trailing_bytes() {
    for junk in [
        &b""[..],
        b"\x1f",
        b"hello world",
        b"\x1f\x8b",
        b"\x1f\x8b\x09\0\0\0\0\0\0\0",
    ] {
        assert!(reference(junk).is_err());
        let err = build(junk, 1, |_| Ok(())).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("gzip"), "{msg}");
    }
    assert!(build(b"hello world", 1, |_| Ok(()))
        .unwrap_err()
        .to_string()
        .contains("not gzip"));
    // flate2's MultiGzDecoder rejects anything after a member that is not a member,
    // trailing zero bytes included; so do we, from build and from Resume.
    let data = gz(&json_lines(100_000, 4), 6);
    let points = build_all(&data, 8 << 10).unwrap().1;
    for tail in [
        &[0u8; 1][..],
        &[0; 7],
        &[0; 512],
        b"garbage!",
        b"\x1f",
        b"\x1f\x8bxx",
    ] {
        let mut bad = data.clone();
        bad.extend_from_slice(tail);
        assert!(reference(&bad).is_err(), "MultiGzDecoder accepted {tail:?}");
        let err = build(&bad, 8 << 10, |_| Ok(())).unwrap_err();
        assert!(err.to_string().contains("gzip"), "{err}");
        for p in &points {
            assert!(resume_all(&bad, p).is_err());
        }
    }
}

#[test]
fn sink_errors_propagate() {
    let data = gz(&json_lines(1 << 20, 4), 6);
    let mut calls = 0;
    let err = build(&data, 1 << 16, |_| {
        calls += 1;
        if calls == 2 {
            Err(io::Error::other("disk full"))
        } else {
            Ok(())
        }
    })
    .unwrap_err();
    assert_eq!(err.to_string(), "disk full");
}

#[test]
fn bogus_points() {
    let data = gz(&json_lines(300_000, 6), 6);
    let points = build_all(&data, 16 << 10).unwrap().1;
    let mid = points
        .iter()
        .find(|p| !p.window.is_empty())
        .unwrap()
        .clone();
    let bad = |f: fn(&mut AccessPoint)| {
        let mut p = mid.clone();
        f(&mut p);
        p
    };
    for p in [
        bad(|p| p.input = u64::MAX),
        bad(|p| p.bits = 8),
        bad(|p| p.window = vec![0; WINDOW + 1]),
        bad(|p| p.window.clear()),
        bad(|p| {
            p.input = 0;
            p.bits = 3
        }),
    ] {
        assert!(Resume::new(&data, &p).is_err(), "{p:?}");
    }
    // Consistent but wrong points: errors or wrong text, no panic.
    for i in 0..200u64 {
        let mut p = mid.clone();
        p.input = (p.input + i * 37) % data.len() as u64;
        p.bits = (i % 8) as u8;
        p.window.truncate(1 + (i as usize * 331) % WINDOW);
        if let Ok(mut r) = Resume::new(&data, &p) {
            let _ = r.read_to_end(&mut Vec::new());
        }
    }
}

#[test]
fn resume_is_send_and_reads_in_small_pieces() {
    fn send<T: Send>(_: &T) {}
    let (data, _) = multi_member();
    let (text, points) = build_all(&data, 16 << 10).unwrap();
    for p in points.iter().step_by(3) {
        let mut r = Resume::new(&data, p).unwrap();
        send(&r);
        let mut got = Vec::new();
        let mut buf = [0u8; 7];
        loop {
            match r.read(&mut buf).unwrap() {
                0 => break,
                n => got.extend_from_slice(&buf[..n]),
            }
        }
        assert!(got == text[p.out as usize..]);
        assert_eq!(r.read(&mut buf).unwrap(), 0);
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
    #[test]
    fn random_members(
        sizes in proptest::collection::vec(0usize..150_000, 1..4),
        seed in 1u64..1000,
        span in 1u64..70_000,
        level in 0u32..10,
    ) {
        let mut data = Vec::new();
        for (i, size) in sizes.iter().enumerate() {
            let mut text = match (seed + i as u64) % 3 {
                0 => json_lines(*size, seed + i as u64),
                1 => repetitive(*size),
                _ => random_bytes(*size, seed),
            };
            text.truncate(*size);
            data.extend_from_slice(&gz(&text, level));
        }
        check_file(&data, span);
    }
}
