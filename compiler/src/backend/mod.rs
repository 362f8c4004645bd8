//! Backends: Cranelift IR → code. `jit.rs` (cranelift-jit, in-process) and `object.rs`
//! (cranelift-object, an object file with `PyInit_<module>`) differ only in the module they
//! build; both run the same `codegen::codegen_module`.

pub(crate) mod jit;
pub(crate) mod object;

use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::settings::{self, Configurable};

use crate::driver::CompileOptions;
use crate::InternalError;

/// The target ISA with pycc's settings: `opt_level` from `opts.optimize`, the verifier from
/// `opts.verify`, position-independent code for objects that go into a shared library.
///
/// The JIT uses every feature of this CPU (`cranelift_native`). An object file may run on
/// another machine, so on x86-64 it targets `x86-64-v2` (SSE4.2, POPCNT: every x86-64 CPU
/// since 2009) instead of the build machine's features, as a C compiler does by default.
pub(crate) fn host_isa(opts: &CompileOptions, pic: bool) -> Result<OwnedTargetIsa, InternalError> {
    let mut flags = settings::builder();
    let set = |flags: &mut settings::Builder, name: &str, value: &str| {
        flags.set(name, value).map_err(|e| InternalError::Cranelift(format!("setting `{name}={value}`: {e}")))
    };
    set(&mut flags, "opt_level", if opts.optimize { "speed" } else { "none" })?;
    set(&mut flags, "is_pic", if pic { "true" } else { "false" })?;
    set(&mut flags, "use_colocated_libcalls", "false")?;
    set(&mut flags, "enable_verifier", if opts.verify { "true" } else { "false" })?;
    let native = cranelift_native::builder()
        .map_err(|e| InternalError::Cranelift(format!("this machine is not supported by Cranelift: {e}")))?;
    let isa_builder = if pic && cfg!(target_arch = "x86_64") {
        let mut portable = cranelift_codegen::isa::lookup(native.triple().clone())
            .map_err(|e| InternalError::Cranelift(format!("looking up the target ISA: {e}")))?;
        portable.enable("x86-64-v2").map_err(|e| InternalError::Cranelift(format!("enabling `x86-64-v2`: {e}")))?;
        portable
    } else {
        native
    };
    isa_builder
        .finish(settings::Flags::new(flags))
        .map_err(|e| InternalError::Cranelift(format!("building the target ISA: {e}")))
}
