//! Backends: Cranelift IR → code. `jit.rs` (cranelift-jit, in-process) and `object.rs`
//! (cranelift-object, an object file with `PyInit_<module>`) differ only in the module.

pub(crate) mod jit;
pub(crate) mod object;
