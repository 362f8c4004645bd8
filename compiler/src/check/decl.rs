//! Check: the module level. Reads `# cython:` directives, imports, decorators and function
//! signatures into the [`ModuleEnv`], and reports module-level code pycc does not compile.

use super::expr::{float_literal, int_literal};
use super::scope::{span, Directives, FuncSig, Global, ModKind, ModuleEnv};
use super::builtins::{libc_const, math_const, math_spec};
use super::ty::{dotted, resolve_annotation, resolve_type, Annotation, TypeUse};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{SourceFile, Span};
use crate::syntax::{ast, Directive, ParsedModule};
use crate::abi::ConstObj;
use crate::tir::{self, Const, FuncKind, LocalId, ObjKind, ParamDefault, ParamKind, Ty};
use std::collections::HashMap;

/// Directives Cython accepts that pycc understands or can safely ignore.
pub(crate) const KNOWN_DIRECTIVES: &[&str] = &[
    "cdivision",
    "boundscheck",
    "wraparound",
    "initializedcheck",
    "language_level",
    "infer_types",
    "nonecheck",
    "overflowcheck",
    "cpow",
    "binding",
    "embedsignature",
    "profile",
    "linetrace",
];

fn parse_bool(value: &str) -> Option<bool> {
    match value.trim() {
        "True" | "true" | "1" => Some(true),
        "False" | "false" | "0" => Some(false),
        _ => None,
    }
}

/// Applies one directive (from a `# cython:` comment, a decorator or a `with` block) to `d`.
pub(crate) fn apply_directive(d: &mut Directives, name: &str, value: &str, span: Span, diags: &mut Vec<Diagnostic>) {
    if !KNOWN_DIRECTIVES.contains(&name) {
        diags.push(Diagnostic::warning(Code::InvalidDirective, span, format!("unknown directive `{name}`; it is ignored")));
        return;
    }
    match name {
        "language_level" => match value.trim() {
            "3" | "3str" => {}
            other => diags.push(Diagnostic::warning(
                Code::InvalidDirective,
                span,
                format!("`language_level={other}` is not supported; pycc always uses Python 3 semantics"),
            )),
        },
        "infer_types" if value.trim() == "None" => {}
        _ => match parse_bool(value) {
            Some(b) => match name {
                "cdivision" => d.cdivision = b,
                "overflowcheck" => d.overflowcheck = b,
                "boundscheck" => d.boundscheck = b,
                "wraparound" => d.wraparound = b,
                _ => {}
            },
            None => diags.push(Diagnostic::error(
                Code::InvalidDirective,
                span,
                format!("directive `{name}` expects `True` or `False`, found `{}`", value.trim()),
            )),
        },
    }
}

pub(crate) fn read_directives(list: &[Directive], diags: &mut Vec<Diagnostic>) -> Directives {
    let mut d = Directives::default();
    for dir in list {
        apply_directive(&mut d, &dir.name, &dir.value, dir.span, diags);
    }
    d
}

