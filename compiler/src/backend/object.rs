//! The object backend (cranelift-object).

use crate::driver::CompileOptions;
use crate::source::SourceFile;
use crate::{tir, InternalError};

pub(crate) fn emit(_module: &tir::Module, _file: &SourceFile, _opts: &CompileOptions) -> Result<Vec<u8>, InternalError> {
    Err(InternalError::bug("the object backend is not written yet"))
}

pub(crate) fn emit_clif(_module: &tir::Module, _file: &SourceFile, _opts: &CompileOptions) -> Result<String, InternalError> {
    Err(InternalError::bug("the object backend is not written yet"))
}

pub(crate) fn emit_asm(_module: &tir::Module, _file: &SourceFile, _opts: &CompileOptions) -> Result<String, InternalError> {
    Err(InternalError::bug("the object backend is not written yet"))
}
