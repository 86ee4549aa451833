//! Hostile inputs (issue 13, the input side): devices, FIFOs, binary
//! files, byte-order marks, newline bombs, over-long lines, `tail -f` on a
//! churning folder. Each case runs the real binary with a deadline (not a
//! speed claim: a hang fails instead of blocking the suite) and, where
//! memory is the point, under an address-space limit (`RLIMIT_AS`).

use crate::util::*;
use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// Generous: a hang, not slowness, is what fails.
const DEADLINE: Duration = Duration::from_secs(60);

/// Address space allowed where memory is the point: well under what holding
/// the input whole would take (glibc's per-thread arenas reserve address
/// space, hence `MALLOC_ARENA_MAX`).
const LIMIT: u64 = 320 << 20;

const A: &str = r#"{"timestamp":"2024-01-15T10:00:00Z","level":"info","message":"one"}"#;
const B: &str = r#"{"timestamp":"2024-01-15T10:00:01Z","level":"warn","message":"two"}"#;

fn ab() -> String {
    format!("{A}\n{B}\n")
}

/// Runs `cmd` to its end, feeding `input` on stdin when given, under
/// `limit` bytes of address space when given; panics past [`DEADLINE`].
fn run(mut cmd: Command, input: Option<Vec<u8>>, limit: Option<u64>) -> Output {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.stdin(if input.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    if let Some(bytes) = limit {
        cmd.env("MALLOC_ARENA_MAX", "2");
        // SAFETY: setrlimit is async-signal-safe and touches only the child.
        unsafe {
            cmd.pre_exec(move || {
                let lim = libc::rlimit {
                    rlim_cur: bytes,
                    rlim_max: bytes,
                };
                if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    let mut child = cmd.spawn().expect("spawn logq");
    if let Some(data) = input {
        let mut stdin = child.stdin.take().unwrap();
        std::thread::spawn(move || {
            let _ = stdin.write_all(&data);
        });
    }
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("logq did not end within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out_t.join().unwrap(),
        stderr: err_t.join().unwrap(),
    }
}

fn search(args: &[&str]) -> Command {
    let mut cmd = logq_std();
    cmd.args(["-o", "raw"]).args(args);
    cmd
}

/// Makes a file look finished (not modified for an hour), so it is mapped.
fn age(path: &str) {
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid C string.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// Writes `data` into the FIFO at `path` from another thread, as `<(cmd)`.
fn feed_fifo(path: &Path, data: Vec<u8>) -> std::thread::JoinHandle<()> {
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        let mut f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        let _ = f.write_all(&data);
    })
}

// Item 3: a non-regular input named is opened once.

#[test]
fn fifo_named_is_read_once_from_its_first_byte() {
    let dir = tempdir();
    let fifo = dir.path().join("in.jsonl");
    mkfifo(&fifo);
    let writer = feed_fifo(&fifo, ab().into_bytes());
    let out = run(search(&[fifo.to_str().unwrap()]), None, None);
    writer.join().unwrap();
    check(&out, &ab(), "", 0);
}

#[test]
fn dev_stdin_named_is_read_once_from_its_first_byte() {
    let out = run(search(&["/dev/stdin"]), Some(ab().into_bytes()), None);
    check(&out, &ab(), "", 0);
}

#[test]
fn gzip_through_a_fifo_is_decompressed() {
    // What `logq <(gzip -c f)` gives logq.
    let dir = tempdir();
    let fifo = dir.path().join("sub");
    mkfifo(&fifo);
    let writer = feed_fifo(&fifo, gzip(ab().as_bytes()));
    let out = run(search(&[fifo.to_str().unwrap()]), None, None);
    writer.join().unwrap();
    check(&out, &ab(), "", 0);
    let piped = run(search(&["/dev/stdin"]), Some(gzip(ab().as_bytes())), None);
    check(&piped, &ab(), "", 0);
}

// Item 4: a byte-order mark.

#[test]
fn utf8_bom_does_not_make_the_first_record_unparsed() {
    let dir = tempdir();
    let with_bom = [b"\xef\xbb\xbf".as_slice(), ab().as_bytes()].concat();
    let fresh = write(dir.path(), "fresh.jsonl", &with_bom);
    let old = write(dir.path(), "old.jsonl", &with_bom);
    age(&old);
    let gz = write(dir.path(), "c.jsonl.gz", &gzip(&with_bom));
    for (args, stdin) in [
        (vec![fresh.as_str()], None),
        (vec![old.as_str()], None),
        (vec![old.as_str(), "--no-fast-paths"], None),
        (vec![gz.as_str()], None),
        (vec![], Some(with_bom.clone())),
        (vec!["-"], Some(gzip(&with_bom))),
    ] {
        let out = run(search(&args), stdin, None);
        check(&out, &ab(), "", 0);
    }
}

// Items 6 and 7: devices, FIFOs and binary files.

#[test]
fn walk_skips_a_link_to_dev_zero_and_a_fifo() {
    let dir = tempdir();
    let f = write(dir.path(), "a.jsonl", ab().as_bytes());
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("z.jsonl")).unwrap();
    mkfifo(&dir.path().join("x.jsonl"));
    let d = dir.path().to_str().unwrap();
    let out = run(search(&[d]), None, Some(LIMIT));
    check(&out, &ab(), "", 0);
    let mut stats = logq_std();
    stats.args(["stats", d, "--json"]);
    let out = run(stats, None, Some(LIMIT));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // A link to a regular file is followed as before.
    std::os::unix::fs::symlink(&f, dir.path().join("link.jsonl")).unwrap();
    let out = run(search(&[d]), None, Some(LIMIT));
    check(&out, &format!("{A}\n{A}\n{B}\n{B}\n"), "", 0);
}

#[test]
fn dev_zero_and_urandom_named_end_promptly_as_binary() {
    let out = run(search(&["/dev/zero"]), None, Some(LIMIT));
    check(
        &out,
        "",
        "logq: /dev/zero: binary file (NUL byte at offset 0), skipped; -a to search it\n",
        1,
    );
    let out = run(search(&["/dev/urandom"]), None, Some(LIMIT));
    let err = stderr(&out);
    assert!(
        err.starts_with("logq: /dev/urandom: binary file (NUL byte at offset ")
            && err.ends_with("), skipped; -a to search it\n"),
        "{err}"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn file_with_a_nul_byte_is_skipped_as_binary_unless_binary_flag() {
    let dir = tempdir();
    let mut data = ab().into_bytes();
    let nul_at = data.len() + 3;
    data.extend(b"abc\0def\n");
    data.extend(format!("{B}\n").as_bytes());
    let fresh = write(dir.path(), "fresh.jsonl", &data);
    let gz = write(dir.path(), "c.jsonl.gz", &gzip(&data));
    for f in [&fresh, &gz] {
        let out = run(search(&[f]), None, None);
        let want = format!(
            "logq: {f}: binary file (NUL byte at offset {nul_at}), skipped; -a to search it\n"
        );
        check(&out, "", &want, 1);
        let out = run(search(&[f, "-a"]), None, None);
        assert_eq!(stdout(&out), format!("{A}\n{B}\n{B}\n"));
        assert_eq!(out.status.code(), Some(0));
    }
    let out = run(search(&["-"]), Some(data.clone()), None);
    assert!(stderr(&out).contains("<stdin>: binary file (NUL byte at offset"));
}

#[test]
fn mapped_file_with_a_nul_far_from_its_start_is_skipped_as_binary() {
    // Past the first block checked when it is opened: found by the chunk
    // check as it is scanned.
    let dir = tempdir();
    let mut data = ab().repeat(20_000).into_bytes();
    let nul_at = data.len();
    data.extend(b"\0\n");
    let f = write(dir.path(), "old.jsonl", &data);
    age(&f);
    let out = run(search(&[&f, "--count"]), None, None);
    let err = stderr(&out);
    assert!(
        err.contains(&format!("binary file (NUL byte at offset {nul_at})")),
        "{err}"
    );
}

#[test]
fn tail_follow_of_a_folder_with_a_fifo_prints_and_ends_on_ctrl_c() {
    let dir = tempdir();
    let f = write(dir.path(), "a.jsonl", format!("{A}\n").as_bytes());
    mkfifo(&dir.path().join("x.jsonl"));
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("z.jsonl")).unwrap();
    let mut child = logq_std()
        .args(["tail", "-f", "-o", "raw", dir.path().to_str().unwrap()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = out.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut got = Vec::new();
    let wait_for = |got: &mut Vec<u8>, want: &str| {
        let start = Instant::now();
        while !String::from_utf8_lossy(got).contains(want) {
            assert!(start.elapsed() < DEADLINE, "waiting for {want}: {got:?}");
            if let Ok(bytes) = rx.recv_timeout(Duration::from_millis(100)) {
                got.extend(bytes);
            }
        }
    };
    wait_for(&mut got, A);
    // A FIFO created while following is not opened either.
    mkfifo(&dir.path().join("y.jsonl"));
    std::fs::OpenOptions::new()
        .append(true)
        .open(&f)
        .unwrap()
        .write_all(format!("{B}\n").as_bytes())
        .unwrap();
    wait_for(&mut got, B);
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(start.elapsed() < DEADLINE, "Ctrl-C did not end tail -f");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
}

// Item 8: newline bombs.

/// `n` newlines, compressed as `format`.
fn newline_bomb(format: &str, n: usize) -> Vec<u8> {
    let data = vec![b'\n'; n];
    match format {
        "gz" => gzip(&data),
        "zst" => zstd::encode_all(&data[..], 3).unwrap(),
        "bz2" => {
            let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::best());
            e.write_all(&data).unwrap();
            e.finish().unwrap()
        }
        _ => {
            let mut e = liblzma::write::XzEncoder::new(Vec::new(), 6);
            e.write_all(&data).unwrap();
            e.finish().unwrap()
        }
    }
}

/// The address space a bomb is searched in (two threads): less than the
/// bomb, so holding it whole cannot fit.
const BOMB_LIMIT: u64 = 64 << 20;

#[test]
fn newline_bomb_is_counted_not_held() {
    // 64 MiB of newlines (a debug build decompresses slowly; the issue's
    // 1 GB bomb behaves the same).
    const BIG: usize = 64 << 20;
    let dir = tempdir();
    let bomb = newline_bomb("zst", BIG);
    let f = write(dir.path(), "bomb.jsonl.zst", &bomb);
    let out = run(search(&[&f, "--count", "-j", "2"]), None, Some(BOMB_LIMIT));
    check(&out, "0\n", "", 1);
    let out = run(
        search(&["--count", "-j", "2"]),
        Some(bomb),
        Some(BOMB_LIMIT),
    );
    check(&out, "0\n", "", 1);
    for format in ["gz", "bz2", "xz"] {
        let name = format!("bomb.jsonl.{format}");
        let f = write(dir.path(), &name, &newline_bomb(format, 8 << 20));
        let out = run(search(&[&f, "--count", "-j", "2"]), None, Some(BOMB_LIMIT));
        check(&out, "0\n", "", 1);
    }
}

#[test]
fn blank_lines_after_a_text_record_are_not_held_as_its_traceback() {
    let mut data = b"2024-01-15 10:00:00,000 - m - ERROR - boom\n".to_vec();
    data.extend(vec![b'\n'; 64 << 20]);
    data.extend(format!("{B}\n").as_bytes());
    let args = ["-l", "=warn", "--count", "-j", "2"];
    let out = run(search(&args), Some(data), Some(BOMB_LIMIT));
    check(&out, "1\n", "", 0);
}

// Item 11: lines over --max-line-bytes.

fn with_long_line(len: usize) -> Vec<u8> {
    let mut data = format!("{A}\n").into_bytes();
    data.extend(b"{\"message\":\"");
    data.extend(vec![b'x'; len]);
    data.extend(b"\"}\n");
    data.extend(format!("{B}\n").as_bytes());
    data
}

#[test]
fn line_over_max_line_bytes_is_skipped_with_file_and_line() {
    let dir = tempdir();
    let data = with_long_line(100_000);
    let fresh = write(dir.path(), "fresh.jsonl", &data);
    let old = write(dir.path(), "old.jsonl", &data);
    age(&old);
    let gz = write(dir.path(), "c.jsonl.gz", &gzip(&data));
    let warn = |name: &str| {
        format!("logq: warning: {name}:2: line longer than --max-line-bytes (64K), skipped\n")
    };
    for f in [&fresh, &old, &gz] {
        let out = run(search(&[f, "--max-line-bytes", "64K"]), None, None);
        check(&out, &format!("{A}\n{B}\n"), &warn(f), 0);
        // Line numbers after the skipped line stay right.
        let out = run(
            search(&[
                f,
                "--max-line-bytes",
                "64K",
                "-o",
                "pretty",
                "--color",
                "never",
            ]),
            None,
            None,
        );
        assert_eq!(out.status.code(), Some(0));
        let out = run(search(&[f]), None, None);
        assert_eq!(stdout(&out).lines().count(), 3, "{f}");
    }
    let out = run(search(&["--max-line-bytes", "64K"]), Some(data), None);
    check(&out, &format!("{A}\n{B}\n"), &warn("<stdin>"), 0);
}

#[test]
fn huge_line_costs_bounded_memory() {
    // 400 MB in one line, under 320 MB of address space.
    let data = with_long_line(400 << 20);
    let out = run(
        search(&["--max-line-bytes", "16M"]),
        Some(data),
        Some(LIMIT),
    );
    check(
        &out,
        &format!("{A}\n{B}\n"),
        "logq: warning: <stdin>:2: line longer than --max-line-bytes (16M), skipped\n",
        0,
    );
}

#[test]
fn max_line_bytes_rejects_what_is_not_a_size() {
    let out = run(
        search(&["--max-line-bytes", "12X", "tests/fixtures/logs"]),
        None,
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("'12X' is not a size"),
        "{}",
        stderr(&out)
    );
}

// Item 9: tail -f on a churning folder.

fn status_field(pid: u32, field: &str) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    s.lines()
        .find_map(|l| {
            l.strip_prefix(field)?
                .trim()
                .strip_suffix("kB")?
                .trim()
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

fn open_files(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |d| d.count())
}

fn cpu_ticks(pid: u32) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = s.rsplit(')').next().unwrap_or_default();
    let f: Vec<&str> = after.split_whitespace().collect();
    // utime and stime are fields 14 and 15 (1-based, counting pid and comm).
    f.get(11).and_then(|u| u.parse::<u64>().ok()).unwrap_or(0)
        + f.get(12).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0)
}

/// `logq tail -f -o raw DIR`, once it has printed the record already in
/// `DIR` (so it follows the folder), and the number of lines it printed so
/// far, counted on a thread that reads its stdout to the end.
fn follow_counting(dir: &Path) -> (std::process::Child, Arc<AtomicUsize>) {
    let mut child = logq_std()
        .args(["tail", "-f", "-o", "raw", dir.to_str().unwrap()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let printed = Arc::new(AtomicUsize::new(0));
    let count = printed.clone();
    let out = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(out).lines() {
            if line.is_err() {
                break;
            }
            count.fetch_add(1, Ordering::SeqCst);
        }
    });
    wait_until("the first record", || printed.load(Ordering::SeqCst) >= 1);
    (child, printed)
}

#[test]
fn tail_follow_forgets_deleted_files_and_stays_idle() {
    let dir = tempdir();
    write(dir.path(), "base.jsonl", format!("{A}\n").as_bytes());
    let (mut child, printed) = follow_counting(dir.path());
    let pid = child.id();
    let pad = "x".repeat(4000);
    let mut peak_fds = 0;
    let mut samples = Vec::new();
    for round in 0..60 {
        for k in 0..20 {
            let i = round * 20 + k;
            write(
                dir.path(),
                &format!("f{i}.jsonl"),
                format!("{{\"level\":\"info\",\"message\":\"{i}\",\"pad\":\"{pad}\"}}\n")
                    .as_bytes(),
            );
            if i >= 40 {
                let _ = std::fs::remove_file(dir.path().join(format!("f{}.jsonl", i - 40)));
            }
        }
        // A file is deleted two rounds after it is made: every second round
        // waits for logq to print the records so far, so that however slow
        // the machine, it has read each file before it goes (and is at
        // most 40 files behind).
        if round % 2 == 1 {
            let want = 1 + (round + 1) * 20;
            wait_until(&format!("{want} records"), || {
                printed.load(Ordering::SeqCst) >= want
            });
        }
        peak_fds = peak_fds.max(open_files(pid));
        if round % 10 == 9 {
            samples.push(status_field(pid, "VmRSS:"));
        }
    }
    std::thread::sleep(Duration::from_secs(1));
    // 1,200 files made, 40 at a time in the folder: what is held is what is
    // there, not what ever was.
    assert!(peak_fds < 200, "open files: {peak_fds}");
    let rss = status_field(pid, "VmRSS:");
    assert!(rss < 200_000, "VmRSS {rss} kB; samples {samples:?}");
    // Idle: nothing changes, nearly no CPU (a busy loop would take ~200 ticks).
    let before = cpu_ticks(pid);
    std::thread::sleep(Duration::from_secs(2));
    let used = cpu_ticks(pid) - before;
    assert!(used < 60, "{used} ticks of CPU in 2 s of idleness");
    // SAFETY: signalling our own child.
    unsafe { libc::kill(pid as i32, libc::SIGINT) };
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "Ctrl-C ignored");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn tail_follow_skips_a_line_over_max_line_bytes() {
    let dir = tempdir();
    let f = write(dir.path(), "a.jsonl", format!("{A}\n").as_bytes());
    let mut child = logq_std()
        .args(["tail", "-f", "-o", "raw", "--max-line-bytes", "64K", &f])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    for mut pipe in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
    }
    let mut got = Vec::new();
    let mut wait_for = |want: &str| {
        let start = Instant::now();
        while !String::from_utf8_lossy(&got).contains(want) {
            assert!(start.elapsed() < DEADLINE, "waiting for {want}");
            if let Ok(bytes) = rx.recv_timeout(Duration::from_millis(100)) {
                got.extend(bytes);
            }
        }
    };
    wait_for(A);
    let mut file = std::fs::OpenOptions::new().append(true).open(&f).unwrap();
    // Written in pieces, as a logger flushing a huge record would.
    file.write_all(b"{\"message\":\"").unwrap();
    for _ in 0..10 {
        file.write_all(&[b'x'; 50_000]).unwrap();
        std::thread::sleep(Duration::from_millis(20));
    }
    file.write_all(format!("\"}}\n{B}\n").as_bytes()).unwrap();
    wait_for(B);
    // Lines are not counted in tail -f but for -o json: the file is named.
    wait_for(&format!(
        "logq: warning: {f}: a line longer than --max-line-bytes (64K) was skipped"
    ));
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn tail_follow_closes_files_renamed_away_under_churn() {
    let dir = tempdir();
    write(dir.path(), "app.jsonl", format!("{A}\n").as_bytes());
    let (mut child, printed) = follow_counting(dir.path());
    let pid = child.id();
    let old = dir.path().join("old");
    std::fs::create_dir(&old).unwrap();
    // Each file is written, followed, then renamed out of the folder (kept:
    // a rotated file is read a while longer in case its writer goes on).
    for i in 0..400 {
        let name = format!("f{i}.jsonl");
        write(dir.path(), &name, format!("{B}\n").as_bytes());
        if i % 20 == 19 {
            // Followed (printed) before they are renamed away.
            wait_until(&format!("{} records", i + 2), || {
                printed.load(Ordering::SeqCst) > i + 1
            });
            for j in i - 19..=i {
                let n = format!("f{j}.jsonl");
                let _ = std::fs::rename(dir.path().join(&n), old.join(&n));
            }
        }
    }
    // Renamed-away files are closed once idle: wait for it, however long a
    // loaded machine takes (a fixed wait here failed under load).
    wait_until("renamed-away files closed", || open_files(pid) < 150);
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn utf8_bom_does_not_make_the_first_record_unparsed_in_tail() {
    let dir = tempdir();
    let with_bom = [b"\xef\xbb\xbf".as_slice(), ab().as_bytes()].concat();
    let f = write(dir.path(), "a.jsonl", &with_bom);
    let mut cmd = logq_std();
    cmd.args(["tail", "-n", "5", "-o", "raw", &f]);
    check(&run(cmd, None, None), &ab(), "", 0);
    let gz = write(dir.path(), "b.jsonl.gz", &gzip(&with_bom));
    let mut cmd = logq_std();
    cmd.args(["tail", "-n", "5", "-o", "raw", &gz]);
    check(&run(cmd, None, None), &ab(), "", 0);
}

/// `tail -n` reads a file backwards: a line over `--max-line-bytes` there
/// is skipped with a warning, never held whole (issue 13, item 11).
#[test]
fn tail_backwards_skips_a_line_over_max_line_bytes() {
    let dir = tempdir();
    let mut data = format!("{A}\n").into_bytes();
    data.extend_from_slice(b"{\"message\":\"");
    data.extend(std::iter::repeat_n(b'x', 3 << 20));
    data.extend_from_slice(b"\"}\n");
    data.extend_from_slice(format!("{B}\n").as_bytes());
    let f = write(dir.path(), "a.jsonl", &data);
    let mut cmd = logq_std();
    cmd.args(["tail", "-n", "5", "-o", "raw", "--max-line-bytes", "1M", &f]);
    let out = run(cmd, None, Some(256 << 20));
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{A}\n{B}\n"));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("logq: warning: {f}: a line longer than --max-line-bytes (1M) was skipped\n")
    );
    assert_eq!(out.status.code(), Some(0));
}
