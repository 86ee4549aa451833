//! `logq index`: build sidecar indexes, or show how fresh they are; and
//! `--auto-index`, which builds them before a query.
//!
//! Owns choosing which files to (re)build (no fresh sidecar, or one of
//! other `--index-field`s, or `--force`), building them in parallel, and
//! the `--status` table. The index itself is `index`'s.

use super::{Out, Stdout};
use crate::cli::{FilterArgs, IndexArgs, OutputArgs};
use crate::index::build::{build, BuildConfig, Built, BLOCK};
use crate::index::place::{self, Freshness};
use crate::index::sidecar::Sidecar;
use crate::index::{find, Found};
use crate::progress::size;
use crate::record::split_path;
use crate::report::{self, ExitStatus};
use crate::settings::{self, Settings};
use crate::source::guard;
use anyhow::{anyhow, Result};
use rayon::prelude::*;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// Runs `logq index`.
pub fn run(args: &IndexArgs, to: &mut Stdout) -> Result<ExitStatus> {
    let s = settings::resolve(
        &FilterArgs::default(),
        &args.input(),
        &OutputArgs::default(),
        Vec::new(),
        false,
    )?;
    s.refuse_empty()?;
    let dir = place::cache_dir(args.index_dir.as_deref())
        .ok_or_else(|| anyhow!("no folder for indexes: set LOGQ_CACHE_DIR or give --index-dir"))?;
    let fields: Vec<Vec<String>> = args.index_field.iter().map(|f| split_path(f)).collect();
    if let Some(bad) = args.index_field.iter().find(|f| f.trim().is_empty()) {
        return Err(anyhow!("--index-field '{bad}' names no field"));
    }
    let fingerprint = place::fingerprint(&s.roles, args.binary, guard::limits().max_line);
    let mut files = Vec::new();
    for input in &s.inputs {
        match &input.path {
            Some(p) => files.push(p.as_path()),
            None => report::error("<stdin>: standard input cannot be indexed; give files"),
        }
    }
    let mut out = Out::paged(to, None, false);
    if args.status {
        for p in &files {
            writeln!(out.w(), "{}", status_line(p, &dir, fingerprint))?;
        }
        out.finish()?;
        return Ok(ExitStatus::from_found(true));
    }
    let cfg = BuildConfig {
        roles: &s.roles,
        fields: &fields,
        limits: guard::limits(),
        settings: fingerprint,
        dir: &dir,
        block: args.block_size.unwrap_or(BLOCK),
    };
    let results: Vec<(&Path, Result<Option<Built>, String>)> = files
        .par_iter()
        .map(|p| {
            let fresh = !args.force && is_fresh(p, &dir, fingerprint, &fields);
            (
                *p,
                if fresh {
                    Ok(None)
                } else {
                    build(p, &cfg).map(Some)
                },
            )
        })
        .collect();
    if args.prune {
        let live = files
            .iter()
            .filter_map(|p| place::regular(p))
            .map(|m| (m.dev(), m.ino()))
            .collect();
        let (pruned, failed) = prune(&dir, &args.input().paths, &live);
        for e in failed {
            report::error(e);
        }
        writeln!(
            out.w(),
            "pruned {pruned} index{} of files that are gone",
            if pruned == 1 { "" } else { "es" }
        )?;
    }
    for (p, r) in results {
        let name = p.display();
        match r {
            Ok(Some(b)) => writeln!(
                out.w(),
                "indexed {name}: {} block{}, {} of text, index {}",
                b.blocks,
                if b.blocks == 1 { "" } else { "s" },
                size(b.text),
                size(b.bytes)
            )?,
            Ok(None) => writeln!(out.w(), "fresh   {name}")?,
            Err(e) => report::error(format!("{name}: not indexed: {e}")),
        }
    }
    out.finish()?;
    Ok(ExitStatus::from_found(true))
}

