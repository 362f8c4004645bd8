//! Runtime helpers that compiled code calls through `Ctx::services` (see `abi::Services`).
//!
//! Plain Rust with C ABI, no Python: they hold the few Python semantics that are too long
//! to emit inline. Both the JIT and AOT modules reach them through the same table.

use crate::abi::Services;

/// The table compiled code gets when no runtime provides one (the compiler's own tests):
/// GIL services do nothing, since there is no interpreter.
/// Without an interpreter there are no arrays: `new_array` fails (compiled code then reports
/// `Ctx::ERR_PYTHON`), and reference counting does nothing.
pub static SERVICES: Services = Services {
    float_floordiv,
    float_mod,
    save_thread: no_save_thread,
    restore_thread: no_restore_thread,
    new_array: no_new_array,
    incref: no_refcount,
    decref: no_refcount,
    load_global: no_load_global,
    check_kind: no_check_kind,
    import_from: no_import_from,
    del_global: no_del_global,
    unpack: no_unpack,
    merge: no_merge,
    view_of: no_view_of,
};

extern "C" fn no_view_of(_obj: *mut std::ffi::c_void, _view: u32, _out: *mut crate::abi::ViewDesc, _keep: *mut *mut std::ffi::c_void) -> *mut crate::abi::ViewDesc {
    std::ptr::null_mut()
}

extern "C" fn no_del_global(_globals: *mut std::ffi::c_void, _name: *mut std::ffi::c_void) -> i32 {
    -1
}

/// Without an interpreter every object is accepted (the compiler's tests run no object code).
extern "C" fn no_check_kind(_obj: *mut std::ffi::c_void, _code: u32, _name: *mut std::ffi::c_void) -> i32 {
    0
}

extern "C" fn no_merge(_op: u32, _target: *mut std::ffi::c_void, _value: *mut std::ffi::c_void, _func: *mut std::ffi::c_void) -> i32 {
    -1
}

extern "C" fn no_unpack(_obj: *mut std::ffi::c_void, _before: u32, _after: i32, _out: *mut *mut std::ffi::c_void) -> i32 {
    -1
}

extern "C" fn no_load_global(_globals: *mut std::ffi::c_void, _name: *mut std::ffi::c_void, _cache: *mut crate::abi::GlobalCache) -> *mut std::ffi::c_void {
    std::ptr::null_mut()
}

extern "C" fn no_import_from(_module: *mut std::ffi::c_void, _name: *mut std::ffi::c_void) -> *mut std::ffi::c_void {
    std::ptr::null_mut()
}

extern "C" fn no_new_array(_kind: u32, _elem: u32, _ndim: u32, _shape: *const isize, _out: *mut crate::abi::ViewDesc) -> *mut crate::abi::ViewDesc {
    std::ptr::null_mut()
}

extern "C" fn no_refcount(_obj: *mut std::ffi::c_void) {}

extern "C" fn no_save_thread() -> *mut std::ffi::c_void {
    std::ptr::null_mut()
}

extern "C" fn no_restore_thread(_state: *mut std::ffi::c_void) {}

/// Python's float `//` (Objects/floatobject.c `float_floor_div`), for `b != 0`.
pub extern "C" fn float_floordiv(a: f64, b: f64) -> f64 {
    float_divmod(a, b).0
}

/// Python's float `%`, for `b != 0`: the result has the sign of `b`.
pub extern "C" fn float_mod(a: f64, b: f64) -> f64 {
    float_divmod(a, b).1
}

fn float_divmod(vx: f64, wx: f64) -> (f64, f64) {
    let mut m = vx % wx;
    let mut div = (vx - m) / wx;
    if m != 0.0 {
        if (wx < 0.0) != (m < 0.0) {
            m += wx;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(wx);
    }
    let floordiv = if div != 0.0 {
        let mut f = div.floor();
        if div - f > 0.5 {
            f += 1.0;
        }
        f
    } else {
        0.0f64.copysign(vx / wx)
    };
    (floordiv, m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_floor_division_follows_python() {
        assert_eq!(float_floordiv(7.0, 2.0), 3.0);
        assert_eq!(float_floordiv(-7.0, 2.0), -4.0);
        assert_eq!(float_mod(-7.0, 2.0), 1.0);
        assert_eq!(float_mod(7.0, -2.0), -1.0);
        assert!(float_mod(-0.0, 5.0).is_sign_positive());
        assert!(float_mod(0.0, -5.0).is_sign_negative());
    }
}
