//! Codegen: inlining of calls between compiled functions, on the CLIF of a whole module
//! (Cranelift's "inlining as a library", `Context::inline`), before each function is
//! compiled. Consumes the CLIF of every TIR function as built by `codegen_function`
//! (indexed by `tir::FuncId`) and rewrites one caller at a time.
//!
//! Which calls are inlined (only with `opt_level=speed`):
//! - calls of functions declared `cdef inline` / `@cython.inline`, and of small functions
//!   (at most [`SMALL_CALLEE`] instructions), when the callee is not recursive; the inlined
//!   body is visited again, so chains of small helpers collapse;
//! - calls of small recursive functions (on a call-graph cycle), [`RECURSIVE_LEVELS`]
//!   levels: each round inlines the callee's body once and leaves the calls inside it as
//!   calls (`visit_callee: false`); the next round inlines those once more. For `fib` this
//!   divides the recursion depth by 3 and makes several times fewer calls, which is what a
//!   C compiler does with it (gcc unrolls `fib` into itself several levels deep).
//!
//! A caller grows by at most [`MAX_GROWTH`] instructions. The calling convention is
//! unchanged by inlining: the callee body still takes `ctx`, still returns
//! `(value, status)` into the caller's status test, and writes its own error sites (so an
//! error raised in an inlined body names the callee and its line). The callee's external
//! references (other functions, libm, the signatures of service calls) are copied into the
//! caller by Cranelift (`create_func_refs`, `create_sig_refs`): every function of one
//! module shares the module's namespace of `UserExternalName`s, so they stay valid.

use std::borrow::Cow;
use std::collections::HashMap;

use cranelift_codegen::inline::{Inline, InlineCommand};
use cranelift_codegen::ir::{self, ExternalName, Function, Opcode};
use cranelift_module::FuncId;

use crate::tir;

/// Callees of at most this many CLIF instructions are inlined without `inline`.
pub(crate) const SMALL_CALLEE: usize = 48;

/// How many levels of a small recursive callee are inlined (each level doubles the code
/// of a function that calls itself twice, as fib does).
pub(crate) const RECURSIVE_LEVELS: usize = 2;

/// A caller grows by at most this many instructions through inlining.
pub(crate) const MAX_GROWTH: usize = 800;

/// What the inliner knows about one module: the pre-inlining body of each function.
pub(crate) struct InlineCx<'a> {
    funcs: &'a [tir::Function],
    bodies: &'a [Function],
    sizes: Vec<usize>,
    /// TIR index of each compiled function's Cranelift id.
    index_of: HashMap<u32, usize>,
}

impl<'a> InlineCx<'a> {
    /// `bodies[i]` is the CLIF of `funcs[i]`, `fn_ids[i]` its Cranelift id.
    pub(crate) fn new(funcs: &'a [tir::Function], bodies: &'a [Function], fn_ids: &[FuncId]) -> InlineCx<'a> {
        let sizes = bodies.iter().map(instruction_count).collect();
        let index_of = fn_ids.iter().enumerate().map(|(i, id)| (id.as_u32(), i)).collect();
        InlineCx { funcs, bodies, sizes, index_of }
    }

    /// Whether any function of the module calls one that could be inlined (otherwise the
    /// caller need not be copied and walked).
    pub(crate) fn any_candidate(&self) -> bool {
        (0..self.funcs.len()).any(|i| self.is_candidate(i))
    }

    fn is_candidate(&self, callee: usize) -> bool {
        (self.funcs[callee].inline || self.sizes[callee] <= SMALL_CALLEE) && !refers_to_data(&self.bodies[callee])
    }

    /// An inliner for the calls of one caller.
    pub(crate) fn inliner(&self) -> Inliner<'_, 'a> {
        Inliner { cx: self, grown: 0, inlined: 0, inlined_recursive: false }
    }
}

/// The `Inline` implementation for one caller.
pub(crate) struct Inliner<'c, 'a> {
    cx: &'c InlineCx<'a>,
    grown: usize,
    /// How many call sites were inlined.
    pub(crate) inlined: usize,
    /// Whether a recursive callee was inlined (its calls may take another level).
    pub(crate) inlined_recursive: bool,
}

