//! Build script: exposes pyo3's Python-version cfgs (`Py_3_12`, `Py_LIMITED_API`, ...) to
//! this crate, for the one place that reads CPython's int layout (`convert::compact_value`).
fn main() {
    pyo3_build_config::use_pyo3_cfgs();
}
