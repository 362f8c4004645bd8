//! Codegen: TIR → Cranelift IR, shared by the JIT and object backends.