/// The docstring of a body, if its first statement is a string.
pub(crate) fn docstring(body: &[ast::Stmt]) -> Option<String> {
    match body.first() {
        Some(ast::Stmt::Expr(e)) => match &*e.value {
            ast::Expr::Constant(c) => match &c.value {
                ast::Constant::Str(s) => Some(s.clone()),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// The module level, split: the functions (indexed by `FuncId`) and the module's own code
/// (every other statement, in source order; empty if there is none).
pub(crate) struct ModuleParts<'p> {
    pub defs: Vec<&'p ast::StmtFunctionDef>,
    pub body: Vec<ast::Stmt>,
}

/// Reads the module level: imports into `env.globals`, function signatures into
/// `env.funcs`, C globals into `env.cglobals`, and every name the module's code binds into
/// `env.module_names`.
pub(crate) fn collect_module<'p>(
    file: &SourceFile,
    parsed: &'p ParsedModule,
    env: &mut ModuleEnv,
    diags: &mut Vec<Diagnostic>,
) -> ModuleParts<'p> {
    let body = &parsed.body;
    let skip_doc = usize::from(docstring(body).is_some());
    // Imports and other bindings first, so that decorators and annotations can use them
    // wherever the import is.
    for stmt in &body[skip_doc..] {
        match stmt {
            ast::Stmt::Import(i) => read_import(i, parsed, env, diags),
            ast::Stmt::ImportFrom(i) => read_import_from(i, parsed.cython.cimports.contains(&span(i).start), env, diags),
            ast::Stmt::AnnAssign(a) if c_declaration(env, &a.annotation) => declare_cglobal(env, a, diags),
            _ => {}
        }
    }
    for stmt in &body[skip_doc..] {
        bind_module_names(stmt, env);
    }
    let mut parts = ModuleParts { defs: Vec::new(), body: Vec::new() };
    for stmt in &body[skip_doc..] {
        let sp = span(stmt);
        match stmt {
            ast::Stmt::FunctionDef(f) => {
                let sig = function_sig(file, parsed, env, f, diags);
                if let Some(&prev) = env.func_ids.get(f.name.as_str()) {
                    let prev_span = env.funcs[prev.0 as usize].name_span;
                    diags.push(
                        Diagnostic::error(Code::Redefinition, sig.name_span, format!("function `{}` is defined twice", f.name))
                            .with_secondary(prev_span, "first defined here"),
                    );
                    continue;
                }
                let mut sig = sig;
                defer_defaults(&mut sig, f, env, &mut parts.body);
                let id = tir::FuncId(env.funcs.len() as u32);
                env.func_ids.insert(sig.name.clone(), id);
                env.funcs.push(sig);
                parts.defs.push(f);
            }
            ast::Stmt::ClassDef(_) => diags.push(Diagnostic::error(Code::UnsupportedSyntax, sp, "classes are not supported")),
            ast::Stmt::AsyncFunctionDef(_) => diags.push(Diagnostic::error(Code::UnsupportedSyntax, sp, "`async` functions are not supported")),
            // Compile-time only: `cimport`s, `cython`, the `jit` decorators, `__future__`.
            ast::Stmt::Import(_) | ast::Stmt::ImportFrom(_) if !runs_at_import(stmt, parsed) => {}
            ast::Stmt::Pass(_) => {}
            _ => parts.body.push(stmt.clone()),
        }
    }
    parts
}

/// Gives each deferred default of `sig` (see `ParamDefault::Global`) an `object` C global,
/// and appends to the module's code, at the `def`'s place, the assignment that evaluates
/// the default into it.
fn defer_defaults(sig: &mut FuncSig, f: &ast::StmtFunctionDef, env: &mut ModuleEnv, body: &mut Vec<ast::Stmt>) {
    for param in sig.params.iter_mut() {
        let mut args = f.args.posonlyargs.iter().chain(&f.args.args).chain(&f.args.kwonlyargs);
        let arg = args.find(|a| a.def.arg.as_str() == param.name);
        let (Some(ParamDefault::Global(DEFERRED)), Some(value)) = (param.default, arg.and_then(|a| a.default.as_deref())) else { continue };
        let name = format!("__pycc_default_{}_{}", sig.name, param.name);
        let k = env.cglobals.len() as u32;
        env.cglobals.push(tir::CGlobal { name: name.clone(), ty: Ty::OBJECT, span: span(value) });
        env.globals.insert(name.clone(), Global::CVar(k));
        env.module_names.insert(name.clone());
        param.default = Some(ParamDefault::Global(k));
        let target = ast::Expr::Name(ast::ExprName { range: ast::Ranged::range(value), id: name.into(), ctx: ast::ExprContext::Store });
        body.push(ast::Stmt::Assign(ast::StmtAssign { range: ast::Ranged::range(value), targets: vec![target], value: Box::new(value.clone()), type_comment: None }));
    }
}

/// Whether an import statement of the module binds something at run time: `cimport`s and
/// the imports of `cython`, `libc`, `__future__` and the `jit` decorators (`pycc`, `numba`)
/// only mean something to the compiler.
fn runs_at_import(stmt: &ast::Stmt, parsed: &ParsedModule) -> bool {
    match stmt {
        ast::Stmt::Import(i) => !parsed.cython.cimports.contains(&span(i).start) && !i.names.iter().all(|a| compile_time(&a.name)),
        ast::Stmt::ImportFrom(i) => {
            let relative = i.level.is_some_and(|l| l.to_u32() > 0);
            !parsed.cython.cimports.contains(&span(i).start) && (relative || !compile_time(i.module.as_deref().unwrap_or("")))
        }
        _ => true,
    }
}

/// A module only the compiler reads (`cython`, `libc`, `__future__`, the `jit` decorators'
/// `pycc` and `numba`, `cpython`): importing it does nothing at run time.
pub(crate) fn compile_time(name: &str) -> bool {
    let root = name.split('.').next().unwrap_or(name);
    matches!(root, "cython" | "libc" | "__future__" | "pycc" | "numba" | "cpython")
}

/// A module-level annotation that declares a C global: a Cython declaration
/// (`cdef int counter`) or a `cython.<type>` annotation (pure-Python mode).
pub(crate) fn c_declaration(env: &ModuleEnv, ann: &ast::Expr) -> bool {
    match ann {
        ast::Expr::Name(n) => n.id.starts_with("c:") || matches!(env.global(&n.id), Some(Global::Cython(_))),
        ast::Expr::Attribute(a) => matches!(&*a.value, ast::Expr::Name(b) if matches!(env.global(&b.id), Some(Global::Module(ModKind::Cython)))),
        ast::Expr::Subscript(s) => c_declaration(env, &s.value),
        _ => false,
    }
}

fn declare_cglobal(env: &mut ModuleEnv, a: &ast::StmtAnnAssign, diags: &mut Vec<Diagnostic>) {
    let ast::Expr::Name(n) = &*a.target else {
        diags.push(Diagnostic::error(Code::UnsupportedSyntax, span(&*a.target), "only a name can be declared"));
        return;
    };
    let ty = match resolve_type(env, &a.annotation, TypeUse::Value) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return;
        }
    };
    if ty.is_view() || ty == Ty::Void {
        diags.push(Diagnostic::error(Code::UnsupportedSyntax, span(a), format!("a module-level variable of type `{ty}` is not supported")));
        return;
    }
    let name = n.id.to_string();
    if let Some(Global::CVar(k)) = env.global(&name) {
        let prev = &env.cglobals[*k as usize];
        if prev.ty != ty {
            let d = Diagnostic::error(Code::Redefinition, span(n), format!("`{name}` is declared as `{ty}` here but as `{}` before", prev.ty))
                .with_secondary(prev.span, "first declared here");
            diags.push(d);
        }
        return;
    }
    let k = env.cglobals.len() as u32;
    env.cglobals.push(tir::CGlobal { name: name.clone(), ty, span: span(n) });
    env.globals.insert(name, Global::CVar(k));
}