impl Inliner<'_, '_> {
    /// The TIR index of the function `func_ref` names in `caller`, if it is one of ours
    /// (libm imports are not).
    fn callee_index(&self, caller: &Function, func_ref: ir::FuncRef) -> Option<usize> {
        let ExternalName::User(name_ref) = caller.dfg.ext_funcs[func_ref].name else { return None };
        let name = caller.params.user_named_funcs().get(name_ref)?;
        if name.namespace != 0 {
            return None;
        }
        self.cx.index_of.get(&name.index).copied()
    }
}

impl Inline for Inliner<'_, '_> {
    fn inline(
        &mut self,
        caller: &Function,
        _call_inst: ir::Inst,
        opcode: Opcode,
        callee: ir::FuncRef,
        call_args: &[ir::Value],
    ) -> InlineCommand<'_> {
        if opcode != Opcode::Call {
            return InlineCommand::KeepCall;
        }
        let Some(index) = self.callee_index(caller, callee) else { return InlineCommand::KeepCall };
        let cx = self.cx;
        if !cx.is_candidate(index) {
            return InlineCommand::KeepCall;
        }
        if !view_args_are_stable(caller, &cx.funcs[index], call_args) {
            return InlineCommand::KeepCall;
        }
        let size = cx.sizes[index];
        if self.grown + size > MAX_GROWTH {
            return InlineCommand::KeepCall;
        }
        // The signature must be exactly the call's (Cranelift asserts it).
        let sig = caller.dfg.ext_funcs[callee].signature;
        if caller.dfg.signatures[sig] != cx.bodies[index].signature {
            return InlineCommand::KeepCall;
        }
        self.grown += size;
        self.inlined += 1;
        // A recursive callee is inlined one level only: the calls in its body stay calls.
        let visit_callee = !cx.funcs[index].recursive;
        self.inlined_recursive |= cx.funcs[index].recursive;
        InlineCommand::Inline { callee: Cow::Borrowed(&cx.bodies[index]), visit_callee }
    }
}

/// Whether a body refers to a data symbol (`_Py_NoneStruct` for `None`). Cranelift's
/// inliner copies the callee's global values without remapping their `UserExternalName`
/// into the caller's table, so an inlined `symbol_value` would name another symbol of the
/// caller (a crash, found with a call of a function that tests `x is None`): such callees
/// stay calls.
fn refers_to_data(body: &Function) -> bool {
    body.global_values.values().any(|gv| matches!(gv, ir::GlobalValueData::Symbol { .. }))
}

/// Whether every memoryview argument of a call is one of the caller's own parameters. The
/// callee loads its views' descriptors as `readonly` (true for its call); a descriptor in a
/// stack slot of the caller (a slice, see `slice.rs`) may be rewritten by the caller's
/// loop, so once inlined those loads could be hoisted above the rewrite. Such calls stay
/// calls.
fn view_args_are_stable(caller: &Function, callee: &tir::Function, call_args: &[ir::Value]) -> bool {
    use cranelift_codegen::ir::ValueDef;
    let entry = caller.layout.entry_block();
    // `call_args[0]` is `ctx`.
    callee.params.iter().zip(call_args.iter().skip(1)).all(|(param, &arg)| {
        !param.ty.is_view()
            || matches!(caller.dfg.value_def(caller.dfg.resolve_aliases(arg)), ValueDef::Param(block, _) if Some(block) == entry)
    })
}

/// The number of instructions in `func`'s layout.
pub(crate) fn instruction_count(func: &Function) -> usize {
    func.layout.blocks().map(|block| func.layout.block_insts(block).count()).sum()
}

