//! Check: lambdas and nested `def`s, the functions without free variables. Before any body
//! is checked, every `lambda` and every `def` below the module level (in a function, or in
//! a block of the module's code) is found and becomes a hidden function of the module: a
//! signature in `ModuleEnv::funcs` (after the module's own functions and its body), a body
//! of its own, and a `ConstObj::Func` constant the runtime fills with its function object
//! (with CPython's `__qualname__`, `outer.<locals>.<lambda>`). Evaluating the `lambda` (or
//! running the `def`) is then a load of that constant; defaults that must be computed
//! when it runs make a copy with those defaults (`__pycc_with_defaults__`).
//!
//! Scopes follow Python's rules: a name a function binds anywhere is its local, and a read
//! of a name that an enclosing function (or comprehension) binds is a free variable. Free
//! variables need closures, which come later: each is refused here, naming the variable.
//! Globals and builtins are not free variables.

use super::decl;
use super::scope::{span, ModKind, ModuleEnv};
use crate::abi::ConstObj;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{SourceFile, Span};
use crate::syntax::depth::{children, Borrowed, Node};
use crate::syntax::ast::Ranged;
use crate::syntax::{ast, ParsedModule};
use crate::tir::{FuncId, FuncKind, ParamDefault, Ty};
use std::collections::{HashMap, HashSet};

/// A lambda or nested `def`, keyed by the start of its node in `ModuleEnv::nested`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NestedFn {
    /// The hidden function and the `ConstObj::Func` constant with its function object;
    /// `None` if it was refused (the error is reported).
    pub made: Option<(FuncId, u32)>,
    /// The defaults are evaluated when the `lambda`/`def` runs (they read locals, or are
    /// not constants): each evaluation makes a new function object.
    pub dynamic_defaults: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ScopeKind {
    Function,
    Comprehension,
}

/// An enclosing scope whose names are locals (the module's are globals: not listed).
struct Scope {
    kind: ScopeKind,
    /// The function's name, for messages.
    name: String,
    bound: HashSet<String>,
}