/// Records the names `stmt` (a module-level statement) binds, in it and in the blocks it
/// contains, and the names functions declare `global`.
fn bind_module_names(stmt: &ast::Stmt, env: &mut ModuleEnv) {
    let mut names = Vec::new();
    module_bindings(stmt, &mut names);
    for n in names {
        if !matches!(env.global(&n), Some(Global::CVar(_))) {
            env.globals.entry(n.clone()).or_insert(Global::Python { what: "global".into() });
        }
        env.module_names.insert(n);
    }
}

fn module_bindings(stmt: &ast::Stmt, out: &mut Vec<String>) {
    match stmt {
        ast::Stmt::FunctionDef(f) => {
            out.push(f.name.to_string());
            global_declarations(&f.body, out);
        }
        ast::Stmt::ClassDef(c) => out.push(c.name.to_string()),
        ast::Stmt::AsyncFunctionDef(f) => out.push(f.name.to_string()),
        ast::Stmt::Assign(a) => a.targets.iter().for_each(|t| target_names(t, out)),
        ast::Stmt::AnnAssign(a) => target_names(&a.target, out),
        ast::Stmt::AugAssign(a) => target_names(&a.target, out),
        ast::Stmt::For(f) => target_names(&f.target, out),
        ast::Stmt::With(w) => w.items.iter().filter_map(|item| item.optional_vars.as_deref()).for_each(|v| target_names(v, out)),
        ast::Stmt::Try(t) => out.extend(t.handlers.iter().filter_map(|h| {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            h.name.as_ref().map(|n| n.to_string())
        })),
        ast::Stmt::Import(i) => {
            for a in &i.names {
                out.push(a.asname.as_ref().map(|n| n.to_string()).unwrap_or_else(|| a.name.split('.').next().unwrap_or(&a.name).to_string()));
            }
        }
        ast::Stmt::ImportFrom(i) => out.extend(i.names.iter().filter(|a| a.name.as_str() != "*").map(|a| a.asname.as_ref().unwrap_or(&a.name).to_string())),
        ast::Stmt::Delete(d) => d.targets.iter().for_each(|t| target_names(t, out)),
        _ => {}
    }
    for block in super::scope::nested_blocks(stmt) {
        block.iter().for_each(|s| module_bindings(s, out));
    }
}

/// The names an assignment target binds.
pub(crate) fn target_names(t: &ast::Expr, out: &mut Vec<String>) {
    match t {
        ast::Expr::Name(n) => out.push(n.id.to_string()),
        ast::Expr::Tuple(t) => t.elts.iter().for_each(|e| target_names(e, out)),
        ast::Expr::List(t) => t.elts.iter().for_each(|e| target_names(e, out)),
        ast::Expr::Starred(s) => target_names(&s.value, out),
        _ => {}
    }
}

/// The names of the `global` declarations in a function body (not in nested functions).
pub(crate) fn global_declarations(body: &[ast::Stmt], out: &mut Vec<String>) {
    for s in body {
        if let ast::Stmt::Global(g) = s {
            out.extend(g.names.iter().map(|n| n.to_string()));
        }
        for block in super::scope::nested_blocks(s) {
            global_declarations(block, out);
        }
    }
}

/// A module or name imported at run time that pycc has no compile-time meaning for.
fn python_import() -> Global {
    Global::Python { what: "module".into() }
}

fn read_import(i: &ast::StmtImport, parsed: &ParsedModule, env: &mut ModuleEnv, diags: &mut Vec<Diagnostic>) {
    let is_cimport = parsed.cython.cimports.contains(&span(i).start);
    for alias in &i.names {
        let name = alias.name.as_str();
        let kind = match name {
            "math" if !is_cimport => Some(ModKind::Math),
            "cython" => Some(ModKind::Cython),
            "pycc" | "numba" => Some(ModKind::Jit),
            "numpy" => Some(ModKind::Numpy),
            "typing" | "typing_extensions" | "mypy_extensions" if !is_cimport => Some(ModKind::Typing),
            _ => None,
        };
        // `import a.b` binds `a`.
        let bound = alias.asname.as_ref().map(|a| a.to_string()).unwrap_or_else(|| name.split('.').next().unwrap_or(name).to_string());
        if kind.is_none() && is_cimport {
            diags.push(unknown_cimport(name, span(alias)));
        }
        env.globals.insert(bound, kind.map_or_else(python_import, Global::Module));
    }
}

/// A `cimport` of a module pycc has no declarations for (a Python import of an unknown
/// module is fine: it runs at import).
fn unknown_cimport(name: &str, sp: Span) -> Diagnostic {
    Diagnostic::error(Code::UnknownImport, sp, format!("module `{name}` is not supported"))
        .with_note("pycc has declarations for `cython`, `libc.math` and `numpy`")
}

