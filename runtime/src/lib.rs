//! Runtime: the `pycc._pycc` extension module, a thin pyo3 layer over `pycc_compiler`.
//!
//! Consumes compiled artifacts (JIT) and module descriptors (AOT); produces Python callables.
//! The one Python-visible list is the `#[pymodule] mod _pycc` below; the ergonomics
//! (`@jit`, `compile_file`) are written in Python in `python/pycc/`.
//!
//! - `function.rs`: the compiled-function type (vectorcall) and its call path.
//! - `convert.rs`: the one argument/result converter, driven by `AbiType`.
//! - `views.rs`: memoryview arguments: buffer acquisition, checks, `ViewDesc`, release.
//! - `services.rs`: the `abi::Services` table (float helpers, GIL, arrays) every `Ctx` points at.
//! - `callargs.rs`: the `merge` service (star arguments and star items, CPython's errors).
//! - `alloc.rs`: creating arrays for compiled code (`bytearray`, NumPy), reference counts.
//! - `errors.rs`: error sites and compile errors into Python exceptions.
//! - `compile.rs`: `compile_source`, `check`, `translate`, `cli_main`.
//! - `aot.rs`: the `_C_API` capsule that AOT modules import.
//! - `stack.rs`: the per-thread stack limit for RecursionError.
//! - `testing.rs`: hand-written entry points for the runtime's own tests.

mod alloc;
mod callargs;
mod aot;
mod compile;
mod convert;
mod errors;
mod function;
mod services;
mod stack;
mod testing;
mod views;

use pyo3::prelude::*;

#[pymodule(gil_used = true)]
mod _pycc {
    use pyo3::prelude::*;

    #[pymodule_export]
    use super::compile::{check, cli_main, compile_source, translate};
    #[pymodule_export]
    use super::testing::{_capi_table, _object_layout, _testing_entries, _testing_functions};

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        super::init_module(m)
    }
}

fn init_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("MAX_PARAMS", function::MAX_PARAMS)?;
    // SAFETY: GIL held (module init); both calls return a new/borrowed reference or null
    // with an exception set.
    unsafe {
        let tp = function::function_type();
        if tp.is_null() {
            return Err(PyErr::fetch(py));
        }
        m.add("CompiledFunction", Bound::from_borrowed_ptr(py, tp as *mut pyo3::ffi::PyObject))?;
        let capsule = aot::new_capsule();
        if capsule.is_null() {
            return Err(PyErr::fetch(py));
        }
        m.add("_C_API", Bound::from_owned_ptr(py, capsule))?;
    }
    Ok(())
}
