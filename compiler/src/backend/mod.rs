//! Backends: Cranelift IR → code. `jit.rs` (cranelift-jit, in-process) and `object.rs`
//! (cranelift-object, an object file with `PyInit_<module>`) differ only in the module they
//! build; both run the same `codegen::codegen_module`.

pub(crate) mod jit;
pub(crate) mod object;

use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::settings::{self, Configurable};

use crate::driver::CompileOptions;
use crate::InternalError;

/// The host ISA with pycc's settings: `opt_level` from `opts.optimize`, the verifier from
/// `opts.verify`, position-independent code for objects that go into a shared library.
pub(crate) fn host_isa(opts: &CompileOptions, pic: bool) -> Result<OwnedTargetIsa, InternalError> {
    let mut flags = settings::builder();
    let set = |flags: &mut settings::Builder, name: &str, value: &str| {
        flags.set(name, value).map_err(|e| InternalError::Cranelift(format!("setting `{name}={value}`: {e}")))
    };
    set(&mut flags, "opt_level", if opts.optimize { "speed" } else { "none" })?;
    set(&mut flags, "is_pic", if pic { "true" } else { "false" })?;
    set(&mut flags, "use_colocated_libcalls", "false")?;
    set(&mut flags, "enable_verifier", if opts.verify { "true" } else { "false" })?;
    let isa_builder = cranelift_native::builder()
        .map_err(|e| InternalError::Cranelift(format!("this machine is not supported by Cranelift: {e}")))?;
    isa_builder
        .finish(settings::Flags::new(flags))
        .map_err(|e| InternalError::Cranelift(format!("building the target ISA: {e}")))
}