fn read_import_from(i: &ast::StmtImportFrom, is_cimport: bool, env: &mut ModuleEnv, diags: &mut Vec<Diagnostic>) {
    let module = i.module.as_ref().map(|m| m.as_str()).unwrap_or("");
    let relative = i.level.is_some_and(|l| l.to_u32() > 0);
    for alias in &i.names {
        let name = alias.name.as_str();
        let asp = span(alias);
        let bound = alias.asname.as_ref().unwrap_or(&alias.name).to_string();
        if name == "*" {
            diags.push(Diagnostic::error(Code::UnsupportedSyntax, asp, format!("`from {module} import *` is not supported; import the names you use")));
            continue;
        }
        let global = match module {
            _ if relative => Some(python_import()),
            "__future__" => continue,
            "math" => {
                if math_spec(name).is_some() {
                    Some(Global::MathFn { name: name.to_string(), libc: false })
                } else {
                    math_const(name).map(Global::MathConst).or_else(|| Some(python_import()))
                }
            }
            "libc.math" => {
                if math_spec(name).is_some() {
                    Some(Global::MathFn { name: name.to_string(), libc: true })
                } else {
                    libc_const(name).map(Global::MathConst)
                }
            }
            "libc" if name == "math" => Some(Global::Module(ModKind::LibcMath)),
            "cython" => Some(Global::Cython(name.to_string())),
            "typing" | "typing_extensions" | "mypy_extensions" => Some(Global::Typing(name.to_string())),
            "pycc" | "numba" if matches!(name, "jit" | "njit") => Some(Global::Jit),
            "libc" | "pycc" | "numba" => None,
            "numpy" if is_cimport => Some(python_import()),
            other if is_cimport => {
                diags.push(unknown_cimport(other, span(i)));
                env.globals.insert(bound, python_import());
                continue;
            }
            _ => Some(python_import()),
        };
        match global {
            Some(g) => {
                env.globals.insert(bound, g);
            }
            None => {
                diags.push(Diagnostic::error(Code::UnknownImport, asp, format!("`{module}.{name}` is not supported by pycc")));
                env.globals.insert(bound, python_import());
            }
        }
    }
}

/// The decorator's name as pycc sees it: `cython.<x>` / a name imported from cython, or jit.
enum DecoratorName {
    Cython(String),
    Jit,
    Other(String),
}

fn decorator_name(env: &ModuleEnv, e: &ast::Expr) -> DecoratorName {
    match e {
        ast::Expr::Name(n) => match env.global(&n.id) {
            Some(Global::Cython(name)) => DecoratorName::Cython(name.clone()),
            Some(Global::Jit) => DecoratorName::Jit,
            None if matches!(n.id.as_str(), "jit" | "njit") => DecoratorName::Jit,
            _ => DecoratorName::Other(n.id.to_string()),
        },
        ast::Expr::Attribute(a) => match &*a.value {
            ast::Expr::Name(base) => match env.global(&base.id) {
                Some(Global::Module(ModKind::Cython)) => DecoratorName::Cython(a.attr.to_string()),
                Some(Global::Module(ModKind::Jit)) if matches!(a.attr.as_str(), "jit" | "njit") => DecoratorName::Jit,
                None if matches!(base.id.as_str(), "pycc" | "numba") && matches!(a.attr.as_str(), "jit" | "njit") => DecoratorName::Jit,
                _ => DecoratorName::Other(dotted(e).unwrap_or_default()),
            },
            _ => DecoratorName::Other(dotted(e).unwrap_or_default()),
        },
        _ => DecoratorName::Other(String::new()),
    }
}

/// What the decorators of one function say.
#[derive(Default)]
struct Decorated {
    kind: Option<FuncKind>,
    nogil: bool,
    inline: bool,
    returns: Option<Ty>,
    locals: HashMap<String, (Ty, Span)>,
}

fn read_decorator(env: &ModuleEnv, dec: &ast::Expr, out: &mut Decorated, directives: &mut Directives, diags: &mut Vec<Diagnostic>) {
    let sp = span(dec);
    let (callee, args, keywords): (&ast::Expr, &[ast::Expr], &[ast::Keyword]) = match dec {
        ast::Expr::Call(c) => (&c.func, &c.args, &c.keywords),
        other => (other, &[], &[]),
    };
    let is_call = matches!(dec, ast::Expr::Call(_));
    match decorator_name(env, callee) {
        DecoratorName::Jit => {
            for k in keywords {
                if k.arg.as_deref() == Some("nogil") {
                    out.nogil |= matches!(&k.value, ast::Expr::Constant(c) if c.value == ast::Constant::Bool(true));
                }
            }
        }
        DecoratorName::Cython(name) => match name.as_str() {
            "cfunc" if !is_call => out.kind = Some(FuncKind::Cdef),
            "ccall" if !is_call => out.kind = Some(FuncKind::Cpdef),
            "inline" if !is_call => out.inline = true,
            "final" if !is_call => {}
            "nogil" if !is_call => out.nogil = true,
            "exceptval" => {}
            "locals" => {
                for k in keywords {
                    let Some(name) = &k.arg else { continue };
                    match resolve_type(env, &k.value, TypeUse::Value) {
                        Ok(t) => {
                            out.locals.insert(name.to_string(), (t, span(k)));
                        }
                        Err(d) => diags.push(d),
                    }
                }
                if !args.is_empty() {
                    diags.push(Diagnostic::error(Code::UnsupportedSyntax, sp, "`cython.locals` takes keyword arguments only (`a=cython.int`)"));
                }
            }
            "returns" => match args {
                [t] => match resolve_type(env, t, TypeUse::Return) {
                    Ok(t) => out.returns = Some(t),
                    Err(d) => diags.push(d),
                },
                _ => diags.push(Diagnostic::error(Code::WrongArgumentCount, sp, "`cython.returns` takes one type")),
            },
            d if KNOWN_DIRECTIVES.contains(&d) && is_call => match args {
                [ast::Expr::Constant(c)] => {
                    let value = match &c.value {
                        ast::Constant::Bool(b) => if *b { "True" } else { "False" }.to_string(),
                        ast::Constant::Int(v) => v.to_string(),
                        ast::Constant::Str(s) => s.clone(),
                        _ => String::new(),
                    };
                    apply_directive(directives, d, &value, sp, diags);
                }
                _ => diags.push(Diagnostic::error(Code::InvalidDirective, sp, format!("`cython.{d}` expects `True` or `False`"))),
            },
            other => diags.push(Diagnostic::error(Code::UnsupportedSyntax, sp, format!("decorator `cython.{other}` is not supported"))),
        },
        DecoratorName::Other(name) => {
            let shown = if name.is_empty() { "this decorator".to_string() } else { format!("decorator `{name}`") };
            diags.push(Diagnostic::error(Code::UnsupportedSyntax, sp, format!("{shown} is not supported")));
        }
    }
}