/// Deletes the sidecars in `dir` of files under `roots` (`$LOGQ_DIR`, else
/// `./logs`, when none is given) that are gone: not among the files just
/// indexed (`live`, by device and inode: a rotated file keeps its index),
/// and no longer at the path indexed (deleted, or replaced by another
/// file). Also deletes the temporary files of runs interrupted over an
/// hour ago. Returns how many sidecars went, and the errors.
fn prune(
    dir: &Path,
    roots: &[std::path::PathBuf],
    live: &std::collections::HashSet<(u64, u64)>,
) -> (usize, Vec<String>) {
    use std::os::unix::ffi::OsStrExt;
    let roots: Vec<std::path::PathBuf> = if roots.is_empty() {
        let dir = std::env::var_os("LOGQ_DIR").filter(|d| !d.is_empty());
        vec![dir.map_or_else(|| "logs".into(), std::path::PathBuf::from)]
    } else {
        roots.to_vec()
    };
    let roots: Vec<std::path::PathBuf> = roots
        .iter()
        .filter_map(|r| std::fs::canonicalize(r).ok())
        .collect();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (0, Vec::new());
    };
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let (mut pruned, mut failed) = (0, Vec::new());
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.as_bytes();
        let path = entry.path();
        let gone = if name.starts_with(b".") && name.ends_with(b".tmp") {
            entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t < hour_ago)
        } else if name.ends_with(b".lqi") {
            let Some(sidecar) = std::fs::read(&path)
                .ok()
                .and_then(|b| Sidecar::decode(&b).ok())
            else {
                continue;
            };
            let file = std::path::Path::new(std::ffi::OsStr::from_bytes(&sidecar.path));
            let id = sidecar.identity;
            roots.iter().any(|r| file.starts_with(r))
                && !live.contains(&(id.dev, id.ino))
                && !std::fs::metadata(file).is_ok_and(|m| m.dev() == id.dev && m.ino() == id.ino)
        } else {
            false
        };
        if gone {
            match std::fs::remove_file(&path) {
                Ok(()) => pruned += usize::from(name.ends_with(b".lqi")),
                Err(e) => failed.push(format!("cannot delete {}: {e}", path.display())),
            }
        }
    }
    (pruned, failed)
}

/// Whether `path` has a fresh sidecar in `dir` holding `fields`.
fn is_fresh(path: &Path, dir: &Path, fingerprint: u64, fields: &[Vec<String>]) -> bool {
    matches!(find(dir, path, fingerprint), Found::Sidecar(s, Freshness::Fresh, _)
        if s.fields == fields)
}

fn status_line(path: &Path, dir: &Path, fingerprint: u64) -> String {
    let name = path.display();
    match find(dir, path, fingerprint) {
        Found::None => format!("none      {name}"),
        Found::Damaged(e) => format!("damaged   {name}: {e}"),
        Found::Sidecar(s, freshness, bytes) => {
            let text = s.blocks.last().map_or(0, |b| b.end);
            let what = format!(
                "{} block{}, {} of text, index {}",
                s.blocks.len(),
                if s.blocks.len() == 1 { "" } else { "s" },
                size(text),
                size(bytes)
            );
            match freshness {
                Freshness::Fresh => format!("fresh     {name}: {what}"),
                Freshness::Appended => format!("appended  {name}: {what}; the rest is read whole"),
                Freshness::Stale(why) => format!("stale     {name}: {why}"),
            }
        }
    }
}

/// `--auto-index`: indexes the finished files among the inputs that have no
/// fresh sidecar, keeping the fields of an existing one. Files still being
/// written are left to be read as they are. Failures are warnings: the
/// query reads those files whole.
pub fn auto(s: &Settings) {
    let Some((dir, fingerprint)) = &s.auto_index else {
        return;
    };
    let now = std::time::SystemTime::now();
    let wanted: Vec<(PathBuf, Vec<Vec<String>>)> = s
        .inputs
        .iter()
        .filter_map(|i| i.path.clone())
        .filter(|p| place::regular(p).is_some_and(|m| crate::source::open::is_finished(&m, now)))
        .filter_map(|p| match find(dir, &p, *fingerprint) {
            Found::Sidecar(_, Freshness::Fresh, _) => None,
            Found::Sidecar(old, _, _) => Some((p, old.fields)),
            _ => Some((p, Vec::new())),
        })
        .collect();
    wanted.par_iter().for_each(|(p, fields)| {
        let cfg = BuildConfig {
            roles: &s.roles,
            fields,
            limits: guard::limits(),
            settings: *fingerprint,
            dir,
            block: BLOCK,
        };
        if let Err(e) = build(p, &cfg) {
            report::warning(format!("{}: not indexed: {e}", p.display()));
        }
    });
}
