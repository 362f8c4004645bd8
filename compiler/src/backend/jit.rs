//! The JIT backend (cranelift-jit): codegen into a `JITModule`, finalize, and hand the
//! runtime the entry addresses plus an owner that frees the code when dropped.

use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::default_libcall_names;

use crate::codegen::{self, Dump};
use crate::driver::{CompileOptions, EntryFn, JitArtifact};
use crate::source::SourceFile;
use crate::{tir, InternalError};

/// Owns the JIT-compiled code of one module; dropping it frees the code.
pub(crate) struct JitCode {
    module: Option<JITModule>,
}

// SAFETY: the runtime keeps a `JitArtifact` inside a Python object, which may be touched
// from any thread. `JitCode` is never used after construction except by `Drop`: no method
// of the `JITModule` (whose symbol cache is a `RefCell`) is called through a shared
// reference, and the finalized code and data are immutable. Calling the entries from
// several threads at once is sound because compiled code keeps all its state in the
// caller's `Ctx`.
unsafe impl Send for JitCode {}
unsafe impl Sync for JitCode {}

impl Drop for JitCode {
    fn drop(&mut self) {
        if let Some(module) = self.module.take() {
            // SAFETY: the `JitArtifact` that owns this also holds every entry pointer; the
            // runtime drops it only once no function object refers to the code.
            unsafe { module.free_memory() };
        }
    }
}

/// The libm functions compiled code may call, resolved explicitly from this process
/// (the Rust std links libm on Linux), plus the rounding functions Cranelift may call as
/// libcalls on CPUs without SSE4.1.
mod libm {
    extern "C" {
        pub fn exp(x: f64) -> f64;
        pub fn expm1(x: f64) -> f64;
        pub fn log(x: f64) -> f64;
        pub fn log2(x: f64) -> f64;
        pub fn log10(x: f64) -> f64;
        pub fn log1p(x: f64) -> f64;
        pub fn sin(x: f64) -> f64;
        pub fn cos(x: f64) -> f64;
        pub fn tan(x: f64) -> f64;
        pub fn asin(x: f64) -> f64;
        pub fn acos(x: f64) -> f64;
        pub fn atan(x: f64) -> f64;
        pub fn atan2(y: f64, x: f64) -> f64;
        pub fn sinh(x: f64) -> f64;
        pub fn cosh(x: f64) -> f64;
        pub fn tanh(x: f64) -> f64;
        pub fn asinh(x: f64) -> f64;
        pub fn acosh(x: f64) -> f64;
        pub fn atanh(x: f64) -> f64;
        pub fn pow(x: f64, y: f64) -> f64;
        pub fn fmod(x: f64, y: f64) -> f64;
        pub fn hypot(x: f64, y: f64) -> f64;
        pub fn floor(x: f64) -> f64;
        pub fn ceil(x: f64) -> f64;
        pub fn trunc(x: f64) -> f64;
        pub fn nearbyint(x: f64) -> f64;
        pub fn floorf(x: f32) -> f32;
        pub fn ceilf(x: f32) -> f32;
        pub fn truncf(x: f32) -> f32;
        pub fn nearbyintf(x: f32) -> f32;
        pub fn fma(x: f64, y: f64, z: f64) -> f64;
        pub fn fmaf(x: f32, y: f32, z: f32) -> f32;
    }
}

fn libm_symbols() -> Vec<(&'static str, *const u8)> {
    use libm::*;
    vec![
        ("exp", exp as *const u8),
        ("expm1", expm1 as *const u8),
        ("log", log as *const u8),
        ("log2", log2 as *const u8),
        ("log10", log10 as *const u8),
        ("log1p", log1p as *const u8),
        ("sin", sin as *const u8),
        ("cos", cos as *const u8),
        ("tan", tan as *const u8),
        ("asin", asin as *const u8),
        ("acos", acos as *const u8),
        ("atan", atan as *const u8),
        ("atan2", atan2 as *const u8),
        ("sinh", sinh as *const u8),
        ("cosh", cosh as *const u8),
        ("tanh", tanh as *const u8),
        ("asinh", asinh as *const u8),
        ("acosh", acosh as *const u8),
        ("atanh", atanh as *const u8),
        ("pow", pow as *const u8),
        ("fmod", fmod as *const u8),
        ("hypot", hypot as *const u8),
        ("floor", floor as *const u8),
        ("ceil", ceil as *const u8),
        ("trunc", trunc as *const u8),
        ("nearbyint", nearbyint as *const u8),
        ("floorf", floorf as *const u8),
        ("ceilf", ceilf as *const u8),
        ("truncf", truncf as *const u8),
        ("nearbyintf", nearbyintf as *const u8),
        ("fma", fma as *const u8),
        ("fmaf", fmaf as *const u8),
    ]
}

pub(crate) fn compile(module: &tir::Module, file: &SourceFile, opts: &CompileOptions) -> Result<JitArtifact, InternalError> {
    let isa = super::host_isa(opts, false)?;
    let mut builder = JITBuilder::with_isa(isa, default_libcall_names());
    builder.symbols(libm_symbols());
    let mut jit = JITModule::new(builder);
    let out = codegen::codegen_module(&mut jit, module, file, Dump::default(), opts.inline_refcounts)?;
    // Cranelift panics on a symbol it cannot resolve: check the interpreter's first.
    if let Some(missing) = out.python_symbols.iter().find(|s| !in_process(s)) {
        return Err(InternalError::Link(format!(
            "`{missing}` is not in this process: code that uses Python objects runs inside the Python interpreter \
             (`pycc.compile_file`, `@jit`, or a module built by `pycc build`)"
        )));
    }
    jit.finalize_definitions().map_err(|e| InternalError::Cranelift(format!("finalizing module `{}`: {e}", module.name)))?;
    let entries = out
        .entry_ids
        .iter()
        .map(|&id| {
            let ptr = jit.get_finalized_function(id);
            // SAFETY: `id` is an entry wrapper, defined with exactly `EntryFn`'s C signature
            // (`codegen::entry`), and finalized above.
            unsafe { std::mem::transmute::<*const u8, EntryFn>(ptr) }
        })
        .collect();
    Ok(JitArtifact { desc: out.desc, entries, _code: JitCode { module: Some(jit) } })
}

/// Whether the running process exports `symbol` (the interpreter's C API, for the JIT).
fn in_process(symbol: &str) -> bool {
    extern "C" {
        fn dlsym(handle: *mut std::ffi::c_void, symbol: *const std::ffi::c_char) -> *mut std::ffi::c_void;
    }
    let Ok(name) = std::ffi::CString::new(symbol) else { return false };
    // SAFETY: `dlsym` with `RTLD_DEFAULT` (null on Linux) only reads the NUL-terminated name.
    unsafe { !dlsym(std::ptr::null_mut(), name.as_ptr()).is_null() }
}