/// Finds the span of a function's name after its `def`/`cdef` keyword.
fn name_span(file: &SourceFile, def_span: Span, name: &str) -> Span {
    let start = def_span.start as usize;
    let end = (def_span.end as usize).min(file.text.len());
    let text = file.text.get(start..end).unwrap_or("");
    let bytes = text.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut from = 0;
    while let Some(pos) = text.get(from..).and_then(|t| t.find(name)) {
        let at = from + pos;
        let before_ok = at == 0 || !is_ident(bytes[at - 1]);
        let after = at + name.len();
        let after_ok = after >= bytes.len() || !is_ident(bytes[after]);
        if before_ok && after_ok {
            return Span::new((start + at) as u32, (start + after) as u32);
        }
        from = at + name.len().max(1);
    }
    Span::new(def_span.start, def_span.start)
}

pub(crate) fn function_sig(
    file: &SourceFile,
    parsed: &ParsedModule,
    env: &ModuleEnv,
    f: &ast::StmtFunctionDef,
    diags: &mut Vec<Diagnostic>,
) -> FuncSig {
    let sp = span(f);
    let decl = parsed.cython.functions.get(&sp.start);
    let mut directives = env.directives;
    let mut dec = Decorated::default();
    for d in &f.decorator_list {
        read_decorator(env, d, &mut dec, &mut directives, diags);
    }
    let name = f.name.to_string();
    let nspan = name_span(file, sp, &name);
    let kind = decl.map(|d| d.kind).or(dec.kind).unwrap_or(FuncKind::Def);
    if !f.type_params.is_empty() {
        diags.push(Diagnostic::error(Code::UnsupportedSyntax, nspan, "type parameters are not supported"));
    }
    let args = &f.args;
    // Cython compiles `*args`, `**kwargs`, `/` and keyword-only parameters only in `def`
    // functions (its parser refuses them in `cdef` and `cpdef` signatures).
    if !matches!(kind, FuncKind::Def) {
        let what = if kind == FuncKind::Cpdef { "cpdef" } else { "cdef" };
        let refused = [
            args.vararg.as_deref().map(|v| (span(v), "`*args` parameters")),
            args.kwarg.as_deref().map(|v| (span(v), "`**kwargs` parameters")),
            args.kwonlyargs.first().map(|k| (span(&k.def), "keyword-only parameters")),
            args.posonlyargs.first().map(|k| (span(&k.def), "positional-only parameters (`/`)")),
        ];
        for (psp, feature) in refused.into_iter().flatten() {
            diags.push(
                Diagnostic::error(Code::UnsupportedSyntax, psp, format!("a `{what}` function cannot have {feature}"))
                    .with_note("Cython allows them only in `def` functions"),
            );
        }
    }
    let named = args
        .posonlyargs
        .iter()
        .map(|a| (a, ParamKind::PosOnly))
        .chain(args.args.iter().map(|a| (a, ParamKind::Positional)))
        .chain(args.kwonlyargs.iter().map(|a| (a, ParamKind::KwOnly)));
    let mut params: Vec<tir::Param> = Vec::new();
    for (a, pkind) in named {
        let pname = a.def.arg.to_string();
        let psp = span(&a.def);
        if params.iter().any(|p| p.name == pname) {
            diags.push(Diagnostic::error(Code::Redefinition, psp, format!("duplicate parameter `{pname}`")));
        }
        let ann = match (&a.def.annotation, dec.locals.get(&pname)) {
            (Some(ann), _) => match resolve_annotation(env, ann, TypeUse::Value) {
                Ok(t) => t,
                Err(d) => {
                    diags.push(d);
                    Annotation { ty: Ty::PY_INT, optional: false, not_none: false, annotated: false }
                }
            },
            (None, Some((t, _))) => Annotation { ty: *t, optional: false, not_none: false, annotated: false },
            // Untyped: a Python object, as in Cython (and in `.py`, until call-site
            // specialisation comes).
            (None, None) => Annotation { ty: Ty::OBJECT, optional: false, not_none: false, annotated: false },
        };
        let ty = ann.ty;
        let default = a.default.as_deref().and_then(|d| match default_value(env, parsed, d, ty, sp.start) {
            Ok(c) => Some(c),
            Err(diag) => {
                diags.push(diag);
                None
            }
        });
        // Cython's `None` rule for a parameter of a builtin type: a `.pyx` declaration
        // (`list xs`) takes `None` unless `not None`; an annotation (`xs: list`) refuses it
        // unless `Optional[...]` or a `None` default.
        let none_default = a.default.as_deref().is_some_and(|d| matches!(d, ast::Expr::Constant(c) if matches!(c.value, ast::Constant::None)));
        let not_none = match ty {
            Ty::Object(k) if k != ObjKind::Any => {
                if ann.annotated { !ann.optional && !none_default } else { ann.not_none }
            }
            _ => false,
        };
        params.push(tir::Param { local: LocalId(params.len() as u32), name: pname, ty, default, not_none, annotated: ann.annotated, kind: pkind, span: psp });
    }
    // `*args` is a tuple and `**kwargs` a dict, never `None` (their annotations, which
    // type each item, are not used).
    for (v, pkind, obj) in [(&args.vararg, ParamKind::VarArgs, ObjKind::Tuple), (&args.kwarg, ParamKind::VarKw, ObjKind::Dict)] {
        let Some(v) = v.as_deref() else { continue };
        let pname = v.arg.to_string();
        let psp = span(v);
        if params.iter().any(|p| p.name == pname) {
            diags.push(Diagnostic::error(Code::Redefinition, psp, format!("duplicate parameter `{pname}`")));
        }
        params.push(tir::Param {
            local: LocalId(params.len() as u32),
            name: pname,
            ty: Ty::Object(obj),
            default: None,
            not_none: true,
            annotated: false,
            kind: pkind,
            span: psp,
        });
    }
    let declared_ret = match &f.returns {
        Some(r) => match resolve_type(env, r, TypeUse::Return) {
            Ok(t) => Some(t),
            Err(d) => {
                diags.push(d);
                Some(Ty::PY_INT)
            }
        },
        None => dec.returns,
    };
    FuncSig {
        name,
        span: sp,
        name_span: nspan,
        kind,
        doc: docstring(&f.body),
        params,
        declared_ret,
        locals: dec.locals,
        directives,
        nogil: decl.is_some_and(|d| d.nogil) || dec.nogil,
        inline: decl.is_some_and(|d| d.inline) || dec.inline,
    }
}

