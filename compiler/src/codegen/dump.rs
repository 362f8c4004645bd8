//! The text form of generated Cranelift IR (`pycc build --emit clif`): each function's CLIF
//! with a `; line N` comment wherever the source line changes (cg_clif style). Codegen
//! records the line of every instruction as its `SourceLoc`.

use cranelift_codegen::entity::SecondaryMap;
use cranelift_codegen::ir::{Block, Function, Inst, SourceLoc, Value};
use cranelift_codegen::write::{decorate_function, FuncWriter, PlainWriter};
use std::fmt::{self, Write};

struct LineCommentWriter {
    /// The source line of each instruction (from the original function's srclocs).
    lines: SecondaryMap<Inst, SourceLoc>,
    last: Option<u32>,
}

impl FuncWriter for LineCommentWriter {
    fn write_block_header(&mut self, w: &mut dyn Write, func: &Function, block: Block, indent: usize) -> fmt::Result {
        self.last = None;
        PlainWriter.write_block_header(w, func, block, indent)
    }

    fn write_instruction(
        &mut self,
        w: &mut dyn Write,
        func: &Function,
        aliases: &SecondaryMap<Value, Vec<Value>>,
        inst: Inst,
        indent: usize,
    ) -> fmt::Result {
        let loc = self.lines[inst];
        if !loc.is_default() && self.last != Some(loc.bits()) {
            writeln!(w, "{:indent$}; line {}", "", loc.bits())?;
            self.last = Some(loc.bits());
        }
        PlainWriter.write_instruction(w, func, aliases, inst, indent)
    }
}

/// The CLIF of `func`, headed by `; <name>`.
pub(crate) fn clif_text(func: &Function, name: &str) -> String {
    let mut lines = SecondaryMap::new();
    for block in func.layout.blocks() {
        for inst in func.layout.block_insts(block) {
            lines[inst] = func.srcloc(inst);
        }
    }
    // Print without the `@xxxx` srcloc prefixes: the comments carry the lines.
    let mut plain = func.clone();
    plain.stencil.srclocs.clear();
    let mut out = format!("; {name}\n");
    let mut writer = LineCommentWriter { lines, last: None };
    if decorate_function(&mut writer, &mut out, &plain).is_err() {
        out.push_str("; (could not print this function)\n");
    }
    out
}
