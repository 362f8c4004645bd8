//! The driver: strings the stages together (parse → check → codegen → backend) and owns
//! the only IO of this crate (linking an object into a shared library).

use crate::abi::{Ctx, ModuleDesc, Slot};
use crate::diagnostics::{self, Diagnostic};
use crate::source::SourceFile;
use crate::{backend, check, syntax, tir, InternalError};

/// The native entry wrapper of an exported function (see `abi` for the convention).
pub type EntryFn = unsafe extern "C" fn(ctx: *mut Ctx, args: *const Slot, ret: *mut Slot) -> u32;

#[derive(Clone, Debug)]
pub struct CompileOptions {
    /// The Python module name (`example` for `example.pyx`).
    pub module_name: String,
    /// Cranelift `opt_level`: true = "speed", false = "none".
    pub optimize: bool,
    /// Run the Cranelift verifier on every function (on in tests).
    pub verify: bool,
    /// For a `@jit` unit: the other globals of the Python module it was cut from, as
    /// (name, kind) pairs (`("helper", "function")`), so that uses of them get a precise
    /// diagnostic. Empty for whole files.
    pub python_globals: Vec<(String, String)>,
    /// Functions to compile as `nogil` although the source does not say so
    /// (`@jit(nogil=True)`, whose decorator is not part of the compiled text).
    pub nogil: Vec<String>,
    /// The source is a `@jit` unit cut out of a Python module: its module-level imports
    /// only declare what the unit's names mean (the module itself already ran them), so
    /// the unit has no module body.
    pub jit_unit: bool,
    /// Inline reference counting as CPython 3.11's `Py_INCREF`/`Py_DECREF` (the module is
    /// for a 3.11 interpreter); otherwise compiled code calls `Py_IncRef`/`Py_DecRef`.
    pub inline_refcounts: bool,
}

impl CompileOptions {
    pub fn new(module_name: impl Into<String>) -> CompileOptions {
        CompileOptions { module_name: module_name.into(), optimize: true, verify: verify_by_default(), python_globals: Vec::new(), nogil: Vec::new(), jit_unit: false, inline_refcounts: false }
    }
}

/// The Cranelift verifier runs in debug builds of the compiler, and in any build when the
/// environment sets `PYCC_VERIFY=1` (the test suites do, so the release build that Python
/// tests use is verified too).
fn verify_by_default() -> bool {
    cfg!(debug_assertions) || std::env::var_os("PYCC_VERIFY").is_some_and(|v| v == "1")
}

/// The stack of the thread every compilation runs on. The passes recurse: the front end on
/// the source's nesting (bounded by `syntax/depth.rs`; the parser's own `Drop` of a refused
/// tree as deep as `MAX_STATEMENT_TOKENS` needs a few hundred bytes a level), Cranelift's
/// egraph and register allocator on the function's shape. So the caller's stack must not
/// matter: a Python thread may have as little as 32 KiB. The memory is reserved, not
/// touched, until a pass needs it.
pub const COMPILER_STACK_BYTES: usize = 256 << 20;

