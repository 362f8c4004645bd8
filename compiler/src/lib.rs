//! pycc-compiler: a typed subset of Python and Cython, compiled to native code with Cranelift.
//!
//! The pipeline, one module per stage, each a pure function of the previous stage's output:
//! `source` text → `syntax` (AST + Cython declarations) → `check` (TIR + diagnostics)
//! → `codegen` (Cranelift IR) → `backend` (JIT code or an object file).
//! `driver` is the only place that strings the stages together, and the only one doing IO.
//! This crate never depends on pyo3: the Python side (`runtime/`) sees only `abi`.

pub mod abi;
pub mod capi;
mod backend;
mod check;
mod codegen;
pub mod diagnostics;
pub mod driver;
pub mod helpers;
pub mod source;
mod syntax;
pub mod tir;

pub use driver::{CompileError, CompileOptions, Emit, JitArtifact};
pub use source::{SourceFile, SourceKind, Span};

/// A bug in pycc, never a problem in the user's code. Rendered as
/// `internal compiler error`, never a panic.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InternalError {
    #[error("internal compiler error: {0}")]
    Bug(String),
    #[error("cranelift: {0}")]
    Cranelift(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Link(String),
}

impl InternalError {
    pub fn bug(msg: impl Into<String>) -> InternalError {
        InternalError::Bug(msg.into())
    }
}
