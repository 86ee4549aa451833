//! Surviving a mapped file that shrinks while it is read.
//!
//! Only finished files are mapped (`open::is_finished`), but a file that
//! was quiet for a while may still be truncated underneath (copytruncate
//! rotation of a slow log). Reading a page of the map past its new end
//! raises SIGBUS, which would kill the process. Every map logq makes is
//! made by [`map`], which records its address range in a fixed registry;
//! the handler maps a page of zeros over the faulting address only when it
//! lies in one of those ranges, so the read completes and the scanner then
//! reports the shrink (SPEC §1). A SIGBUS anywhere else goes to the handler
//! that was there before ours, or ends the process as it would have.
//!
//! What the handler relies on: POSIX lists `sigaction` as async-signal-safe
//! but not `mmap`. On Linux `mmap` is a plain system call (glibc's and
//! musl's wrappers take no lock and touch no allocator state), which is
//! what makes it usable here; the handler calls nothing else but atomic
//! loads, and allocates nothing.

use memmap2::Mmap;
use std::fs::File;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

/// How many maps may be registered at once; past that, files are read.
const SLOTS: usize = 1024;

/// Start and end address of each registered map (0, 0: free).
static RANGES: [(AtomicUsize, AtomicUsize); SLOTS] =
    [const { (AtomicUsize::new(0), AtomicUsize::new(0)) }; SLOTS];

/// Serializes taking and freeing slots (never taken by the handler).
static SLOT_LOCK: Mutex<()> = Mutex::new(());

/// The SIGBUS action before ours, to chain to.
static PREVIOUS: OnceLock<libc::sigaction> = OnceLock::new();

/// A file mapped read-only, its range registered with the handler while it
/// lives.
pub struct Mapping {
    map: Mmap,
    slot: usize,
}

impl std::ops::Deref for Mapping {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.map
    }
}

impl Mapping {
    /// Tells the kernel the map is read front to back.
    pub fn advise_sequential(&self) {
        let _ = self.map.advise(memmap2::Advice::Sequential);
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        let _g = SLOT_LOCK.lock();
        // Unregister before the unmap (which follows, when `map` drops): a
        // fault can only come from a reader of this map, and there is none.
        RANGES[self.slot].1.store(0, Ordering::SeqCst);
        RANGES[self.slot].0.store(0, Ordering::SeqCst);
    }
}

/// Maps `file` and registers the map with the SIGBUS handler, installed on
/// first use. `None` when it cannot be mapped (no address space left under
/// `ulimit -v`, every slot taken): the file is then read instead.
pub fn map(file: &File) -> Option<Mapping> {
    install();
    // SAFETY: the map is read-only and private to this process. Its file
    // is finished (not modified for a while), so it is not expected to
    // shrink; if it is truncated anyway, reads past the new end raise
    // SIGBUS, which the handler turns into reads of zeros for this range
    // (registered below before any read), and the scanner reports the
    // shrink. Growth is harmless: the map keeps its length.
    let map = unsafe { Mmap::map(file).ok()? };
    let start = map.as_ptr() as usize;
    let end = start + map.len();
    let _g = SLOT_LOCK.lock();
    let slot = RANGES
        .iter()
        .position(|(s, _)| s.load(Ordering::SeqCst) == 0)?;
    RANGES[slot].1.store(end, Ordering::SeqCst);
    RANGES[slot].0.store(start, Ordering::SeqCst);
    Some(Mapping { map, slot })
}

/// Installs the SIGBUS handler once per process, keeping the previous one.
fn install() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        // SAFETY: sigaction with zeroed (valid) structs; the previous action
        // is stored before ours is installed, so the handler finds it.
        unsafe {
            let mut previous: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(libc::SIGBUS, std::ptr::null(), &mut previous) != 0 {
                return;
            }
            let _ = PREVIOUS.set(previous);
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_sigbus as *const () as usize;
            action.sa_flags = libc::SA_SIGINFO | libc::SA_NODEFER;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
        }
    });
}

/// Whether `addr` lies in a registered map (atomic loads only).
fn is_ours(addr: usize) -> bool {
    RANGES.iter().any(|(s, e)| {
        let start = s.load(Ordering::SeqCst);
        start != 0 && addr >= start && addr < e.load(Ordering::SeqCst)
    })
}

extern "C" fn on_sigbus(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid siginfo for SA_SIGINFO handlers.
    let addr = unsafe { (*info).si_addr() } as usize;
    if addr != 0 && is_ours(addr) {
        // SAFETY: `sysconf` and `mmap` are plain system calls on Linux (see
        // the module header). The page replaced lies inside one of our own
        // read-only file maps, which its owner unmaps as a whole later.
        unsafe {
            let page = libc::sysconf(libc::_SC_PAGESIZE) as usize;
            if page != 0 {
                let base = (addr & !(page - 1)) as *mut libc::c_void;
                let p = libc::mmap(
                    base,
                    page,
                    libc::PROT_READ,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                    -1,
                    0,
                );
                if p != libc::MAP_FAILED {
                    return;
                }
            }
        }
    }
    // SAFETY: chaining calls the handler that was installed before ours,
    // with the arguments the kernel gave us, as it would have been called.
    unsafe { chain(sig, info, ctx) }
}

/// Hands the signal to the previous action: its handler, else the default
/// (restored, so that the faulting access, re-executed, ends the process
/// by SIGBUS as it would have without us).
unsafe fn chain(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    if let Some(prev) = PREVIOUS.get() {
        let h = prev.sa_sigaction;
        if h != libc::SIG_DFL && h != libc::SIG_IGN {
            if prev.sa_flags & libc::SA_SIGINFO != 0 {
                let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                    std::mem::transmute(h);
                f(sig, info, ctx);
            } else {
                let f: extern "C" fn(libc::c_int) = std::mem::transmute(h);
                f(sig);
            }
            return;
        }
    }
    let mut action: libc::sigaction = std::mem::zeroed();
    action.sa_sigaction = libc::SIG_DFL;
    libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn truncated_mapped_file_reads_zeros_instead_of_crashing() {
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(&vec![b'x'; 3 * 65536]).unwrap();
        let map = map(&f).unwrap();
        f.set_len(10).unwrap();
        let sum: u64 = map.iter().map(|&b| b as u64).sum();
        assert_eq!(sum, 10 * b'x' as u64);
    }

    #[test]
    fn only_registered_maps_are_ours() {
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(b"abc").unwrap();
        let m = map(&f).unwrap();
        let start = m.as_ptr() as usize;
        assert!(is_ours(start));
        assert!(!is_ours(start + (1 << 30)));
        drop(m);
        assert!(!is_ours(start));
    }
}