/// The placeholder of a `ParamDefault::Global` before `collect_module` gives it a C global.
pub(crate) const DEFERRED: u32 = u32::MAX;

/// A parameter default: a number, `True`/`False`, or a `math` constant, converted to the
/// parameter's type at compile time; for an object parameter also `None`, a string, bytes,
/// a big integer, a float special (`float("inf")`), a tuple of those, or a module-level
/// name assigned once to such a value before the function (`def f(n=N)`): the module's
/// constant object.
#[allow(clippy::result_large_err)] // diagnostics are returned by value, as everywhere in `check/`
pub(crate) fn default_value(env: &ModuleEnv, parsed: &ParsedModule, e: &ast::Expr, ty: Ty, def_start: u32) -> Result<ParamDefault, Diagnostic> {
    let sp = span(e);
    if let Ty::Object(kind) = ty {
        // A module-level name bound to a list or dict is that object when the `def` runs
        // (the same list, not a copy), so it is evaluated then too.
        let value = object_default(env, parsed, e, def_start, 0);
        let mutable = matches!(e, ast::Expr::Name(_)) && matches!(value, Some(ConstObj::List { .. } | ConstObj::Dict { .. }));
        if kind == ObjKind::Any && env.deferred_defaults && (mutable || value.is_none()) {
            // Evaluated when the `def` runs: `collect_module` gives it its C global.
            return Ok(ParamDefault::Global(DEFERRED));
        }
        let value = object_default(env, parsed, e, def_start, 0).ok_or_else(|| {
            Diagnostic::error(
                Code::UnsupportedSyntax,
                sp,
                "parameter defaults must be constants: numbers, strings, bytes, `None`, `True`/`False`, tuples, lists and dicts of those, or module-level names bound to one",
            )
        })?;
        let fits = matches!(
            (&value, kind),
            (_, ObjKind::Any)
                | (ConstObj::None, _)
                | (ConstObj::Str(_), ObjKind::Str)
                | (ConstObj::Bytes(_), ObjKind::Bytes)
                | (ConstObj::Tuple(_), ObjKind::Tuple)
                | (ConstObj::List { .. }, ObjKind::List)
                | (ConstObj::Dict { .. }, ObjKind::Dict)
        );
        if !fits {
            return Err(Diagnostic::error(
                Code::InvalidAssignment,
                sp,
                format!("default value of type `{}` does not fit a parameter of type `{ty}`", const_obj_type(&value)),
            ));
        }
        // Numbers stay scalars (the runtime makes the Python number); the rest are constants.
        return Ok(match value {
            ConstObj::Int(v) => ParamDefault::Const(Const::Int(v)),
            ConstObj::Float(bits) => ParamDefault::Const(Const::Float(f64::from_bits(bits))),
            ConstObj::Bool(b) => ParamDefault::Const(Const::Bool(b)),
            other => ParamDefault::Object(env.constant(other)),
        });
    }
    if matches!(e, ast::Expr::Constant(c) if matches!(c.value, ast::Constant::None)) {
        let msg = format!("cannot assign `None` to `{ty}`");
        let d = Diagnostic::error(Code::InvalidAssignment, sp, msg);
        return Err(if env.is_pyx {
            d.with_help("declare the parameter as an object (`object x=None`) to accept `None`")
        } else {
            d.with_help("annotate it `Optional[...]` (an object that may be `None`); pycc's `int` and `float` are C values")
        });
    }
    let e = module_constant(parsed, e, def_start).unwrap_or(e);
    default_const(env, e, ty).map(ParamDefault::Const)
}

/// The Python type name of a constant object, for messages.
fn const_obj_type(c: &ConstObj) -> &'static str {
    match c {
        ConstObj::Str(_) => "str",
        ConstObj::Bytes(_) => "bytes",
        ConstObj::BigInt(_) | ConstObj::Int(_) => "int",
        ConstObj::Float(_) => "float",
        ConstObj::Bool(_) => "bool",
        ConstObj::None => "None",
        ConstObj::Tuple(_) | ConstObj::StrTuple(_) => "tuple",
        ConstObj::List { .. } => "list",
        ConstObj::Dict { .. } => "dict",
        ConstObj::Func { .. } => "function",
        ConstObj::Type(_) => "type",
    }
}

