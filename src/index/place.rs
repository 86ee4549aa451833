//! Where a file's sidecar lives, and whether it still describes the file.
//!
//! Owns the cache folder (`--index-dir`, else `$LOGQ_CACHE_DIR`, else
//! `$XDG_CACHE_HOME/logq`, else `~/.cache/logq`), the sidecar's name (the
//! file's device and inode, so read-only log folders work and a rotated
//! file keeps its index), a file's [`Identity`] and the [`Freshness`] of a
//! sidecar against the file as it is now.
//!
//! Invariant: a sidecar is trusted only while its file has the same device,
//! inode, size, modification time and first and last [`EDGE`] bytes, and
//! was built under the same reading settings; or, for a plain file, when
//! the file only grew and its old bytes at both ends are unchanged.

use super::sidecar::{Identity, Sidecar};
use std::fs::File;
use std::io;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};

/// How many bytes at each end of a file its identity hashes.
pub const EDGE: u64 = 64 << 10;

/// The cache folder: `dir` if given, else from the environment; `None`
/// when no home is known.
pub fn cache_dir(dir: Option<&Path>) -> Option<PathBuf> {
    if let Some(d) = dir {
        return Some(d.to_path_buf());
    }
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(d) = var("LOGQ_CACHE_DIR") {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = var("XDG_CACHE_HOME") {
        return Some(PathBuf::from(d).join("logq"));
    }
    var("HOME").map(|h| PathBuf::from(h).join(".cache").join("logq"))
}

/// The sidecar of the file with this metadata, in `dir`.
pub fn sidecar_path(dir: &Path, meta: &std::fs::Metadata) -> PathBuf {
    dir.join(format!("{:x}-{:x}.lqi", meta.dev(), meta.ino()))
}

/// A regular file's metadata (`None` for anything else: a FIFO must never
/// be opened to look for an index).
pub fn regular(path: &Path) -> Option<std::fs::Metadata> {
    std::fs::metadata(path).ok().filter(|m| m.is_file())
}

fn mtime(meta: &std::fs::Metadata) -> i128 {
    i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec())
}

/// The identity of `file` as its first `size` bytes.
pub fn identity(file: &File, meta: &std::fs::Metadata, size: u64) -> io::Result<Identity> {
    Ok(Identity {
        dev: meta.dev(),
        ino: meta.ino(),
        size,
        mtime: mtime(meta),
        head: edge_hash(file, 0, size.min(EDGE))?,
        tail: edge_hash(file, size.saturating_sub(EDGE), size)?,
    })
}

fn edge_hash(file: &File, start: u64, end: u64) -> io::Result<u64> {
    let mut buf = vec![0; (end - start) as usize];
    file.read_exact_at(&mut buf, start)?;
    Ok(super::bloom::hash(&buf))
}

/// How a sidecar stands against its file now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Freshness {
    /// The file is as it was indexed.
    Fresh,
    /// A plain file that was only appended to: the index holds up to its
    /// old size.
    Appended,
    /// Not to be trusted, and why.
    Stale(&'static str),
}

/// Whether `sidecar` describes `file` (with metadata `meta`) now, built
/// under the reading settings `settings`.
pub fn freshness(
    sidecar: &Sidecar,
    file: &File,
    meta: &std::fs::Metadata,
    settings: u64,
) -> Freshness {
    let old = &sidecar.identity;
    if old.dev != meta.dev() || old.ino != meta.ino() {
        return Freshness::Stale("another file");
    }
    if sidecar.settings != settings {
        return Freshness::Stale("built with other --field-map, --input-tz or input limits");
    }
    let grew = meta.len() > old.size && sidecar.codec == super::sidecar::Codec::Plain;
    if meta.len() != old.size && !grew {
        return Freshness::Stale("the file changed size");
    }
    if !grew && mtime(meta) != old.mtime {
        return Freshness::Stale("the file was modified");
    }
    match identity(file, meta, old.size) {
        Ok(now) if now.head == old.head && now.tail == old.tail => {
            if grew {
                Freshness::Appended
            } else {
                Freshness::Fresh
            }
        }
        Ok(_) => Freshness::Stale("the file was rewritten"),
        Err(_) => Freshness::Stale("the file could not be read"),
    }
}

/// A fingerprint of the settings that decide what an index holds: the
/// roles (`--field-map`, `--input-tz`), the input limits, and the local
/// zone a zone-less time may be read in.
pub fn fingerprint(roles: &crate::record::RoleMap, binary: bool, max_line: usize) -> u64 {
    let tz = std::env::var("TZ").unwrap_or_default();
    let local = std::fs::read("/etc/localtime").unwrap_or_default();
    let text = format!(
        "{roles:?}|{binary}|{max_line}|{tz}|{:x}",
        super::bloom::hash(&local)
    );
    super::bloom::hash(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn the_cache_folder_comes_from_the_flag_first() {
        assert_eq!(cache_dir(Some(Path::new("/x"))), Some(PathBuf::from("/x")));
    }

    #[test]
    fn a_sidecar_is_fresh_until_its_file_changes() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(b"{\"a\":1}\n").unwrap();
        let meta = f.as_file().metadata().unwrap();
        let sidecar = Sidecar {
            identity: identity(f.as_file(), &meta, meta.len()).unwrap(),
            settings: 7,
            ..Sidecar::default()
        };
        let check = |f: &tempfile::NamedTempFile, settings| {
            let meta = f.as_file().metadata().unwrap();
            freshness(&sidecar, f.as_file(), &meta, settings)
        };
        assert_eq!(check(&f, 7), Freshness::Fresh);
        assert!(matches!(check(&f, 8), Freshness::Stale(_)));
        f.write_all(b"{\"a\":2}\n").unwrap();
        assert_eq!(check(&f, 7), Freshness::Appended);
        f.as_file().set_len(4).unwrap();
        assert!(matches!(check(&f, 7), Freshness::Stale(_)));
    }
}