/// Runs `job` on a thread of pycc's own with [`COMPILER_STACK_BYTES`] of stack (on the
/// caller's thread only if no thread can be started), and returns its result. A panic in
/// `job` is resumed on the caller's thread.
fn on_compiler_stack<T: Send>(job: impl FnOnce() -> T + Send) -> Result<T, InternalError> {
    let mut pending = Some(job);
    let mut done = None;
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new().name("pycc-compile".into()).stack_size(COMPILER_STACK_BYTES);
        if let Ok(handle) = worker.spawn_scoped(scope, || pending.take().map(|job| job())) {
            done = handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        }
    });
    match (done, pending) {
        (Some(result), _) => Ok(result),
        (None, Some(job)) => Ok(job()),
        (None, None) => Err(InternalError::bug("the compile thread ran and returned no result")),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CompileError {
    /// The user's source has errors; `rendered` is what to print.
    #[error("{rendered}")]
    Diagnostics { rendered: String, diagnostics: Vec<Diagnostic> },
    #[error(transparent)]
    Internal(#[from] InternalError),
}

/// What `--emit` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Emit {
    Tir,
    Clif,
    Asm,
}

/// A JIT-compiled module: the descriptor and one entry per exported function
/// (`entries[i]` belongs to `desc.functions[i]`). Dropping it frees the code, so the
/// runtime keeps it alive as long as any function object refers to it.
pub struct JitArtifact {
    pub desc: ModuleDesc,
    pub entries: Vec<EntryFn>,
    pub(crate) _code: backend::jit::JitCode,
}

/// Parses and checks a file: the front end, shared by every backend.
pub fn check_file(file: &SourceFile, opts: &CompileOptions) -> Result<tir::Module, CompileError> {
    on_compiler_stack(|| check_here(file, opts))?
}

fn check_here(file: &SourceFile, opts: &CompileOptions) -> Result<tir::Module, CompileError> {
    let (parsed, mut diags) = syntax::parse_file(file);
    let module = parsed.map(|parsed| {
        let (module, check_diags) = check::check_module_in(file, &parsed, &opts.module_name, &opts.python_globals, &opts.nogil, opts.jit_unit);
        diags.extend(check_diags);
        module
    });
    if diagnostics::has_errors(&diags) {
        return Err(CompileError::Diagnostics { rendered: diagnostics::render(file, &diags), diagnostics: diags });
    }
    let module = module.ok_or_else(|| InternalError::bug("parser returned no module and no error"))?;
    #[cfg(debug_assertions)]
    tir::validate::validate_module(&module).map_err(InternalError::Bug)?;
    Ok(module)
}

/// Diagnostics that are not errors (warnings), rendered; empty if none.
pub fn warnings(file: &SourceFile) -> String {
    on_compiler_stack(|| warnings_here(file)).unwrap_or_else(|e| e.to_string())
}

fn warnings_here(file: &SourceFile) -> String {
    let (parsed, mut diags) = syntax::parse_file(file);
    if let Some(parsed) = parsed {
        diags.extend(check::check_module(file, &parsed, "warnings").1);
    }
    diags.retain(|d| !d.is_error());
    diagnostics::render(file, &diags)
}

/// Compiles a file in-process and returns callable entry points.
pub fn jit_compile(file: &SourceFile, opts: &CompileOptions) -> Result<JitArtifact, CompileError> {
    on_compiler_stack(|| Ok(backend::jit::compile(&check_here(file, opts)?, file, opts)?))?
}

/// Compiles a file to a relocatable object holding the functions and `PyInit_<module>`.
pub fn emit_object(file: &SourceFile, opts: &CompileOptions) -> Result<Vec<u8>, CompileError> {
    on_compiler_stack(|| Ok(backend::object::emit(&check_here(file, opts)?, file, opts)?))?
}

/// The text form of an intermediate stage, for `pycc build --emit`.
pub fn emit_text(file: &SourceFile, opts: &CompileOptions, what: Emit) -> Result<String, CompileError> {
    on_compiler_stack(|| emit_text_here(file, opts, what))?
}

fn emit_text_here(file: &SourceFile, opts: &CompileOptions, what: Emit) -> Result<String, CompileError> {
    let module = check_here(file, opts)?;
    Ok(match what {
        Emit::Tir => module.to_string(),
        Emit::Clif => backend::object::emit_clif(&module, file, opts)?,
        Emit::Asm => backend::object::emit_asm(&module, file, opts)?,
    })
}

/// The `.pyx` source with the Cython-only syntax removed: the plain Python that CPython
/// runs for `pycc bench` and `pycc translate`.
pub fn translate_to_python(file: &SourceFile) -> Result<String, CompileError> {
    on_compiler_stack(|| {
        syntax::translate_to_python(file).map_err(|diags| CompileError::Diagnostics { rendered: diagnostics::render(file, &diags), diagnostics: diags })
    })?
}

/// Links an object file into a shared library with the system C compiler.
pub fn link_shared(object: &std::path::Path, output: &std::path::Path) -> Result<(), InternalError> {
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let result = std::process::Command::new(&cc).arg("-shared").arg("-o").arg(output).arg(object).arg("-lm").output();
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(InternalError::Link(format!(
            "no C compiler to link with: `{cc}` was not found; install one (Debian/Ubuntu: apt-get install gcc) or set CC"
        ))),
        Err(e) => Err(InternalError::Link(format!("could not run `{cc}`: {e}"))),
        Ok(out) if !out.status.success() => {
            Err(InternalError::Link(format!("`{cc} -shared` failed:\n{}", String::from_utf8_lossy(&out.stderr))))
        }
        Ok(_) => Ok(()),
    }
}