/// The value a module-level name has when the function is defined, if pycc can see it: the
/// name is bound exactly once at module level, by `NAME = value` (or `NAME: T = value`)
/// before the `def`.
fn module_constant<'p>(parsed: &'p ParsedModule, e: &ast::Expr, def_start: u32) -> Option<&'p ast::Expr> {
    let ast::Expr::Name(n) = e else { return None };
    let name = n.id.as_str();
    let mut found = None;
    let mut bindings = 0;
    for stmt in &parsed.body {
        let (targets, value): (Vec<&ast::Expr>, Option<&ast::Expr>) = match stmt {
            ast::Stmt::Assign(a) => (a.targets.iter().collect(), Some(&*a.value)),
            ast::Stmt::AnnAssign(a) => (vec![&*a.target], a.value.as_deref()),
            ast::Stmt::AugAssign(a) => (vec![&*a.target], None),
            ast::Stmt::FunctionDef(f) if f.name.as_str() == name => (vec![], None),
            _ => continue,
        };
        if let ast::Stmt::FunctionDef(_) = stmt {
            bindings += 1;
            continue;
        }
        for t in targets {
            if matches!(t, ast::Expr::Name(tn) if tn.id.as_str() == name) {
                bindings += 1;
                if span(stmt).start < def_start {
                    found = value;
                }
            } else if !matches!(t, ast::Expr::Name(_)) {
                // `a, b = ...`, `x.y = ...`: a binding pycc does not follow.
                if binds_name(t, name) {
                    bindings += 2;
                }
            }
        }
    }
    if bindings == 1 { found } else { None }
}

fn binds_name(t: &ast::Expr, name: &str) -> bool {
    match t {
        ast::Expr::Name(n) => n.id.as_str() == name,
        ast::Expr::Tuple(t) => t.elts.iter().any(|e| binds_name(e, name)),
        ast::Expr::List(l) => l.elts.iter().any(|e| binds_name(e, name)),
        ast::Expr::Starred(s) => binds_name(&s.value, name),
        _ => false,
    }
}

/// The deepest nesting of tuples and names in a default value.
const MAX_DEFAULT_DEPTH: u32 = 16;

/// A default of an object parameter as a constant object, if it is one.
fn object_default(env: &ModuleEnv, parsed: &ParsedModule, e: &ast::Expr, def_start: u32, depth: u32) -> Option<ConstObj> {
    if depth > MAX_DEFAULT_DEPTH {
        return None;
    }
    if let Some(v) = int_literal(e).or_else(|| folded_int(e, 0)) {
        return Some(match i64::try_from(v) {
            Ok(v) => ConstObj::Int(v),
            Err(_) => ConstObj::BigInt(v.to_string()),
        });
    }
    if let Some(f) = float_literal(e).or_else(|| const_name(env, e)).or_else(|| float_special(e)) {
        return Some(ConstObj::Float(f.to_bits()));
    }
    match e {
        ast::Expr::Constant(c) => match &c.value {
            ast::Constant::None => Some(ConstObj::None),
            ast::Constant::Bool(b) => Some(ConstObj::Bool(*b)),
            ast::Constant::Str(s) => Some(ConstObj::Str(s.clone())),
            ast::Constant::Bytes(b) => Some(ConstObj::Bytes(b.clone())),
            // An integer beyond 128 bits.
            ast::Constant::Int(v) => Some(ConstObj::BigInt(v.to_string())),
            _ => None,
        },
        ast::Expr::UnaryOp(u) if matches!(u.op, ast::UnaryOp::USub) => match &*u.operand {
            ast::Expr::Constant(c) => match &c.value {
                ast::Constant::Int(v) => Some(ConstObj::BigInt(format!("-{v}"))),
                _ => None,
            },
            _ => None,
        },
        ast::Expr::Tuple(t) => {
            let items = t.elts.iter().map(|item| object_default(env, parsed, item, def_start, depth + 1).map(|c| env.constant(c))).collect::<Option<Vec<u32>>>()?;
            Some(ConstObj::Tuple(items))
        }
        // A mutable default, made once when the function is (shared by its calls, as in
        // CPython). Items must be immutable constants (a nested list would be shared with
        // another default equal to it).
        ast::Expr::List(l) if depth == 0 => {
            let items = immutable_items(env, parsed, l.elts.iter(), def_start, depth)?;
            Some(ConstObj::List { items, site: span(e).start })
        }
        ast::Expr::Dict(d) if depth == 0 && d.keys.iter().all(Option::is_some) => {
            let pairs = d.keys.iter().flatten().zip(&d.values).flat_map(|(k, v)| [k, v]);
            let items = immutable_items(env, parsed, pairs, def_start, depth)?;
            Some(ConstObj::Dict { items, site: span(e).start })
        }
        ast::Expr::Name(_) => object_default(env, parsed, module_constant(parsed, e, def_start)?, def_start, depth + 1),
        _ => None,
    }
}

