//! Surviving a mapped file that shrinks while it is read.
//!
//! Reading a page of a memory map past the end of a file that was truncated
//! underneath (copytruncate rotation of today's log) raises SIGBUS, which
//! kills the process. The handler installed here maps a page of zeros over
//! the faulting address instead, so the read completes; the scanner then
//! notices that the file shrank and reports it (SPEC §1).

use std::sync::Once;

static INSTALL: Once = Once::new();

/// Installs the SIGBUS handler once per process.
pub fn install() {
    INSTALL.call_once(|| {
        // SAFETY: sigaction with a handler that only calls async-signal-safe
        // functions (mmap, sigaction) and touches no Rust state.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_sigbus as *const () as usize;
            action.sa_flags = libc::SA_SIGINFO | libc::SA_NODEFER;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
        }
    });
}

extern "C" fn on_sigbus(_sig: libc::c_int, info: *mut libc::siginfo_t, _ctx: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid siginfo for SA_SIGINFO handlers. The
    // page mapped is inside a region of the process's own file mapping, which
    // the map's owner unmaps as a whole later.
    unsafe {
        let addr = (*info).si_addr() as usize;
        let page = libc::sysconf(libc::_SC_PAGESIZE) as usize;
        if addr == 0 || page == 0 {
            reset_and_return();
            return;
        }
        let base = (addr & !(page - 1)) as *mut libc::c_void;
        let p = libc::mmap(
            base,
            page,
            libc::PROT_READ,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
            -1,
            0,
        );
        if p == libc::MAP_FAILED {
            reset_and_return();
        }
    }
}

/// Restores the default action so that the re-executed access terminates
/// the process as it would have without us.
unsafe fn reset_and_return() {
    let mut action: libc::sigaction = std::mem::zeroed();
    action.sa_sigaction = libc::SIG_DFL;
    libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    #[test]
    fn truncated_mapped_file_reads_zeros_instead_of_crashing() {
        super::install();
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(&vec![b'x'; 3 * 65536]).unwrap();
        // SAFETY: the test truncates the file on purpose, which the handler covers.
        let map = unsafe { memmap2::Mmap::map(&f).unwrap() };
        f.set_len(10).unwrap();
        let sum: u64 = map.iter().map(|&b| b as u64).sum();
        assert_eq!(sum, 10 * b'x' as u64);
    }
}