/// After inlining, sends each inlined `return` straight to where the caller's status test
/// would send it.
///
/// An inlined `return v, s` becomes `jump R(v, s)`, and `R` (the rest of the call's block)
/// begins with the caller's `brif s, error_exit, cont`. Every `s` the callee returns is a
/// constant (0 on success, 1 from its error exit), but Cranelift does not thread jumps
/// through a branch on a block parameter, so each inlined call would still pay a phi and a
/// test. Here a jump passing a nonzero constant goes to the error target directly (when
/// that target takes no arguments, as the error exit does), and when every remaining jump
/// into `R` passes 0, the `brif` becomes a jump to `cont`. Returns whether anything changed.
pub(crate) fn thread_constant_status(func: &mut Function) -> bool {
    use cranelift_codegen::flowgraph::ControlFlowGraph;
    use cranelift_codegen::ir::{BlockArg, InstBuilder, InstructionData, ValueDef};

    let cfg = ControlFlowGraph::with_function(func);
    let blocks: Vec<ir::Block> = func.layout.blocks().collect();
    let entry = func.layout.entry_block();
    let outside_uses = values_used_outside_their_block(func);
    let mut changed = false;
    for block in blocks {
        // The entry block's parameters are the function's arguments: nothing is known of
        // them, and a block without predecessors has no jumps to inspect.
        if Some(block) == entry || cfg.pred_iter(block).next().is_none() {
            continue;
        }
        let Some(inst) = func.layout.first_inst(block) else { continue };
        if func.layout.last_inst(block) != Some(inst) {
            continue;
        }
        let InstructionData::Brif { arg, blocks: [then_call, else_call], .. } = func.dfg.insts[inst] else { continue };
        let arg = func.dfg.resolve_aliases(arg);
        let Some(pos) = func.dfg.block_params(block).iter().position(|&p| p == arg) else { continue };
        // A jump may bypass `block` only if nothing after it reads `block`'s parameters:
        // otherwise the bypassing path would reach those uses without a definition.
        let params_escape = func.dfg.block_params(block).iter().any(|p| outside_uses.contains(p));
        let pool = &func.dfg.value_lists;
        let then_block = then_call.block(pool);
        let may_bypass = then_call.len(pool) == 0 && !params_escape && then_block != block;
        let mut all_zero = true;
        for pred in cfg.pred_iter(block) {
            let InstructionData::Jump { destination, .. } = func.dfg.insts[pred.inst] else {
                all_zero = false;
                continue;
            };
            let status = match destination.args(&func.dfg.value_lists).nth(pos) {
                Some(BlockArg::Value(v)) => func.dfg.resolve_aliases(v),
                _ => {
                    all_zero = false;
                    continue;
                }
            };
            let constant = match func.dfg.value_def(status) {
                ValueDef::Result(def, 0) => match func.dfg.insts[def] {
                    InstructionData::UnaryImm { opcode: Opcode::Iconst, imm } => Some(imm.bits()),
                    _ => None,
                },
                _ => None,
            };
            match constant {
                Some(0) => {}
                Some(_) if may_bypass => {
                    func.replace(pred.inst).jump(then_block, &[]);
                    changed = true;
                }
                _ => all_zero = false,
            }
        }
        if all_zero {
            let else_block = else_call.block(&func.dfg.value_lists);
            let else_args: Vec<BlockArg> = else_call.args(&func.dfg.value_lists).collect();
            func.replace(inst).jump(else_block, &else_args);
            changed = true;
        }
    }
    changed
}

/// The values that some instruction reads outside the block that defines them (block
/// parameters included).
fn values_used_outside_their_block(func: &Function) -> std::collections::HashSet<ir::Value> {
    use cranelift_codegen::ir::ValueDef;
    let mut used = std::collections::HashSet::new();
    for block in func.layout.blocks() {
        for inst in func.layout.block_insts(block) {
            let mut note = |v: ir::Value| {
                let v = func.dfg.resolve_aliases(v);
                let home = match func.dfg.value_def(v) {
                    ValueDef::Result(def, _) => func.layout.inst_block(def),
                    ValueDef::Param(b, _) => Some(b),
                    ValueDef::Union(..) => None,
                };
                if home != Some(block) {
                    used.insert(v);
                }
            };
            for &v in func.dfg.inst_args(inst) {
                note(v);
            }
            for dest in func.dfg.insts[inst].branch_destination(&func.dfg.jump_tables, &func.dfg.exception_tables) {
                for arg in dest.args(&func.dfg.value_lists) {
                    if let cranelift_codegen::ir::BlockArg::Value(v) = arg {
                        note(v);
                    }
                }
            }
        }
    }
    used
}
