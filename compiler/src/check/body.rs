//! Check: one function body → a `tir::Function`. Declares the locals, then checks the body
//! until local type inference reaches its fixpoint (see `infer.rs`).

use super::infer::{overflowing_names, scan_body, BodyScan, InferState, RetObs};
use super::scope::{FnCx, ModuleEnv, RetEst};
use super::stmt::{declare_call, falls_through};
use super::ty::{resolve_type, TypeUse};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast;
use crate::tir::{self, FuncId, LocalId, Ty};
use std::collections::{BTreeSet, HashMap};

/// Passes over one body before giving up on a fixpoint (types only widen, and the lattice
/// of scalar types is shallow, so this is never reached in practice).
const MAX_PASSES: usize = 16;

pub(crate) struct FnResult {
    pub func: tir::Function,
    pub diags: Vec<Diagnostic>,
    pub calls: BTreeSet<FuncId>,
    pub ret_obs: RetObs,
}

/// The body without its docstring.
fn code_of(body: &[ast::Stmt]) -> &[ast::Stmt] {
    if super::decl::docstring(body).is_some() {
        &body[1..]
    } else {
        body
    }
}

/// Checks the body of function `fid` (the statements of its `def`, or the module's own
/// code for the module body).
pub(crate) fn check_function(env: &ModuleEnv, fid: FuncId, body: &[ast::Stmt], rets: &[RetEst]) -> FnResult {
    let sig = env.sig(fid);
    let body = code_of(body);
    let globals_here: std::collections::HashSet<String> = if sig.kind == tir::FuncKind::ModuleBody {
        env.module_names.clone()
    } else {
        let mut names = Vec::new();
        super::decl::global_declarations(body, &mut names);
        names.into_iter().collect()
    };
    let scan = scan_body(body);
    let in_function = sig.kind != tir::FuncKind::ModuleBody;
    let local_modules = if in_function { super::nested::local_modules(body) } else { Default::default() };
    let local_funcs = if in_function { super::nested::local_functions(env, body) } else { Default::default() };
    let declares = declare_annotations(body);
    let mut infer = InferState { overflowing: overflowing_names(body, env.is_pyx), ..Default::default() };
    let ret = match rets.get(fid.0 as usize) {
        Some(RetEst::Known(t)) => Some(*t),
        _ => None,
    };
    let mut pass = 0;
    loop {
        infer.changed = false;
        let mut cx = FnCx {
            env,
            sig,
            rets,
            ret,
            locals: Vec::new(),
            names: HashMap::new(),
            declared: HashMap::new(),
            conflicted: Default::default(),
            infer: &mut infer,
            diags: Vec::new(),
            loop_depth: 0,
            calls: BTreeSet::new(),
            ret_obs: RetObs::default(),
            ntemps: 0,
            directives: sig.directives,
            views_set: Default::default(),
            safe_indices: Vec::new(),
            in_nogil: false,
            globals_here: globals_here.clone(),
            comp_locals: Default::default(),
            local_modules: local_modules.clone(),
            local_funcs: local_funcs.clone(),
            narrow: HashMap::new(),
            long_lits: Default::default(),
        };
        cx.declare_locals(&scan, &declares);
        let mut tir_body = cx.check_block(body);
        if sig.kind == tir::FuncKind::ModuleBody {
            // `object` C globals hold `None` before any of the module's code runs.
            let init = env.cglobals.iter().enumerate().filter(|(_, g)| g.ty.is_object()).map(|(k, g)| tir::Stmt {
                kind: tir::StmtKind::StoreCGlobal { global: k as u32, value: tir::Expr::new(tir::ExprKind::NoneObj, Ty::OBJECT, g.span) },
                span: g.span,
            });
            tir_body.splice(0..0, init.collect::<Vec<_>>());
        }
        cx.finish_arrays(&mut tir_body);
        if sig.nogil {
            cx.check_nogil_calls(&tir_body);
        }
        let falls = falls_through(body);
        if falls && sig.declared_ret.is_none() && cx.ret_obs.has_value {
            cx.ret_obs.has_none = true;
        }
        if cx.ret.is_some_and(|t| t.is_object()) && falls {
            // Python: falling off the end returns `None`.
            let none = tir::Expr::new(tir::ExprKind::NoneObj, Ty::OBJECT, sig.span);
            tir_body.push(tir::Stmt { kind: tir::StmtKind::Return(Some(none)), span: sig.span });
        } else if let Some(ret) = cx.ret.filter(|t| *t != Ty::Void) {
            if falls {
                let name = &sig.name;
                cx.diags.push(Diagnostic::error(
                    Code::MissingReturn,
                    sig.name_span,
                    format!("function `{name}` can reach its end without returning {}", with_article(&ret.to_string())),
                ));
            }
        }
        let FnCx { locals, diags, calls, ret_obs, .. } = cx;
        pass += 1;
        if !infer.changed && infer.force_objects(env.is_pyx) && pass < MAX_PASSES {
            continue;
        }
        if !infer.changed || pass >= MAX_PASSES {
            let func = tir::Function {
                id: fid,
                name: sig.name.clone(),
                kind: sig.kind,
                doc: sig.doc.clone(),
                span: sig.span,
                params: sig.params.clone(),
                ret: ret.unwrap_or(Ty::PY_INT),
                locals,
                body: tir_body,
                recursive: false,
                nogil: sig.nogil,
                inline: sig.inline,
                temps: 0,
            };
            return FnResult { func, diags, calls, ret_obs };
        }
    }
}

