//! Runtime: the JIT entry points Python calls (`compile_source`, `check`, `translate`) and
//! the console script's `cli_main`.
//!
//! Consumes source text; calls `pycc_compiler::driver` with the GIL released; produces a
//! dict of compiled-function objects (plus the module docstring) or raises
//! `pycc.CompileError` / `pycc.InternalCompilerError`.

use crate::errors::{compile_error, compile_error_to_py};
use crate::function::{build_functions, new_function};
use pycc_compiler::driver::{self, CompileOptions};
use pycc_compiler::{SourceFile, SourceKind};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

fn parse_kind(kind: Option<&str>, filename: &str) -> PyResult<SourceKind> {
    match kind {
        None => Ok(SourceKind::from_path(filename)),
        Some("py") => Ok(SourceKind::Py),
        Some("pyx") => Ok(SourceKind::Pyx),
        Some(other) => Err(PyValueError::new_err(format!("kind must be 'py' or 'pyx', not {other:?}"))),
    }
}

fn module_name_of(filename: &str) -> String {
    let stem = std::path::Path::new(filename).file_stem().and_then(|s| s.to_str()).unwrap_or("module");
    stem.to_string()
}

/// Compiles `source` in-process. Returns `{name: function, ..., "__doc__": doc or None}`,
/// ready to `update` a module's namespace; except that a module with code outside its
/// functions puts them into `globals` itself, runs that code there (its exception, if any,
/// is raised from here) and returns an empty dict (without `globals`, it runs in the dict
/// it returns). Functions named in `nogil` (`@jit(nogil=True)`)
/// are checked and compiled as if declared `nogil` in the source.
#[pyfunction]
#[pyo3(signature = (source, module_name, filename, kind = None, line_offset = 0, optimize = true, nogil = Vec::new(), python_globals = Vec::new(), globals = None, unit = false))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn compile_source<'py>(
    py: Python<'py>,
    source: String,
    module_name: String,
    filename: String,
    kind: Option<&str>,
    line_offset: u32,
    optimize: bool,
    nogil: Vec<String>,
    python_globals: Vec<(String, String)>,
    globals: Option<Bound<'py, PyDict>>,
    unit: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let kind = parse_kind(kind, &filename)?;
    let file = SourceFile::new(filename.clone(), source, kind).with_line_offset(line_offset);
    let mut opts = CompileOptions::new(module_name.clone());
    opts.optimize = optimize;
    opts.python_globals = python_globals;
    opts.nogil = nogil;
    opts.jit_unit = unit;
    // This interpreter's reference counts are plain counters before 3.12 (no immortal
    // objects): compiled code may inline them.
    opts.inline_refcounts = cfg!(not(any(Py_3_12, Py_LIMITED_API, PyPy, GraalPy)));
    let compiled = py.detach(move || driver::jit_compile(&file, &opts));
    let artifact = compiled.map_err(|e| compile_error_to_py(py, e))?;
    let desc = artifact.desc.clone();
    let entries = artifact.entries.clone();
    let mut funcs = build_functions(&desc, &entries, Some(Box::new(artifact)))
        .map_err(|why| compile_error(py, &format!("{filename}: error: {why}")))?;
    let body = match desc.body {
        Some(i) if i < funcs.len() => Some(funcs.remove(i)),
        _ => None,
    };
    let shared = funcs.first().or(body.as_ref()).map(|f| f.module.clone());
    let out = functions_dict(py, funcs, &module_name, desc.doc.as_deref())?;
    // Compiled code looks globals up in `globals` (the module's namespace, or a `@jit`
    // function's `__globals__`), else in the dict returned here.
    let own_namespace = globals.is_none();
    let dict = globals.unwrap_or_else(|| out.clone());
    if let Some(shared) = shared {
        // SAFETY: GIL held; `dict` is a live dict.
        unsafe { shared.set_globals(dict.as_ptr()) };
    }
    let Some(body) = body else { return Ok(out) };
    // A module with code of its own: as at import, its functions are in its namespace
    // before that code runs (and the code may rebind them); nothing is left to return.
    if !dict.is(&out) {
        dict.update(out.as_mapping())?;
    }
    let name = PyString::new(py, &module_name);
    // SAFETY: GIL held; `run_body` returns -1 with the body's exception set.
    if unsafe { crate::function::run_body(body, name.as_ptr()) } != 0 {
        return Err(PyErr::fetch(py));
    }
    // Without `globals`, the namespace the code ran in is the result.
    Ok(if own_namespace { out } else { PyDict::new(py) })
}

/// The dict `compile_source` returns, from built functions.
pub(crate) fn functions_dict<'py>(
    py: Python<'py>,
    funcs: Vec<std::rc::Rc<crate::function::FuncData>>,
    module_name: &str,
    doc: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    let module_name = PyString::new(py, module_name);
    for data in funcs {
        let name = data.name.clone();
        // SAFETY: GIL held; `new_function` returns a new reference or null with an error set.
        let obj = unsafe {
            let ptr = new_function(data, module_name.as_ptr());
            if ptr.is_null() {
                return Err(PyErr::fetch(py));
            }
            Bound::from_owned_ptr(py, ptr)
        };
        out.set_item(name, obj)?;
    }
    out.set_item("__doc__", doc)?;
    Ok(out)
}

/// Checks a file without compiling it: the rendered warnings (empty if none), or
/// `pycc.CompileError` with the errors.
#[pyfunction]
#[pyo3(signature = (source, filename, kind = None))]
pub(crate) fn check(py: Python<'_>, source: String, filename: String, kind: Option<&str>) -> PyResult<String> {
    let kind = parse_kind(kind, &filename)?;
    let opts = CompileOptions::new(module_name_of(&filename));
    let file = SourceFile::new(filename, source, kind);
    let result = py.detach(move || driver::check_file(&file, &opts).map(|_| driver::warnings(&file)));
    result.map_err(|e| compile_error_to_py(py, e))
}

/// The `.pyx` source as plain Python (the `.py` source unchanged).
#[pyfunction]
#[pyo3(signature = (source, filename, kind = None))]
pub(crate) fn translate(py: Python<'_>, source: String, filename: String, kind: Option<&str>) -> PyResult<String> {
    let kind = parse_kind(kind, &filename)?;
    let file = SourceFile::new(filename, source, kind);
    let result = py.detach(move || driver::translate_to_python(&file));
    result.map_err(|e| compile_error_to_py(py, e))
}

/// The `pycc` command line (`pycc_cli::run`), for the console script. Returns the exit code.
#[pyfunction]
pub(crate) fn cli_main(py: Python<'_>, argv: Vec<String>) -> i32 {
    py.detach(move || pycc_cli::run(argv))
}