/// An integer expression of literals (`2**100`, `-(1 << 70)`, `10 * 3 + 1`), folded when
/// every step fits in 128 bits.
fn folded_int(e: &ast::Expr, depth: u32) -> Option<i128> {
    if depth > MAX_DEFAULT_DEPTH {
        return None;
    }
    if let Some(v) = int_literal(e) {
        return Some(v);
    }
    match e {
        ast::Expr::UnaryOp(u) => match u.op {
            ast::UnaryOp::USub => folded_int(&u.operand, depth + 1)?.checked_neg(),
            ast::UnaryOp::UAdd => folded_int(&u.operand, depth + 1),
            ast::UnaryOp::Invert => Some(!folded_int(&u.operand, depth + 1)?),
            _ => None,
        },
        ast::Expr::BinOp(b) => {
            let (l, r) = (folded_int(&b.left, depth + 1)?, folded_int(&b.right, depth + 1)?);
            match b.op {
                ast::Operator::Add => l.checked_add(r),
                ast::Operator::Sub => l.checked_sub(r),
                ast::Operator::Mult => l.checked_mul(r),
                ast::Operator::Pow if (0..128).contains(&r) => l.checked_pow(r as u32),
                ast::Operator::LShift if (0..127).contains(&r) => l.checked_mul(1i128 << r),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The items of a mutable default, each an immutable constant.
fn immutable_items<'e>(env: &ModuleEnv, parsed: &ParsedModule, items: impl Iterator<Item = &'e ast::Expr>, def_start: u32, depth: u32) -> Option<Vec<u32>> {
    items
        .map(|item| match object_default(env, parsed, item, def_start, depth + 1)? {
            ConstObj::List { .. } | ConstObj::Dict { .. } => None,
            c => Some(env.constant(c)),
        })
        .collect()
}

/// `float("inf")`, `float("-inf")`, `float("nan")` (any case, as `float` reads them).
fn float_special(e: &ast::Expr) -> Option<f64> {
    match e {
        ast::Expr::Call(c) if c.keywords.is_empty() && matches!(&*c.func, ast::Expr::Name(n) if n.id.as_str() == "float") => match c.args.as_slice() {
            [ast::Expr::Constant(k)] => match &k.value {
                ast::Constant::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
                    "inf" | "+inf" | "infinity" | "+infinity" => Some(f64::INFINITY),
                    "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
                    "nan" | "+nan" | "-nan" => Some(f64::NAN),
                    _ => s.trim().parse::<f64>().ok().filter(|_| s.trim().chars().all(|c| c.is_ascii_digit() || ".eE+-".contains(c))),
                },
                _ => None,
            },
            _ => None,
        },
        ast::Expr::UnaryOp(u) if matches!(u.op, ast::UnaryOp::USub) => float_special(&u.operand).map(|v| -v),
        _ => None,
    }
}

/// A parameter default: a number, `True`/`False`, or a `math` constant, converted to the
/// parameter's type at compile time.
#[allow(clippy::result_large_err)] // as `default_value`
fn default_const(env: &ModuleEnv, e: &ast::Expr, ty: Ty) -> Result<Const, Diagnostic> {
    let sp = span(e);
    let value = if let Some(v) = int_literal(e) {
        match i64::try_from(v) {
            Ok(v) => Const::Int(v),
            Err(_) => return Err(Diagnostic::error(Code::UnsupportedSyntax, sp, "integer literal does not fit in 64 bits")),
        }
    } else if let Some(f) = float_literal(e).or_else(|| float_special(e)) {
        Const::Float(f)
    } else if let Some(f) = const_name(env, e) {
        Const::Float(f)
    } else if let ast::Expr::Constant(ast::ExprConstant { value: ast::Constant::Bool(b), .. }) = e {
        Const::Bool(*b)
    } else {
        return Err(Diagnostic::error(Code::UnsupportedSyntax, sp, "parameter defaults must be numbers, `True`/`False` or `math` constants"));
    };
    let mismatch = |what: &str| Diagnostic::error(Code::InvalidAssignment, sp, format!("default value {what} does not fit a parameter of type `{ty}`"));
    Ok(match (value, ty) {
        (Const::Int(v), Ty::Int(_)) if super::ty::int_fits(v as i128, ty) => Const::Int(v),
        (Const::Int(v), Ty::Int(_)) => return Err(mismatch(&format!("`{v}`"))),
        (Const::Int(v), Ty::Float(k)) => Const::Float(round_to(v as f64, k)),
        (Const::Int(v), Ty::Bool) => Const::Bool(v != 0),
        (Const::Float(f), Ty::Float(k)) => Const::Float(round_to(f, k)),
        (Const::Float(_), _) => return Err(mismatch("of type `double`")),
        (Const::Bool(b), Ty::Bool) => Const::Bool(b),
        (Const::Bool(b), Ty::Int(_)) => Const::Int(i64::from(b)),
        (Const::Bool(b), Ty::Float(_)) => Const::Float(if b { 1.0 } else { 0.0 }),
        (_, Ty::Void | Ty::View(_) | Ty::Object(_)) => return Err(mismatch("")),
    })
}

fn round_to(f: f64, k: tir::FloatKind) -> f64 {
    match k {
        tir::FloatKind::Float => f as f32 as f64,
        tir::FloatKind::Double => f,
    }
}

/// `math.pi`, `pi` (imported), `-math.pi`.
fn const_name(env: &ModuleEnv, e: &ast::Expr) -> Option<f64> {
    match e {
        ast::Expr::Name(n) => match env.global(&n.id) {
            Some(Global::MathConst(v)) => Some(*v),
            _ => None,
        },
        ast::Expr::Attribute(a) => match &*a.value {
            ast::Expr::Name(b) => match env.global(&b.id) {
                Some(Global::Module(ModKind::Math)) => math_const(&a.attr),
                Some(Global::Module(ModKind::LibcMath)) => libc_const(&a.attr),
                _ => None,
            },
            _ => None,
        },
        ast::Expr::UnaryOp(u) if matches!(u.op, ast::UnaryOp::USub) => const_name(env, &u.operand).map(|v| -v),
        _ => None,
    }
}
