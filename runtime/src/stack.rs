//! Runtime: the stack limit compiled code checks for RecursionError (`Ctx::stack_limit`).
//!
//! Computed once per thread from the thread's stack bounds (`pthread_getattr_np`), with a
//! safety margin left for the runtime itself and for CPython once the error is raised.

use std::cell::Cell;

/// Room kept free below the limit: the runtime's own frames, the exception machinery and
/// whatever Python code runs after the RecursionError unwinds.
const SAFETY_MARGIN: usize = 256 * 1024;
/// When the stack bounds cannot be read: assume this much room below the current frame.
const FALLBACK_ROOM: usize = 1024 * 1024;

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

#[cfg(any(target_os = "linux", target_os = "android"))]
fn thread_stack_low() -> Option<usize> {
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
        Some(addr as usize)
    }
}

#[cfg(target_os = "macos")]
fn thread_stack_low() -> Option<usize> {
    // SAFETY: both calls only read the current thread's attributes.
    unsafe {
        let thread = libc::pthread_self();
        let high = libc::pthread_get_stackaddr_np(thread) as usize;
        let size = libc::pthread_get_stacksize_np(thread);
        high.checked_sub(size)
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos")))]
fn thread_stack_low() -> Option<usize> {
    None
}

fn compute_stack_limit() -> usize {
    let sp = approximate_stack_pointer();
    match thread_stack_low() {
        // The stack grows down: the limit is above its low end, and below where we are.
        Some(low) if low + SAFETY_MARGIN < sp => low + SAFETY_MARGIN,
        _ => sp.saturating_sub(FALLBACK_ROOM).max(1),
    }
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
}