/// `x = cython.declare(T, ...)` statements anywhere in the body: (name, type expr, span).
fn declare_annotations(body: &[ast::Stmt]) -> Vec<(String, &ast::Expr, Span)> {
    let mut out = Vec::new();
    fn walk<'a>(stmts: &'a [ast::Stmt], out: &mut Vec<(String, &'a ast::Expr, Span)>) {
        for s in stmts {
            if let ast::Stmt::Assign(a) = s {
                if let (Some((ty, _)), [ast::Expr::Name(n)]) = (declare_call(&a.value), a.targets.as_slice()) {
                    out.push((n.id.to_string(), ty, super::scope::span(n)));
                }
            }
            for block in super::scope::nested_blocks(s) {
                walk(block, out);
            }
        }
    }
    walk(body, &mut out);
    out
}

impl FnCx<'_> {
    /// Creates the locals of this pass: parameters, then every other name in order of first
    /// appearance, declared ones with their declared type, inferred ones with the type
    /// inference has reached so far.
    fn declare_locals(&mut self, scan: &BodyScan<'_>, declares: &[(String, &ast::Expr, Span)]) {
        let sig = self.sig;
        let mut decl_spans: HashMap<String, Span> = HashMap::new();
        for p in &sig.params {
            let id = LocalId(self.locals.len() as u32);
            self.locals.push(tir::Local { name: p.name.clone(), ty: p.ty, span: p.span });
            self.names.insert(p.name.clone(), id);
            self.declared.insert(p.name.clone(), p.ty);
            decl_spans.insert(p.name.clone(), p.span);
        }
        let mut decls: Vec<(String, Ty, Span)> = sig.locals.iter().map(|(n, (t, s))| (n.clone(), *t, *s)).collect();
        decls.sort_by_key(|d| d.2.start);
        for (name, ann, sp) in scan.annotations.iter().map(|(n, a, s)| (n, *a, *s)).chain(declares.iter().map(|(n, a, s)| (n, *a, *s))) {
            if self.globals_here.contains(name) {
                continue;
            }
            match resolve_type(self.env, ann, TypeUse::Value) {
                Ok(t) => decls.push((name.clone(), t, sp)),
                Err(d) => self.push(d),
            }
        }
        for (name, ty, sp) in decls {
            match self.declared.get(&name) {
                Some(&prev) if prev != ty => {
                    self.conflicted.insert(name.clone());
                    let prev_span = decl_spans.get(&name).copied().unwrap_or(sp);
                    self.push(
                        Diagnostic::error(Code::Redefinition, sp, format!("`{name}` is declared as `{ty}` here but as `{prev}` before"))
                            .with_secondary(prev_span, "first declared here"),
                    );
                }
                Some(_) => {}
                None => {
                    self.declared.insert(name.clone(), ty);
                    decl_spans.insert(name, sp);
                }
            }
        }
        let is_pyx = self.is_pyx();
        for a in &scan.assigned {
            if self.names.contains_key(&a.name) || self.globals_here.contains(&a.name) {
                continue;
            }
            let ty = match self.declared.get(&a.name) {
                Some(t) => *t,
                None => self.infer.ty(&a.name, is_pyx),
            };
            let id = LocalId(self.locals.len() as u32);
            self.locals.push(tir::Local { name: a.name.clone(), ty, span: a.span });
            self.names.insert(a.name.clone(), id);
        }
        // Declared but never assigned (`@cython.locals(x=...)` only): still locals.
        let mut rest: Vec<(String, Ty)> =
            self.declared.iter().filter(|(n, _)| !self.names.contains_key(*n)).map(|(n, t)| (n.clone(), *t)).collect();
        rest.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, ty) in rest {
            let sp = decl_spans.get(&name).copied().unwrap_or(sig.span);
            let id = LocalId(self.locals.len() as u32);
            self.locals.push(tir::Local { name: name.clone(), ty, span: sp });
            self.names.insert(name, id);
        }
    }
}

/// "an `int`", "a `double`".
fn with_article(ty_name: &str) -> String {
    let article = if ty_name.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{article} `{ty_name}`")
}
