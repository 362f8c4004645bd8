//! Check: globals. Stores to and deletes of the module's names (in the module body, and
//! under `global` in functions) and import statements, which run when the line runs, as
//! CPython runs them (the module body's when the module is made; a function's bind
//! locals). Compile-time imports (`cython`, `libc`, `cimport`s) are read at module level
//! (`decl.rs`); below it they must repeat one.

use super::convert::Target;
use super::expr::Val;
use super::objects::capi;
use super::scope::{span, FnCx, Global};
use crate::abi::ConstObj;
use crate::source::Span;
use crate::syntax::ast;
use crate::tir::{Block, Const, Expr, ExprKind, Stmt, StmtKind, Ty};

impl FnCx<'_> {
    /// `name = val` where `name` is a global here: a C global of the module, or an entry of
    /// the module's dict (`PyDict_SetItem`, as CPython's `STORE_GLOBAL`/`STORE_NAME`).
    /// `None` if `name` is not a global here.
    pub(crate) fn store_global(&mut self, name: &str, val: Val, sp: Span) -> Option<Stmt> {
        if !self.globals_here.contains(name) || val.err {
            return None;
        }
        if let Some(&Global::CVar(k)) = self.env.global(name) {
            let ty = self.env.cglobals[k as usize].ty;
            let value = self.coerce(val, ty, Target::Local(name));
            return Some(Stmt { kind: StmtKind::StoreCGlobal { global: k, value }, span: sp });
        }
        let value = self.operand(val, Ty::OBJECT);
        let key = self.const_obj(ConstObj::Str(name.to_string()), sp);
        let globals = Expr::new(ExprKind::Globals, Ty::OBJECT, sp);
        Some(Stmt { kind: StmtKind::Expr(capi("PyDict_SetItem", vec![globals, key, value], sp)), span: sp })
    }

    /// `del name` (module body, or a function's `global`): `NameError` if it is not set.
    pub(crate) fn delete_name(&mut self, name: &str, sp: Span, out: &mut Block) {
        if matches!(self.env.global(name), Some(Global::CVar(_))) {
            self.unsupported(sp, format!("`{name}` is a C global; it cannot be deleted"));
            return;
        }
        let name = self.env.constant(ConstObj::Str(name.to_string()));
        out.push(Stmt { kind: StmtKind::DelGlobal { name }, span: sp });
    }

    /// `import a.b.c [as d], ...`: `__import__`'s work through
    /// `PyImport_ImportModuleLevelObject`, binding the top package (or, with `as`, the
    /// submodule, reached as CPython reaches it: attribute by attribute).
    pub(crate) fn check_import(&mut self, i: &ast::StmtImport, sp: Span, out: &mut Block) {
        if self.refuse_cimport(sp) {
            return;
        }
        for alias in &i.names {
            if super::decl::compile_time(&alias.name) {
                self.compile_time_import(&super::nested::import_binding(alias), &format!("import {}", alias.name), span(alias));
            }
        }
        for alias in i.names.iter().filter(|a| !super::decl::compile_time(&a.name)) {
            let asp = span(alias);
            let full = alias.name.as_str();
            let module = self.import_module(full, None, 0, asp);
            let (bound, value) = match &alias.asname {
                None => (full.split('.').next().unwrap_or(full).to_string(), module),
                Some(asname) => {
                    let mut v = module;
                    for part in full.split('.').skip(1) {
                        v = self.import_from(v, part, asp);
                    }
                    (asname.to_string(), v)
                }
            };
            if let Some(st) = self.assign_name(&bound, Val::new(value), sp) {
                out.push(st);
            }
        }
    }

    /// `from m import a [as b], ...`: the module is imported once with the names as its
    /// `fromlist`, then each name is taken from it (`IMPORT_FROM`).
    pub(crate) fn check_import_from(&mut self, i: &ast::StmtImportFrom, sp: Span, out: &mut Block) {
        let names: Vec<String> = i.names.iter().map(|a| a.name.to_string()).collect();
        let level = i.level.map_or(0, |l| l.to_u32());
        let module_name = i.module.as_deref().unwrap_or("");
        if names.iter().any(|n| n == "*") {
            if !self.in_module_body() {
                self.unsupported(sp, format!("`from {module_name} import *` is not supported; import the names you use"));
            }
            return; // at module level: refused when the module was read
        }
        if self.refuse_cimport(sp) {
            return;
        }
        if level == 0 && super::decl::compile_time(module_name) {
            for alias in &i.names {
                let bound = alias.asname.as_ref().unwrap_or(&alias.name).to_string();
                self.compile_time_import(&bound, &format!("from {module_name} import {}", alias.name), span(alias));
            }
            return;
        }
        let module = self.import_module(module_name, Some(names), level, sp);
        let (m, bind) = self.bind_once_always(Val::new(module), sp);
        out.extend(bind);
        for alias in &i.names {
            let asp = span(alias);
            let value = self.import_from(m.expr.clone(), &alias.name, asp);
            let bound = alias.asname.as_ref().unwrap_or(&alias.name).to_string();
            if let Some(st) = self.assign_name(&bound, Val::new(value), sp) {
                out.push(st);
            }
        }
    }

    /// A `cimport` below the module level: refused (as Cython does).
    fn refuse_cimport(&mut self, sp: Span) -> bool {
        if !self.env.cimports.contains(&sp.start) {
            return false;
        }
        self.unsupported(sp, "`cimport` is only allowed at module level");
        true
    }

    /// A compile-time import (`import cython`, `from libc.math import sqrt`) below the
    /// module level: nothing runs; it must repeat what the module level imports, where
    /// pycc reads such imports.
    fn compile_time_import(&mut self, bound: &str, text: &str, sp: Span) {
        if self.env.global(bound).is_some() {
            return;
        }
        let d = crate::diagnostics::Diagnostic::error(
            crate::diagnostics::Code::UnsupportedSyntax,
            sp,
            format!("`{text}` is a compile-time import; pycc reads those at module level only"),
        )
        .with_help("move it to the top of the module");
        self.push(d);
    }

    /// `PyImport_ImportModuleLevelObject(name, globals, globals, fromlist, level)`.
    fn import_module(&mut self, name: &str, fromlist: Option<Vec<String>>, level: u32, sp: Span) -> Expr {
        let name = self.const_obj(ConstObj::Str(name.to_string()), sp);
        let globals = Expr::new(ExprKind::Globals, Ty::OBJECT, sp);
        let fromlist = match fromlist {
            Some(names) => self.const_obj(ConstObj::StrTuple(names), sp),
            None => Expr::new(ExprKind::NoneObj, Ty::OBJECT, sp),
        };
        let level = Expr::new(ExprKind::Const(Const::Int(i64::from(level))), Ty::Int(crate::tir::IntKind::Int), sp);
        capi("PyImport_ImportModuleLevelObject", vec![name, globals.clone(), globals, fromlist, level], sp)
    }

    /// `from <module> import <name>`, once `module` is imported.
    fn import_from(&mut self, module: Expr, name: &str, sp: Span) -> Expr {
        let name = self.env.constant(ConstObj::Str(name.to_string()));
        Expr::new(ExprKind::ImportFrom { module: Box::new(module), name }, Ty::OBJECT, sp)
    }
}