/// Finds the module's lambdas and nested functions (in the bodies of `defs` and in the
/// module's code `body`), adds their signatures to `env.funcs` and `env.nested`, and
/// returns their bodies, in `FuncId` order after the functions already in `env`.
pub(crate) fn collect_nested(
    file: &SourceFile,
    parsed: &ParsedModule,
    env: &mut ModuleEnv,
    defs: &[&ast::StmtFunctionDef],
    body: &[ast::Stmt],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Vec<ast::Stmt>> {
    let mut finder = Finder { file, parsed, env, diags, bodies: Vec::new(), reported: HashSet::new() };
    for f in defs {
        let mut chain = vec![Scope { kind: ScopeKind::Function, name: f.name.to_string(), bound: function_locals(&f.args, &f.body) }];
        let prefix = format!("{}.<locals>.", f.name);
        for s in &f.body {
            finder.find(Node::Stmt(s), &mut chain, &prefix);
        }
    }
    for s in body {
        finder.find(Node::Stmt(s), &mut Vec::new(), "");
    }
    finder.bodies
}

struct Finder<'a, 'p> {
    file: &'a SourceFile,
    parsed: &'p ParsedModule,
    env: &'a mut ModuleEnv,
    diags: &'a mut Vec<Diagnostic>,
    bodies: Vec<Vec<ast::Stmt>>,
    /// The reads already reported as closures (an inner function's free variable is its
    /// enclosing lambda's too: one error).
    reported: HashSet<u32>,
}

impl Finder<'_, '_> {
    fn find(&mut self, node: Borrowed<'_>, chain: &mut Vec<Scope>, prefix: &str) {
        match node {
            Node::Expr(ast::Expr::Lambda(l)) => {
                for d in defaults_of(&l.args) {
                    self.find(Node::Expr(d), chain, prefix);
                }
                let synthetic = ast::StmtFunctionDef {
                    name: ast::Identifier::new("<lambda>"),
                    args: l.args.clone(),
                    body: vec![ast::Stmt::Return(ast::StmtReturn { value: Some(l.body.clone()), range: l.body.range() })],
                    decorator_list: Vec::new(),
                    returns: None,
                    type_comment: None,
                    type_params: Vec::new(),
                    range: l.range,
                };
                let free = function_free(&l.args, &[Node::Expr(&l.body)], &HashSet::new(), &HashSet::new());
                self.register(synthetic, free, chain, prefix, span(l).start);
                chain.push(Scope { kind: ScopeKind::Function, name: "<lambda>".into(), bound: param_names(&l.args) });
                self.find(Node::Expr(&l.body), chain, &format!("{prefix}<lambda>.<locals>."));
                chain.pop();
            }
            Node::Stmt(ast::Stmt::FunctionDef(f)) => {
                for d in &f.decorator_list {
                    self.find(Node::Expr(d), chain, prefix);
                }
                for d in defaults_of(&f.args) {
                    self.find(Node::Expr(d), chain, prefix);
                }
                let bound = function_locals(&f.args, &f.body);
                let nodes: Vec<Borrowed<'_>> = f.body.iter().map(Node::Stmt).collect();
                let globals = declared_globals(&f.body);
                let free = function_free(&f.args, &nodes, &bound, &globals);
                self.register(f.clone(), free, chain, prefix, span(f).start);
                chain.push(Scope { kind: ScopeKind::Function, name: f.name.to_string(), bound });
                let inner = format!("{prefix}{}.<locals>.", f.name);
                for s in &f.body {
                    self.find(Node::Stmt(s), chain, &inner);
                }
                chain.pop();
            }
            // Refused where it is checked.
            Node::Stmt(ast::Stmt::ClassDef(_) | ast::Stmt::AsyncFunctionDef(_)) => {}
            Node::Expr(e @ (ast::Expr::ListComp(_) | ast::Expr::SetComp(_) | ast::Expr::DictComp(_) | ast::Expr::GeneratorExp(_))) => {
                let (generators, parts, label) = comprehension_parts(e);
                if let Some(first) = generators.first() {
                    self.find(Node::Expr(&first.iter), chain, prefix);
                }
                let mut bound = Vec::new();
                for g in generators {
                    decl::target_names(&g.target, &mut bound);
                }
                chain.push(Scope { kind: ScopeKind::Comprehension, name: label.into(), bound: bound.into_iter().collect() });
                let inner = format!("{prefix}{label}.");
                for (i, g) in generators.iter().enumerate() {
                    if i > 0 {
                        self.find(Node::Expr(&g.iter), chain, &inner);
                    }
                    for cond in &g.ifs {
                        self.find(Node::Expr(cond), chain, &inner);
                    }
                }
                for p in parts {
                    self.find(Node::Expr(p), chain, &inner);
                }
                chain.pop();
            }
            other => {
                for child in children(other) {
                    self.find(child, chain, prefix);
                }
            }
        }
    }

    /// Makes `def` (a nested `def`, or a lambda as one) a hidden function of the module,
    /// unless it reads a free variable (`free`) of `chain`.
    fn register(&mut self, mut def: ast::StmtFunctionDef, free: Vec<(String, Span)>, chain: &[Scope], prefix: &str, start: u32) {
        let is_lambda = def.name.as_str() == "<lambda>";
        let what = if is_lambda { "this lambda".to_string() } else { format!("the nested function `{}`", def.name) };
        let mut refused = false;
        for (name, sp) in &free {
            let Some(scope) = chain.iter().rev().find(|s| s.bound.contains(name)) else { continue };
            refused = true;
            if !self.reported.insert(sp.start) {
                continue;
            }
            let owner = match scope.kind {
                ScopeKind::Function if scope.name == "<lambda>" => "a parameter of the enclosing lambda".to_string(),
                ScopeKind::Function => format!("a local variable of `{}`", scope.name),
                ScopeKind::Comprehension => format!("a variable of the enclosing {}", scope.name.trim_matches(['<', '>'])),
            };
            self.diags.push(
                Diagnostic::error(Code::UnsupportedSyntax, *sp, format!("{what} reads `{name}`, {owner}: closures are not supported yet"))
                    .with_note("a lambda or nested function may read its parameters, its own locals, the module's globals and the builtins; capturing a variable of an enclosing function (a closure) comes later")
                    .with_help(format!("pass the value in explicitly, for instance as a default argument (`{name}={name}`) or a parameter")),
            );
        }
        // Defaults: immutable constants are made once, with the function; any other default
        // (one that reads a name, a list or dict display, anything not a constant) makes
        // every default computed when the `lambda`/`def` runs, as CPython computes them.
        let defaults: Vec<&ast::Expr> = defaults_of(&def.args).collect();
        let dynamic = defaults.iter().any(|d| {
            let mut reads = Vec::new();
            reads_into(Node::Expr(d), &mut reads);
            !reads.is_empty()
                || has_mutable_display(d)
                || !matches!(decl::default_value(self.env, self.parsed, d, Ty::OBJECT, start), Ok(v) if v != ParamDefault::Global(decl::DEFERRED))
        });
        if dynamic {
            for a in def.args.posonlyargs.iter_mut().chain(def.args.args.iter_mut()) {
                let Some(d) = &a.default else { continue };
                if a.def.annotation.is_some() {
                    let msg = format!("the default of `{}` is computed when the `def` runs, which pycc supports for untyped parameters only", a.def.arg);
                    self.diags.push(
                        Diagnostic::error(Code::UnsupportedSyntax, span(&**d), msg)
                            .with_help("make the default a constant, or leave the parameter untyped"),
                    );
                    refused = true;
                    continue;
                }
                let range = d.range();
                a.default = Some(Box::new(ast::Expr::Constant(ast::ExprConstant { value: ast::Constant::None, kind: None, range })));
            }
            if def.args.kwonlyargs.iter().any(|k| k.default.is_some()) {
                self.diags.push(Diagnostic::error(
                    Code::UnsupportedSyntax,
                    span(&def),
                    "keyword-only parameters with defaults computed when the function is made are not supported",
                ));
                refused = true;
            }
        }
        if refused {
            self.env.nested.insert(start, NestedFn { made: None, dynamic_defaults: dynamic });
            return;
        }
        let errors_before = self.diags.iter().filter(|d| d.is_error()).count();
        let mut sig = decl::function_sig(self.file, self.parsed, self.env, &def, self.diags);
        // A signature pycc refuses (`*args`, a decorator, ...): its body is not checked.
        refused |= self.diags.iter().filter(|d| d.is_error()).count() > errors_before;
        if is_lambda {
            sig.name_span = Span::new(start, start + "lambda".len() as u32);
        }
        if sig.kind != FuncKind::Def {
            self.diags.push(Diagnostic::error(
                Code::UnsupportedSyntax,
                sig.name_span,
                "a `cdef`/`cpdef` function inside a function is not supported; define it at module level",
            ));
            refused = true;
        }
        if refused {
            self.env.nested.insert(start, NestedFn { made: None, dynamic_defaults: dynamic });
            return;
        }
        let id = FuncId(self.env.funcs.len() as u32);
        // Its index among the functions the runtime gets (`ModuleDesc::functions`).
        let exported = self.env.funcs.iter().filter(|s| s.kind.is_exported()).count() as u32;
        self.env.funcs.push(sig);
        let konst = self.env.constant(ConstObj::Func { func: exported, qualname: format!("{prefix}{}", def.name) });
        self.env.nested.insert(start, NestedFn { made: Some((id, konst)), dynamic_defaults: dynamic });
        self.bodies.push(def.body);
    }
}

/// Whether a list, dict or set display is in `e` (a new object each time it runs).
fn has_mutable_display(e: &ast::Expr) -> bool {
    match e {
        ast::Expr::List(_) | ast::Expr::Dict(_) | ast::Expr::Set(_) => true,
        ast::Expr::Tuple(t) => t.elts.iter().any(has_mutable_display),
        _ => false,
    }
}

/// The defaults of positional parameters, in order.
fn defaults_of(args: &ast::Arguments) -> impl Iterator<Item = &ast::Expr> {
    args.posonlyargs.iter().chain(&args.args).filter_map(|a| a.default.as_deref())
}

fn param_names(args: &ast::Arguments) -> HashSet<String> {
    let mut out: HashSet<String> =
        args.posonlyargs.iter().chain(&args.args).chain(&args.kwonlyargs).map(|a| a.def.arg.to_string()).collect();
    out.extend(args.vararg.iter().chain(&args.kwarg).map(|a| a.arg.to_string()));
    out
}

/// A function's locals: its parameters and every name its body binds, less its `global`s.
fn function_locals(args: &ast::Arguments, body: &[ast::Stmt]) -> HashSet<String> {
    let globals = declared_globals(body);
    let mut out = param_names(args);
    out.extend(bound_names(body));
    out.retain(|n| !globals.contains(n));
    out
}

fn declared_globals(body: &[ast::Stmt]) -> HashSet<String> {
    let mut names = Vec::new();
    decl::global_declarations(body, &mut names);
    names.into_iter().collect()
}

/// The names a function body binds (Python's rule: assigned anywhere, imported, defined),
/// not looking into nested functions or comprehensions.
pub(crate) fn bound_names(body: &[ast::Stmt]) -> Vec<String> {
    let mut out = Vec::new();
    bind_block(body, &mut out);
    out
}

fn bind_block(body: &[ast::Stmt], out: &mut Vec<String>) {
    for s in body {
        match s {
            ast::Stmt::FunctionDef(f) => out.push(f.name.to_string()),
            ast::Stmt::AsyncFunctionDef(f) => out.push(f.name.to_string()),
            ast::Stmt::ClassDef(c) => out.push(c.name.to_string()),
            ast::Stmt::Assign(a) => a.targets.iter().for_each(|t| decl::target_names(t, out)),
            ast::Stmt::AugAssign(a) => decl::target_names(&a.target, out),
            ast::Stmt::AnnAssign(a) => decl::target_names(&a.target, out),
            ast::Stmt::For(f) => decl::target_names(&f.target, out),
            ast::Stmt::With(w) => w.items.iter().filter_map(|i| i.optional_vars.as_deref()).for_each(|v| decl::target_names(v, out)),
            ast::Stmt::Delete(d) => d.targets.iter().for_each(|t| decl::target_names(t, out)),
            ast::Stmt::Try(t) => out.extend(t.handlers.iter().filter_map(|h| {
                let ast::ExceptHandler::ExceptHandler(h) = h;
                h.name.as_ref().map(|n| n.to_string())
            })),
            ast::Stmt::Import(i) => out.extend(i.names.iter().map(import_binding)),
            ast::Stmt::ImportFrom(i) => out.extend(i.names.iter().filter(|a| a.name.as_str() != "*").map(|a| a.asname.as_ref().unwrap_or(&a.name).to_string())),
            _ => {}
        }
        for block in super::scope::nested_blocks(s) {
            bind_block(block, out);
        }
    }
}

/// The name `import a.b.c [as d]` binds: `d`, else `a`.
pub(crate) fn import_binding(alias: &ast::Alias) -> String {
    match &alias.asname {
        Some(a) => a.to_string(),
        None => alias.name.split('.').next().unwrap_or(&alias.name).to_string(),
    }
}

/// The free names of a function: what `nodes` read that neither its parameters nor
/// `bound` nor its `globals` cover, each with its first read.
fn function_free(args: &ast::Arguments, nodes: &[Borrowed<'_>], bound: &HashSet<String>, globals: &HashSet<String>) -> Vec<(String, Span)> {
    let mut reads = Vec::new();
    for n in nodes {
        let n = match n {
            Node::Stmt(s) => Node::Stmt(*s),
            Node::Expr(e) => Node::Expr(*e),
            Node::Pattern(p) => Node::Pattern(*p),
        };
        reads_into(n, &mut reads);
    }
    let params = param_names(args);
    let mut seen = HashSet::new();
    reads.retain(|(n, _)| !params.contains(n) && !bound.contains(n) && !globals.contains(n) && seen.insert(n.clone()));
    reads
}

/// The names `node` reads (in source order, with repeats) in the scope it is in; a nested
/// scope adds the names free in it.
fn reads_into(node: Borrowed<'_>, out: &mut Vec<(String, Span)>) {
    match node {
        Node::Expr(ast::Expr::Name(n)) => {
            if matches!(n.ctx, ast::ExprContext::Load) {
                out.push((n.id.to_string(), span(n)));
            }
        }
        Node::Expr(ast::Expr::Lambda(l)) => {
            for d in defaults_of(&l.args) {
                reads_into(Node::Expr(d), out);
            }
            out.extend(function_free(&l.args, &[Node::Expr(&l.body)], &HashSet::new(), &HashSet::new()));
        }
        Node::Stmt(ast::Stmt::FunctionDef(f)) => {
            for e in f.decorator_list.iter().chain(defaults_of(&f.args)) {
                reads_into(Node::Expr(e), out);
            }
            let nodes: Vec<Borrowed<'_>> = f.body.iter().map(Node::Stmt).collect();
            out.extend(function_free(&f.args, &nodes, &function_locals(&f.args, &f.body), &declared_globals(&f.body)));
        }
        Node::Stmt(ast::Stmt::ClassDef(_) | ast::Stmt::AsyncFunctionDef(_)) => {}
        Node::Expr(e @ (ast::Expr::ListComp(_) | ast::Expr::SetComp(_) | ast::Expr::DictComp(_) | ast::Expr::GeneratorExp(_))) => {
            let (generators, parts, _) = comprehension_parts(e);
            let mut inner = Vec::new();
            let mut bound = Vec::new();
            for (i, g) in generators.iter().enumerate() {
                decl::target_names(&g.target, &mut bound);
                if i == 0 {
                    reads_into(Node::Expr(&g.iter), out);
                } else {
                    reads_into(Node::Expr(&g.iter), &mut inner);
                }
                for cond in &g.ifs {
                    reads_into(Node::Expr(cond), &mut inner);
                }
            }
            for p in parts {
                reads_into(Node::Expr(p), &mut inner);
            }
            out.extend(inner.into_iter().filter(|(n, _)| !bound.contains(n)));
        }
        other => {
            for child in children(other) {
                reads_into(child, out);
            }
        }
    }
}

/// A comprehension's generators, its element expressions and its frame's name.
fn comprehension_parts(e: &ast::Expr) -> (&[ast::Comprehension], Vec<&ast::Expr>, &'static str) {
    match e {
        ast::Expr::ListComp(c) => (&c.generators, vec![&*c.elt], "<listcomp>"),
        ast::Expr::SetComp(c) => (&c.generators, vec![&*c.elt], "<setcomp>"),
        ast::Expr::GeneratorExp(c) => (&c.generators, vec![&*c.elt], "<genexpr>"),
        ast::Expr::DictComp(c) => (&c.generators, vec![&*c.key, &*c.value], "<dictcomp>"),
        _ => (&[], Vec::new(), ""),
    }
}

/// The locals of a function body that are compile-time modules: `import math` (or
/// `import numpy as np`) as a statement of the body itself (not in a block), when nothing
/// else binds that name in the function. Uses after the statement's end compile as uses of
/// the module-level import would (`math.sqrt(x)` is C's `sqrt` with Python's checks); the
/// import still runs and binds the local.
pub(crate) fn local_modules(body: &[ast::Stmt]) -> HashMap<String, (ModKind, u32)> {
    let mut found: HashMap<String, (ModKind, u32)> = HashMap::new();
    for s in body {
        let ast::Stmt::Import(i) = s else { continue };
        for alias in &i.names {
            let kind = match alias.name.as_str() {
                "math" => ModKind::Math,
                "numpy" => ModKind::Numpy,
                _ => continue,
            };
            found.entry(import_binding(alias)).or_insert((kind, span(s).end));
        }
    }
    if found.is_empty() {
        return found;
    }
    // Every other binding of the name disqualifies it (another import of it included).
    let mut counts: HashMap<String, usize> = HashMap::new();
    for name in bound_names(body) {
        *counts.entry(name).or_default() += 1;
    }
    found.retain(|name, _| counts.get(name) == Some(&1));
    found
}

/// The locals of a function body that certainly hold one nested function: a `def` that is
/// a statement of the body itself, whose name nothing else binds, with constant defaults;
/// with the end of that statement. Calls after it are direct calls of the compiled
/// function (as calls of the module's functions are), not calls through Python.
pub(crate) fn local_functions(env: &ModuleEnv, body: &[ast::Stmt]) -> HashMap<String, (FuncId, u32)> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for name in bound_names(body) {
        *counts.entry(name).or_default() += 1;
    }
    let mut out = HashMap::new();
    for s in body {
        let ast::Stmt::FunctionDef(f) = s else { continue };
        let sp = span(s);
        if let Some(NestedFn { made: Some((id, _)), dynamic_defaults: false }) = env.nested.get(&sp.start) {
            if counts.get(f.name.as_str()) == Some(&1) {
                out.insert(f.name.to_string(), (*id, sp.end));
            }
        }
    }
    out
}

impl super::scope::FnCx<'_> {
    /// The value of the `lambda` or `def` whose node starts at `start`: its function
    /// object (the module's constant), or with defaults computed now, a copy made by
    /// `__pycc_with_defaults__` (defaults evaluated left to right, as CPython does).
    pub(crate) fn check_nested_function(&mut self, start: u32, args: &ast::Arguments, sp: Span) -> super::expr::Val {
        use super::expr::Val;
        use crate::tir::{BuildKind, Expr, ExprKind, ObjKind};
        let Some(nested) = self.env.nested.get(&start).copied() else {
            self.unsupported(sp, "this function cannot be compiled here");
            return Val::error(sp);
        };
        let Some((_, konst)) = nested.made else {
            // Refused (reported; nothing is compiled): an object, so that the local it is
            // assigned to is one and its uses report nothing more.
            return Val::new(Expr::new(ExprKind::NoneObj, Ty::OBJECT, sp));
        };
        let func = Expr::new(ExprKind::ModConst(konst), Ty::OBJECT, sp);
        if !nested.dynamic_defaults {
            return Val::new(func);
        }
        let (mut err, mut tainted) = (false, false);
        let mut items = Vec::new();
        for d in defaults_of(args) {
            let v = self.check_value(d);
            err |= v.err;
            tainted |= v.tainted;
            items.push(self.operand(v, Ty::OBJECT));
        }
        let defaults = Expr::new(ExprKind::Build { kind: BuildKind::Tuple, items }, Ty::Object(ObjKind::Tuple), sp);
        let name = self.env.constant(ConstObj::Str("__pycc_with_defaults__".into()));
        let expr = Expr::new(ExprKind::CallMethod { name, args: vec![func, defaults], kwnames: None }, Ty::OBJECT, sp);
        Val { expr, lit: None, err, tainted }
    }
}
