//! Check: AST (+ Cython declarations) → TIR plus diagnostics. Resolves names and types,
//! decides every coercion and Python rule, and writes them into the TIR as explicit
//! operations; codegen decides nothing.
//!
//! The module level (`decl.rs`) is read first: directives, imports, function signatures.
//! Then every body is checked (`body.rs` → `stmt.rs`, `expr.rs`, `ops.rs`, `builtins.rs`).
//! Return types without annotations are inferred in rounds: each round checks every body
//! with the return types estimated by the previous one, until no estimate changes (see
//! `infer.rs`). Only the last round's diagnostics and TIR are kept. Finally, the call graph
//! decides which functions are recursive.

mod alloc;
mod body;
mod builtins;
mod callargs;
mod comprehension;
mod convert;
mod decl;
mod expr;
mod fstring;
mod infer;
mod kinds;
mod module;
mod nested;
mod nogil;
mod objects;
mod ops;
mod refs;
mod scope;
mod slice;
mod stmt;
mod ty;
mod unpack;
mod view;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_alloc;
#[cfg(test)]
mod tests_diag;
#[cfg(test)]
mod tests_kinds;
#[cfg(test)]
mod tests_run;
#[cfg(test)]
mod tests_unpack;
#[cfg(test)]
mod tests_view;

use crate::diagnostics::{Code, Diagnostic};
use crate::source::{SourceFile, SourceKind};
use crate::syntax::ParsedModule;
use crate::tir::{self, FuncId};
use scope::{ModuleEnv, RetEst};
use std::collections::BTreeSet;

/// Rounds of return-type inference before giving up on a fixpoint.
const MAX_ROUNDS: usize = 10;

pub(crate) fn check_module(file: &SourceFile, parsed: &ParsedModule, name: &str) -> (tir::Module, Vec<Diagnostic>) {
    check_module_in(file, parsed, name, &[], &[], false)
}

/// `check_module` for a unit cut out of a larger Python module (`@jit`): `python_globals`
/// are the other names of that module, as (name, kind) pairs, so that a use of one is
/// reported as what it is instead of as an undefined name.
pub(crate) fn check_module_in(
    file: &SourceFile,
    parsed: &ParsedModule,
    name: &str,
    python_globals: &[(String, String)],
    nogil: &[String],
    jit_unit: bool,
) -> (tir::Module, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut env = ModuleEnv { is_pyx: file.kind == SourceKind::Pyx, deferred_defaults: !jit_unit, ..ModuleEnv::default() };
    env.directives = decl::read_directives(&parsed.cython.directives, &mut diags);
    let doc = decl::docstring(&parsed.body);
    env.cimports = parsed.cython.cimports.clone();
    let parts = decl::collect_module(file, parsed, &mut env, &mut diags);
    let mut bodies: Vec<&[crate::syntax::ast::Stmt]> = parts.defs.iter().map(|d| d.body.as_slice()).collect();
    let has_body = !jit_unit && !parts.body.is_empty();
    if jit_unit {
        // Only imports (declarations here) reach a unit's module level.
        for stmt in parts.body.iter().filter(|s| !matches!(s, crate::syntax::ast::Stmt::Import(_) | crate::syntax::ast::Stmt::ImportFrom(_))) {
            diags.push(Diagnostic::error(Code::UnsupportedSyntax, scope::span(stmt), "a `@jit` unit has module-level code"));
        }
    } else if has_body {
        env.funcs.push(scope::FuncSig::module_body(&parts.body, env.directives));
        bodies.push(&parts.body);
    }
    // Lambdas and nested functions: hidden functions after all the others.
    let module_code: &[crate::syntax::ast::Stmt] = if has_body { &parts.body } else { &[] };
    let nested_bodies = nested::collect_nested(file, parsed, &mut env, &parts.defs, module_code, &mut diags);
    bodies.extend(nested_bodies.iter().map(|b| b.as_slice()));
    // `@jit(nogil=True)`: the function is `nogil` before any body is checked, so it gets
    // every check a `nogil` declaration gets.
    for sig in env.funcs.iter_mut().filter(|sig| nogil.contains(&sig.name)) {
        sig.nogil = true;
    }
    for sig in env.funcs.iter().filter(|sig| sig.kind.is_exported() && sig.params.len() > crate::abi::MAX_PYTHON_PARAMS) {
        diags.push(Diagnostic::error(
            Code::UnsupportedSyntax,
            sig.name_span,
            format!(
                "`{}` has {} parameters; a function called from Python may have at most {} (a `cdef` function may have more)",
                sig.name,
                sig.params.len(),
                crate::abi::MAX_PYTHON_PARAMS
            ),
        ));
    }
    for (global, what) in python_globals {
        if env.func_id(global).is_none() {
            env.globals.entry(global.clone()).or_insert_with(|| scope::Global::Python { what: what.clone() });
        }
    }

    let mut rets: Vec<RetEst> = env.funcs.iter().map(|s| s.declared_ret.map_or(RetEst::Pending, RetEst::Known)).collect();
    let mut round = 0;
    let results = loop {
        let results: Vec<body::FnResult> =
            bodies.iter().enumerate().map(|(i, body)| body::check_function(&env, FuncId(i as u32), body, &rets)).collect();
        let next: Vec<RetEst> = results
            .iter()
            .zip(&env.funcs)
            .map(|(r, sig)| match sig.declared_ret {
                Some(t) => RetEst::Known(t),
                None => r.ret_obs.ty(env.is_pyx).map_or(RetEst::Pending, RetEst::Known),
            })
            .collect();
        round += 1;
        if next == rets || round >= MAX_ROUNDS {
            break results;
        }
        rets = next;
    };

    let mut funcs = Vec::with_capacity(results.len());
    let mut graph: Vec<BTreeSet<FuncId>> = Vec::with_capacity(results.len());
    for (i, r) in results.into_iter().enumerate() {
        if rets[i] == RetEst::Pending {
            let sig = &env.funcs[i];
            diags.push(
                Diagnostic::error(Code::InvalidAssignment, sig.name_span, format!("cannot infer the return type of `{}`", sig.name))
                    .with_note("every `return` value depends on a call whose return type is itself being inferred")
                    .with_help("annotate the return type (`-> float`)"),
            );
        }
        diags.extend(r.diags);
        graph.push(r.calls);
        funcs.push(r.func);
    }
    for (i, f) in funcs.iter_mut().enumerate() {
        f.recursive = on_cycle(&graph, FuncId(i as u32));
        objects::share_constant_boxes(&mut f.body, &env);
        refs::make_explicit(f);
    }
    let constants = env.constants.take();
    let cglobals = std::mem::take(&mut env.cglobals);
    (tir::Module { name: name.to_string(), doc, funcs, constants, cglobals }, diags)
}

/// Whether `start` can reach itself through calls.
fn on_cycle(graph: &[BTreeSet<FuncId>], start: FuncId) -> bool {
    let mut seen = vec![false; graph.len()];
    let mut stack: Vec<FuncId> = graph.get(start.0 as usize).map(|s| s.iter().copied().collect()).unwrap_or_default();
    while let Some(f) = stack.pop() {
        if f == start {
            return true;
        }
        let i = f.0 as usize;
        if i >= graph.len() || seen[i] {
            continue;
        }
        seen[i] = true;
        stack.extend(graph[i].iter().copied());
    }
    false
}
#[cfg(test)]
mod tests_slice;
#[cfg(test)]
mod tests_callargs;
