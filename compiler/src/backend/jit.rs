//! The JIT backend (cranelift-jit).

use crate::driver::{CompileOptions, JitArtifact};
use crate::source::SourceFile;
use crate::{tir, InternalError};

/// Keeps JIT-compiled code alive.
pub(crate) struct JitCode;

pub(crate) fn compile(_module: &tir::Module, _file: &SourceFile, _opts: &CompileOptions) -> Result<JitArtifact, InternalError> {
    Err(InternalError::bug("the JIT backend is not written yet"))
}
