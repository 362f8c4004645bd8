//! Runtime: the stack limit compiled code checks for RecursionError (`Ctx::stack_limit`).
//!
//! Computed once per thread from the thread's stack bounds (`pthread_getattr_np`), with a
//! safety margin left for the runtime itself and for CPython once the error is raised.

use std::cell::Cell;

/// Room kept free below the limit: the frames compiled code makes without a check (calls
/// of non-recursive functions, libm, the runtime's services) and what the runtime needs to
/// raise the error. A quarter of the stack on small stacks: CPython accepts thread stacks
/// of 32 KiB (`threading.stack_size`), and the limit must stay inside any of them.
const SAFETY_MARGIN: usize = 256 * 1024;
/// The most stack compiled recursion may use on one thread. With `ulimit -s unlimited` the
/// main thread's stack has no real bound (the kernel grows it into free address space), and
/// a bound is what turns runaway recursion into RecursionError instead of a crash.
const MAX_ROOM: usize = 256 << 20;
/// When the stack bounds cannot be read: assume this much room below the current frame
/// (the smallest stack CPython's threads can have, less the margin).
const FALLBACK_ROOM: usize = 16 * 1024;

thread_local! {
    static STACK_LIMIT: Cell<usize> = const { Cell::new(0) };
}

/// The lowest stack address compiled code may use on this thread.
#[inline]
pub(crate) fn stack_limit() -> usize {
    STACK_LIMIT.with(|cell| {
        let limit = cell.get();
        if limit != 0 {
            return limit;
        }
        let limit = compute_stack_limit();
        cell.set(limit);
        limit
    })
}

/// An address in the current frame: close enough to the stack pointer for the fallback.
#[inline(never)]
fn approximate_stack_pointer() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

/// The lowest address and the size of this thread's stack.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn thread_stack() -> Option<(usize, usize)> {
    // SAFETY: `attr` is initialised by `pthread_getattr_np` before it is read, and
    // destroyed exactly once after a successful initialisation.
    unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
            return None;
        }
        let mut addr: *mut libc::c_void = std::ptr::null_mut();
        let mut size: libc::size_t = 0;
        let rc = libc::pthread_attr_getstack(&attr, &mut addr, &mut size);
        libc::pthread_attr_destroy(&mut attr);
        if rc != 0 || addr.is_null() || size == 0 {
            return None;
        }
        Some((addr as usize, size))
    }
}

#[cfg(target_os = "macos")]
fn thread_stack() -> Option<(usize, usize)> {
    // SAFETY: both calls only read the current thread's attributes.
    unsafe {
        let thread = libc::pthread_self();
        let high = libc::pthread_get_stackaddr_np(thread) as usize;
        let size = libc::pthread_get_stacksize_np(thread);
        high.checked_sub(size).map(|low| (low, size))
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos")))]
fn thread_stack() -> Option<(usize, usize)> {
    None
}

fn compute_stack_limit() -> usize {
    let sp = approximate_stack_pointer();
    let limit = match thread_stack() {
        // The stack grows down: the limit is above its low end plus the margin, at most
        // `MAX_ROOM` below here, and never above here (then every checked call raises).
        Some((low, size)) if low < sp => (low + SAFETY_MARGIN.min(size / 4)).max(sp.saturating_sub(MAX_ROOM)).min(sp),
        _ => sp.saturating_sub(FALLBACK_ROOM),
    };
    limit.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_is_below_the_current_frame_and_cached() {
        let sp = approximate_stack_pointer();
        let limit = stack_limit();
        assert!(limit < sp);
        // The main test thread has megabytes of stack; the limit must leave most of it usable.
        assert!(sp - limit > 64 * 1024, "only {} bytes of room", sp - limit);
        assert_eq!(stack_limit(), limit);
        let from_thread = std::thread::spawn(|| (stack_limit(), approximate_stack_pointer())).join().unwrap();
        assert!(from_thread.0 < from_thread.1);
        assert_ne!(from_thread.0, limit);
    }

    #[test]
    fn limit_stays_inside_small_thread_stacks() {
        for size in [16 * 1024, 32 * 1024, 64 * 1024, 256 * 1024, 1024 * 1024] {
            let (limit, sp, low) = std::thread::Builder::new()
                .stack_size(size)
                .spawn(|| (stack_limit(), approximate_stack_pointer(), thread_stack().map(|(low, _)| low)))
                .unwrap()
                .join()
                .unwrap();
            let low = low.expect("this platform reports stack bounds");
            assert!(low < limit && limit <= sp, "stack of {size}: low {low:#x}, limit {limit:#x}, sp {sp:#x}");
        }
    }
}
