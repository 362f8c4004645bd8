//! Tests of the `.pyx` front end: AST shapes, `CythonInfo`, spans, diagnostics, and the
//! translation to Python. Expected shapes are written by hand from Cython's documented
//! meaning of each form.

use super::{header_directives, parse_pyx, translate_to_python};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{SourceFile, SourceKind, Span};
use crate::syntax::ast::{self, Ranged};
use crate::syntax::{FuncDecl, ParsedModule};
use crate::tir::FuncKind;
use rustpython_parser::text_size::TextRange;

fn pyx(src: &str) -> SourceFile {
    SourceFile::new("t.pyx", src, SourceKind::Pyx)
}

fn parse(src: &str) -> ParsedModule {
    let (module, diags) = parse_pyx(&pyx(src));
    assert!(diags.is_empty(), "unexpected diagnostics for {src:?}: {diags:#?}");
    module.expect("parses")
}

fn diagnostics(src: &str) -> Vec<Diagnostic> {
    parse_pyx(&pyx(src)).1
}

/// The one diagnostic `src` gives, with the text its span covers.
fn one_diagnostic(src: &str) -> (Diagnostic, String) {
    let diags = diagnostics(src);
    assert_eq!(diags.len(), 1, "expected one diagnostic for {src:?}: {diags:#?}");
    let d = diags.into_iter().next().expect("one");
    let text = src.get(d.primary.span.start as usize..d.primary.span.end as usize).unwrap_or("").to_string();
    (d, text)
}

fn dump(src: &str) -> String {
    dump_body(&parse(src).body)
}

fn dump_body(body: &[ast::Stmt]) -> String {
    let mut out = Vec::new();
    for s in body {
        stmt(s, 0, &mut out);
    }
    out.join("\n")
}

fn text_of(src: &str, range: TextRange) -> &str {
    &src[usize::from(range.start())..usize::from(range.end())]
}

// ---- a small printer for the AST shapes the tests look at ----

fn stmt(s: &ast::Stmt, indent: usize, out: &mut Vec<String>) {
    use ast::Stmt as S;
    let pad = "    ".repeat(indent);
    let line = match s {
        S::FunctionDef(f) => {
            let ret = f.returns.as_ref().map(|r| format!(" -> {}", expr(r))).unwrap_or_default();
            out.push(format!("{pad}def {}({}){ret}:", f.name, arguments(&f.args)));
            for b in &f.body {
                stmt(b, indent + 1, out);
            }
            return;
        }
        S::For(f) => {
            out.push(format!("{pad}for {} in {}:", expr(&f.target), expr(&f.iter)));
            for b in &f.body {
                stmt(b, indent + 1, out);
            }
            return;
        }
        S::With(w) => {
            let items: Vec<String> = w.items.iter().map(|i| expr(&i.context_expr)).collect();
            out.push(format!("{pad}with {}:", items.join(", ")));
            for b in &w.body {
                stmt(b, indent + 1, out);
            }
            return;
        }
        S::If(i) => {
            out.push(format!("{pad}if {}:", expr(&i.test)));
            for b in &i.body {
                stmt(b, indent + 1, out);
            }
            return;
        }
        S::AnnAssign(a) => match &a.value {
            Some(v) => format!("{}: {} = {}", expr(&a.target), expr(&a.annotation), expr(v)),
            None => format!("{}: {}", expr(&a.target), expr(&a.annotation)),
        },
        S::Assign(a) => format!("{} = {}", a.targets.iter().map(expr).collect::<Vec<_>>().join(" = "), expr(&a.value)),
        S::AugAssign(a) => format!("{} {}= {}", expr(&a.target), operator(&a.op), expr(&a.value)),
        S::Return(r) => format!("return {}", r.value.as_ref().map(|v| expr(v)).unwrap_or_default()),
        S::Expr(e) => expr(&e.value),
        S::Pass(_) => "pass".to_string(),
        S::Import(i) => format!("import {}", aliases(&i.names)),
        S::ImportFrom(i) => {
            let dots = ".".repeat(i.level.map_or(0, |l| l.to_u32() as usize));
            format!("from {dots}{} import {}", i.module.as_ref().map(|m| m.to_string()).unwrap_or_default(), aliases(&i.names))
        }
        other => format!("<{:?}>", std::mem::discriminant(other)),
    };
    out.push(format!("{pad}{line}"));
}

fn aliases(names: &[ast::Alias]) -> String {
    names
        .iter()
        .map(|a| match &a.asname {
            Some(n) => format!("{} as {n}", a.name),
            None => a.name.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn arguments(a: &ast::Arguments) -> String {
    let mut parts = Vec::new();
    let arg = |a: &ast::Arg| match &a.annotation {
        Some(t) => format!("{}: {}", a.arg, expr(t)),
        None => a.arg.to_string(),
    };
    for p in a.posonlyargs.iter().chain(&a.args) {
        match &p.default {
            Some(d) => parts.push(format!("{} = {}", arg(&p.def), expr(d))),
            None => parts.push(arg(&p.def)),
        }
    }
    if let Some(v) = &a.vararg {
        parts.push(format!("*{}", arg(v)));
    }
    for p in &a.kwonlyargs {
        parts.push(arg(&p.def));
    }
    if let Some(k) = &a.kwarg {
        parts.push(format!("**{}", arg(k)));
    }
    parts.join(", ")
}

fn operator(op: &ast::Operator) -> &'static str {
    use ast::Operator as O;
    match op {
        O::Add => "+",
        O::Sub => "-",
        O::Mult => "*",
        O::Div => "/",
        O::FloorDiv => "//",
        O::Mod => "%",
        O::Pow => "**",
        _ => "?op",
    }
}

fn expr(e: &ast::Expr) -> String {
    use ast::Expr as E;
    match e {
        E::Name(n) => n.id.to_string(),
        E::Constant(c) => match &c.value {
            ast::Constant::Int(i) => i.to_string(),
            ast::Constant::Float(f) => format!("{f:?}"),
            ast::Constant::Str(s) => format!("{s:?}"),
            ast::Constant::Bool(b) => if *b { "True" } else { "False" }.to_string(),
            ast::Constant::None => "None".to_string(),
            other => format!("{other:?}"),
        },
        E::Call(c) => {
            let mut args: Vec<String> = c.args.iter().map(expr).collect();
            args.extend(c.keywords.iter().map(|k| format!("{}={}", k.arg.as_ref().map(|a| a.to_string()).unwrap_or_default(), expr(&k.value))));
            format!("{}({})", expr(&c.func), args.join(", "))
        }
        E::BinOp(b) => format!("({} {} {})", expr(&b.left), operator(&b.op), expr(&b.right)),
        E::UnaryOp(u) => {
            let op = match u.op {
                ast::UnaryOp::USub => "-",
                ast::UnaryOp::UAdd => "+",
                ast::UnaryOp::Invert => "~",
                ast::UnaryOp::Not => "not ",
            };
            format!("({op}{})", expr(&u.operand))
        }
        E::Compare(c) => {
            let mut s = expr(&c.left);
            for (op, right) in c.ops.iter().zip(&c.comparators) {
                let op = match op {
                    ast::CmpOp::Lt => "<",
                    ast::CmpOp::LtE => "<=",
                    ast::CmpOp::Gt => ">",
                    ast::CmpOp::GtE => ">=",
                    ast::CmpOp::Eq => "==",
                    _ => "?cmp",
                };
                s = format!("{s} {op} {}", expr(right));
            }
            format!("({s})")
        }
        E::Attribute(a) => format!("{}.{}", expr(&a.value), a.attr),
        E::Subscript(s) => format!("{}[{}]", expr(&s.value), expr(&s.slice)),
        E::Tuple(t) => t.elts.iter().map(expr).collect::<Vec<_>>().join(", "),
        other => format!("<{:?}>", std::mem::discriminant(other)),
    }
}

fn function(body: &[ast::Stmt], index: usize) -> &ast::StmtFunctionDef {
    match &body[index] {
        ast::Stmt::FunctionDef(f) => f,
        other => panic!("expected a function, found {other:?}"),
    }
}

fn decl_at(m: &ParsedModule, offset: u32) -> &FuncDecl {
    m.cython.functions.get(&offset).unwrap_or_else(|| panic!("no FuncDecl at {offset}: {:?}", m.cython.functions))
}

// ---- 1. functions ----

#[test]
fn cdef_function_becomes_annotated_def() {
    let src = "cdef double f(double x, int n=3):\n    return x * n\n";
    assert_eq!(dump(src), "def f(x: c:double, n: c:int = 3) -> c:double:\n    return (x * n)");
    let m = parse(src);
    let f = function(&m.body, 0);
    assert_eq!(u32::from(f.range.start()), 0);
    assert_eq!(decl_at(&m, 0), &FuncDecl { kind: FuncKind::Cdef, inline: false, nogil: false, except: None, span: Span::new(0, 4) });
    assert_eq!(m.cython.functions.len(), 1);
}

#[test]
fn cpdef_and_def_with_typed_parameters() {
    let src = "cpdef int g(int a):\n    return a\ndef h(int n, double[:] a, x):\n    return n\n";
    assert_eq!(dump(src), "def g(a: c:int) -> c:int:\n    return a\ndef h(n: c:int, a: c:double[:], x):\n    return n");
    let m = parse(src);
    assert_eq!(decl_at(&m, 0).kind, FuncKind::Cpdef);
    // A `def` has no entry.
    assert_eq!(m.cython.functions.len(), 1);
}

#[test]
fn function_modifiers_and_return_types() {
    let cases: &[(&str, &str, bool, bool, Option<&str>)] = &[
        ("cdef inline double f(double x):\n    return x\n", "def f(x: c:double) -> c:double:", true, false, None),
        ("cdef void f():\n    pass\n", "def f() -> c:void:", false, false, None),
        ("cdef f(int x):\n    return x\n", "def f(x: c:int):", false, false, None),
        ("cdef int f(int x) except -1:\n    return x\n", "def f(x: c:int) -> c:int:", false, false, Some("-1")),
        ("cdef int f(int x) except? -1:\n    return x\n", "def f(x: c:int) -> c:int:", false, false, Some("? -1")),
        ("cdef int f(int x) except *:\n    return x\n", "def f(x: c:int) -> c:int:", false, false, Some("*")),
        ("cdef int f(int x) noexcept:\n    return x\n", "def f(x: c:int) -> c:int:", false, false, Some("noexcept")),
        ("cdef double f(double x) nogil:\n    return x\n", "def f(x: c:double) -> c:double:", false, true, None),
        ("cdef double f(double x) noexcept nogil:\n    return x\n", "def f(x: c:double) -> c:double:", false, true, Some("noexcept")),
        ("cdef double f(double x) nogil except -1:\n    return x\n", "def f(x: c:double) -> c:double:", false, true, Some("-1")),
        ("cdef double f(double x) except -1 nogil:\n    return x\n", "def f(x: c:double) -> c:double:", false, true, Some("-1")),
        ("cdef inline unsigned long long f(unsigned int x) nogil:\n    return x\n", "def f(x: c:unsigned int) -> c:unsigned long long:", true, true, None),
        ("cdef long double f(long double x):\n    return x\n", "def f(x: c:long double) -> c:long double:", false, false, None),
    ];
    for &(src, header, inline, nogil, except) in cases {
        let m = parse(src);
        let first_line = dump_body(&m.body).lines().next().unwrap_or_default().to_string();
        assert_eq!(first_line, header, "{src}");
        let d = decl_at(&m, 0);
        assert_eq!((d.inline, d.nogil, d.except.as_deref()), (inline, nogil, except), "{src}");
        assert_eq!(d.span, Span::new(0, 4), "{src}");
    }
}

#[test]
fn parameter_forms() {
    let src = "cdef int f(unsigned int a, double[:] c, double[:, ::1] d, const double[:] e, \
               int[:, :] g, object o, y, z: float, double b=1.0, int neg=-1, double named=N, *args, **kw):\n    return 0\n";
    assert_eq!(
        dump(src).lines().next().unwrap_or_default(),
        "def f(a: c:unsigned int, c: c:double[:], d: c:double[:, ::1], e: c:const double[:], \
         g: c:int[:, :], o: c:object, y, z: float, b: c:double = 1.0, neg: c:int = (-1), named: c:double = N, *args, **kw) -> c:int:"
    );
}

#[test]
fn signature_across_lines() {
    let src = "cdef double f(double x,  # the x\n              int n=2,\n              ) nogil:\n    return x\n";
    assert_eq!(dump(src), "def f(x: c:double, n: c:int = 2) -> c:double:\n    return x");
    assert!(decl_at(&parse(src), 0).nogil);
    let out = translate_to_python(&pyx(src)).expect("translates");
    assert_eq!(out, "def f(x,  # the x\n              n=2,\n              ):\n    return x\n");
}

#[test]
fn buffer_types_are_unsupported() {
    let (d, text) = one_diagnostic("def f(np.ndarray[np.float64_t, ndim=2] a):\n    return a\n");
    assert_eq!(d.code, Code::UnsupportedSyntax);
    assert!(d.message.starts_with("buffer types (`np.ndarray[...]`)"), "{}", d.message);
    assert_eq!(text, "np.ndarray[np.float64_t, ndim=2]");
}

#[test]
fn python_def_with_memoryview_not_none_and_keyword_only() {
    let src = "def f(double[:] a not None, *, int n=2):\n    return n\n";
    assert_eq!(dump(src).lines().next().unwrap_or_default(), "def f(a: c:double[:] not None, n: c:int):");
}

#[test]
fn parameter_and_return_spans_point_at_the_pyx_text() {
    let src = "cdef double f(int x, double[:, ::1] arr=None):\n    return x\n";
    let m = parse(src);
    let f = function(&m.body, 0);
    let x = &f.args.args[0].def;
    assert_eq!(text_of(src, x.annotation.as_ref().expect("annotated").range()), "int");
    assert_eq!(text_of(src, x.range), "int x");
    let arr = &f.args.args[1].def;
    assert_eq!(text_of(src, arr.annotation.as_ref().expect("annotated").range()), "double[:, ::1]");
    assert_eq!(text_of(src, f.returns.as_ref().expect("returns").range()), "double");
    assert_eq!(text_of(src, f.args.args[1].default.as_ref().expect("default").range()), "None");
    assert_eq!(text_of(src, f.range), src.trim_end());
}

#[test]
fn decorated_and_nested_functions_are_keyed_by_their_keyword() {
    let src = "cimport cython\n@cython.boundscheck(False)\ncdef double f(double x):\n    return x\n\nclass A:\n    cpdef int m(self, int k):\n        return k\n";
    let m = parse(src);
    let at_f = src.find("cdef double").expect("cdef") as u32;
    let at_m = src.find("cpdef").expect("cpdef") as u32;
    assert_eq!(u32::from(function(&m.body, 1).range.start()), at_f);
    assert_eq!(decl_at(&m, at_f).kind, FuncKind::Cdef);
    assert_eq!(decl_at(&m, at_m).kind, FuncKind::Cpdef);
    assert_eq!(decl_at(&m, at_m).span, Span::new(at_m, at_m + 5));
}

#[test]
fn question_marks_in_strings_and_comments_are_left_alone() {
    let src = "cdef int f(int x) except? -1:  # really?\n    # why?\n    return len(\"a?b\") + len(f'{x}?') + len('''?\n?''')\n";
    let m = parse(src);
    assert_eq!(decl_at(&m, 0).except.as_deref(), Some("? -1"));
    let body = dump_body(&m.body);
    assert!(body.contains("len(\"a?b\")") && body.contains("len(\"?\\n?\")"), "{body}");
    let out = translate_to_python(&pyx(src)).expect("translates");
    assert_eq!(out, "def f(x):  # really?\n    # why?\n    return len(\"a?b\") + len(f'{x}?') + len('''?\n?''')\n");
}

#[test]
fn ctuple_return_type_is_unsupported() {
    let (d, text) = one_diagnostic("cdef (int, double) f():\n    return 1, 2.0\nx = 1\n");
    assert_eq!(d.code, Code::UnsupportedSyntax);
    assert!(d.message.contains("ctuple"), "{}", d.message);
    assert_eq!(text, "cdef");
}

// ---- 2. local declarations ----

#[test]
fn cdef_declarations_become_annotated_assignments() {
    let src = "def f(a):\n    cdef int i, j = 0, k\n    cdef double[:] v = a\n    cdef unsigned char c\n    cdef x = 1\n    return j\n";
    assert_eq!(
        dump(src),
        "def f(a):\n    i: c:int\n    j: c:int = 0\n    k: c:int\n    v: c:double[:] = a\n    c: c:unsigned char\n    x: c:object = 1\n    return j"
    );
}

#[test]
fn declaration_spans() {
    let src = "cdef long long total = 0, n\n";
    let m = parse(src);
    let ast::Stmt::AnnAssign(a) = &m.body[0] else { panic!("{:?}", m.body[0]) };
    assert_eq!(text_of(src, a.range), "cdef long long total = 0");
    assert_eq!(text_of(src, a.target.range()), "total");
    assert_eq!(text_of(src, a.annotation.range()), "long long");
    assert_eq!(text_of(src, a.value.as_ref().expect("value").range()), "0");
    let ast::Stmt::AnnAssign(b) = &m.body[1] else { panic!("{:?}", m.body[1]) };
    assert_eq!(text_of(src, b.range), "cdef long long total = 0, n");
    assert_eq!(text_of(src, b.target.range()), "n");
    assert_eq!(text_of(src, b.annotation.range()), "long long");
}

#[test]
fn cdef_block_declares_one_per_line() {
    let src = "def f():\n    cdef:\n        int i = 0\n        double x, y = 2.0\n        # a comment\n        Py_ssize_t n\n    return i\n";
    assert_eq!(dump(src), "def f():\n    i: c:int = 0\n    x: c:double\n    y: c:double = 2.0\n    n: c:Py_ssize_t\n    return i");
    // At the end of a function and of the file.
    assert_eq!(dump("def g():\n    cdef:\n        int k = 1\n"), "def g():\n    k: c:int = 1");
}

#[test]
fn unknown_type_names_become_c_names() {
    assert_eq!(dump("cdef MyType x\ncdef cnp.float64_t y = 0\n"), "x: c:MyType\ny: c:cnp.float64_t = 0");
}

#[test]
fn pointers_and_arrays_are_unsupported() {
    for (src, word) in [
        ("cdef int *p\nx = 1\n", "pointer"),
        ("cdef int a[10]\nx = 1\n", "C arrays"),
        ("cdef int i, *p\nx = 1\n", "pointer"),
        ("def f(int *p):\n    return 1\n", "pointer"),
        ("cdef int* f(int x):\n    return x\n", "pointer"),
        ("x = <int*>y\n", "pointer"),
        ("def f(int[10] a):\n    return 1\n", "C arrays"),
    ] {
        let (d, _) = one_diagnostic(src);
        assert_eq!(d.code, Code::UnsupportedSyntax, "{src}");
        assert!(d.message.contains(word), "{src}: {}", d.message);
    }
}

// ---- 3. module-level constructs pycc does not support ----

#[test]
fn unsupported_module_constructs_are_named_and_skipped() {
    let cases = [
        ("cdef class A:\n    cdef int x\n    def f(self):\n        return 1\n", "`cdef class` is not supported yet", "cdef class"),
        ("cdef struct P:\n    double x\n    double y\n", "`cdef struct` is not supported yet", "cdef struct"),
        ("cdef enum Color:\n    RED\n    GREEN\n", "`cdef enum` is not supported yet", "cdef enum"),
        ("ctypedef double real\n", "`ctypedef` is not supported yet", "ctypedef double"),
        ("cdef extern from \"math.h\":\n    double cos(double x)\n", "`cdef extern` is not supported yet", "cdef extern"),
        ("cdef public int counter = 0\n", "`cdef public` is not supported yet", "cdef public"),
        ("cdef readonly int counter\n", "`cdef readonly` is not supported yet", "cdef readonly"),
        ("cdef api double f(double x):\n    return x\n", "`cdef api` is not supported yet", "cdef api"),
        ("DEF N = 10\n", "`DEF` compile-time constants are not supported", "DEF N"),
    ];
    for (construct, message, text) in cases {
        let src = format!("x = 1\n{construct}cdef int g(int a):\n    return a\n");
        let (module, diags) = parse_pyx(&pyx(&src));
        assert_eq!(diags.len(), 1, "{src}: {diags:#?}");
        assert_eq!(diags[0].code, Code::UnsupportedSyntax);
        assert_eq!(diags[0].message, message);
        assert_eq!(&src[diags[0].primary.span.start as usize..diags[0].primary.span.end as usize], text);
        // The rest of the file is still parsed: the construct is a `pass`.
        let module = module.expect("rest parses");
        assert_eq!(dump_body(&module.body), "x = 1\npass\ndef g(a: c:int) -> c:int:\n    return a", "{src}");
    }
}

// ---- 4. for ... from ----

#[test]
fn for_from_becomes_range() {
    // `0 <= i < n` visits 0..n-1: range(0, n).
    assert_eq!(dump("for i from 0 <= i < n:\n    s += i\n"), "for i in range(0, n):\n    s += i");
    // `a < i <= b` starts after a and includes b: range(a+1, b+1).
    assert_eq!(dump("for i from a < i <= b:\n    pass\n"), "for i in range((a + 1), (b + 1)):\n    pass");
    assert_eq!(dump("for i from 0 <= i < n by 2:\n    pass\n"), "for i in range(0, n, 2):\n    pass");
    // `n > i >= 0` visits n-1 down to 0: range(n-1, 0-1, -1).
    assert_eq!(dump("for i from n > i >= 0:\n    pass\n"), "for i in range((n - 1), (0 - 1), (-1)):\n    pass");
    // `n >= i > 0 by 2` visits n, n-2, ... > 0: range(n, 0, -(2)).
    assert_eq!(dump("for i from n >= i > 0 by 2:\n    pass\n"), "for i in range(n, 0, (-2)):\n    pass");
    assert_eq!(dump("for i from 0 <= i < <int>(n * 2) by k + 1:\n    pass\n"), "for i in range(0, <int>((n * 2)), (k + 1)):\n    pass");
}

#[test]
fn for_from_errors() {
    for src in ["for i from 0 <= j < n:\n    pass\n", "for i from 0 <= i > n:\n    pass\n", "for i from 0 <= i < n by:\n    pass\n"] {
        let (d, _) = one_diagnostic(src);
        assert_eq!(d.code, Code::SyntaxError, "{src}");
    }
}

// ---- 5. cimports ----

#[test]
fn cimports_become_imports_and_are_recorded() {
    let src = "cimport cython\nfrom cython cimport boundscheck\nfrom libc.math cimport sqrt, sin as s\nfrom libc.stdlib cimport abs\ncimport numpy as cnp\nimport math\n";
    let m = parse(src);
    assert_eq!(
        dump_body(&m.body),
        "import cython\nfrom cython import boundscheck\nfrom libc.math import sqrt, sin as s\nfrom libc.stdlib import abs\nimport numpy as cnp\nimport math"
    );
    let mut starts: Vec<u32> = m.cython.cimports.iter().copied().collect();
    starts.sort_unstable();
    let expected: Vec<u32> = src.lines().take(5).map(|l| src.find(l).expect("line") as u32).collect();
    assert_eq!(starts, expected);
    for (stmt, start) in m.body.iter().zip(&expected) {
        assert_eq!(u32::from(stmt.range().start()), *start);
    }
}

#[test]
fn parenthesised_and_relative_cimports() {
    assert_eq!(dump("from libc.math cimport (sqrt,\n    exp)\nfrom . cimport helpers\n"), "from libc.math import sqrt, exp\nfrom . import helpers");
}

// ---- 6. casts ----

#[test]
fn casts_become_calls_of_bracketed_names() {
    let cases = [
        ("y = <double>(a + b)\n", "y = <double>((a + b))"),
        ("y = <int>x\n", "y = <int>(x)"),
        ("y = <unsigned long>x\n", "y = <unsigned long>(x)"),
        ("y = <Py_ssize_t>i\n", "y = <Py_ssize_t>(i)"),
        ("y = <bint>x\n", "y = <bint>(x)"),
        ("y = <double><int>x\n", "y = <double>(<int>(x))"),
        ("y = <double>a**2\n", "y = <double>((a ** 2))"),
        ("y = <double>-a**2 + 1\n", "y = (<double>((-(a ** 2))) + 1)"),
        ("y = <double>f(x)[0].real * 2\n", "y = (<double>(f(x)[0].real) * 2)"),
        ("y = <double?>x\n", "y = <double?>(x)"),
        ("y = f(<int>a, <long long>b)\n", "y = f(<int>(a), <long long>(b))"),
        ("return_value = a < b > c\n", "return_value = (a < b > c)"),
        ("y = a < <int>b\n", "y = (a < <int>(b))"),
        ("y = [<int>v for v in xs]\n", "y = <ListComp>"),
    ];
    for (src, expected) in cases {
        let got = dump(src);
        if expected.contains("<ListComp>") {
            assert!(got.starts_with("y = <"), "{src}: {got}");
        } else {
            assert_eq!(got, expected, "{src}");
        }
    }
}

#[test]
fn cast_spans() {
    let src = "y = <double>x + 1\n";
    let m = parse(src);
    let ast::Stmt::Assign(a) = &m.body[0] else { panic!() };
    let ast::Expr::BinOp(b) = &*a.value else { panic!() };
    let ast::Expr::Call(c) = &*b.left else { panic!() };
    assert_eq!(text_of(src, c.range), "<double>x");
    assert_eq!(text_of(src, c.func.range()), "<double>");
    assert_eq!(text_of(src, c.args[0].range()), "x");
}

#[test]
fn cast_without_operand_is_a_syntax_error() {
    let (d, text) = one_diagnostic("y = <double>\n");
    assert_eq!(d.code, Code::SyntaxError);
    assert_eq!(d.message, "expected an expression after the cast `<double>`");
    assert_eq!(text, "<double>");
}

// ---- 7. plain Python ----

#[test]
fn with_nogil_is_left_as_python() {
    assert_eq!(dump("def f():\n    with nogil:\n        x = 1\n"), "def f():\n    with nogil:\n        x = 1");
}

#[test]
fn plain_python_parses_identically() {
    let src = r#"# cython: boundscheck=False
"""doc"""
import math
from os import path as p
x: int = 3
y = [i * 2 for i in range(10) if i % 3 != 1]
z = {"a": 1, **{}}
s = f"{x!r:>10} and {y[0] + 1}" "tail"
def f(a, b=2, *args, c, d=4, **kw) -> float:
    """Docstring."""
    global x
    if a < b > 0 and not a is None:
        return a ** -b
    elif a:
        pass
    else:
        while True:
            break
    try:
        raise ValueError("x")
    except (ValueError, TypeError) as e:
        del e
    finally:
        pass
    with open(p) as fh, open(p) as gh:
        yield fh
    lam = lambda q, *r: q + len(r)
    return lam(1) if a else -1
@dec(1)
class C(object, metaclass=type):
    attr = 1
    async def g(self):
        await self.h()
        async for i in self:
            pass
match x:
    case [1, 2, *rest]:
        pass
    case {"k": v}:
        pass
    case _:
        pass
t = x if x < 2 else y[1:2, ::3]
x <<= 2; x @= 1
"#;
    let expected = rustpython_parser::parse(src, rustpython_parser::Mode::Module, "t.py").expect("valid Python");
    let ast::Mod::Module(expected) = expected else { panic!() };
    assert_eq!(parse(src).body, expected.body);
}

// ---- directives ----

#[test]
fn header_directive_lines() {
    let src = "#!/usr/bin/env python\n# cython: boundscheck=False, wraparound=False\n#cython: cdivision=True\n\n# cython : language_level = 3 , profile\nx = 1\n# cython: late=True\n";
    let ds = header_directives(src);
    let got: Vec<(&str, &str, &str)> =
        ds.iter().map(|d| (d.name.as_str(), d.value.as_str(), &src[d.span.start as usize..d.span.end as usize])).collect();
    assert_eq!(
        got,
        vec![
            ("boundscheck", "False", "boundscheck=False"),
            ("wraparound", "False", "wraparound=False"),
            ("cdivision", "True", "cdivision=True"),
            ("language_level", "3", "language_level = 3"),
            ("profile", "", "profile"),
        ]
    );
    let m = parse(src);
    assert_eq!(m.cython.directives, ds);
    assert!(header_directives("x = 1\n# cython: a=b\n").is_empty());
    assert_eq!(header_directives("\u{feff}# cython: a=b\r\n").len(), 1);
}

// ---- syntax errors ----

#[test]
fn syntax_errors_point_at_the_pyx_text() {
    let cases = [
        // Python errors after rewritten Cython keep `.pyx` offsets.
        ("cdef int f(int x):\n    return x +* 2\n", "*"),
        ("cdef int f(int x) blah:\n    return x\n", "blah"),
        ("cdef int\n", "\n"),
        ("cdef short long x\n", "short long"),
        ("x = $\n", "$"),
        ("cdef int f(int x) except:\n    return x\n", "except"),
        ("y = a ? b\n", "?"),
        ("cdef inline int x = 3\n", "inline"),
        ("cpdef int x = 3\n", "cpdef int x"),
        ("def f(int x y):\n    return 1\n", "y"),
        ("cdef:\nx = 1\n", ":"),
    ];
    for (src, text) in cases {
        let (module, diags) = parse_pyx(&pyx(src));
        assert!(module.is_none(), "{src}");
        assert_eq!(diags.len(), 1, "{src}: {diags:#?}");
        assert_eq!(diags[0].code, Code::SyntaxError, "{src}");
        let span = diags[0].primary.span;
        assert_eq!(src.get(span.start as usize..span.end as usize), Some(text), "{src}: {:?}", diags[0]);
    }
}

// ---- translation ----

const EXAMPLE: &str = r#"# cython: boundscheck=False
cimport cython
from libc.math cimport sqrt, M_PI, floor
from libc.stdlib cimport abs as iabs

@cython.boundscheck(False)
@cython.wraparound(False)
cdef inline double norm(double[:] v, int n) nogil:
    cdef double s = 0
    cdef int i
    for i from 0 <= i < n:
        s += v[i] * v[i]
    return sqrt(s)

cpdef long count_down(long n, long step=2) except -1:
    cdef long total = 0, k
    for k from n >= k > 0 by step:
        total += k
    return total

def mean(double[:] a not None, int n):
    cdef:
        double acc = 0.0
        Py_ssize_t j
    with nogil:
        for j in range(n):
            acc += a[j]
    return <double>acc / <double>n

def casts(x):
    return <int>x, <bint>x, <double><int>x, iabs(<int>-x), floor(x), M_PI
"#;

#[test]
fn translation_is_plain_python_with_the_same_lines() {
    let out = translate_to_python(&pyx(EXAMPLE)).expect("translates");
    assert_eq!(out.lines().count(), EXAMPLE.lines().count());
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "# cython: boundscheck=False");
    assert!(lines[1].starts_with("exec(") && lines[1].ends_with("; cython = _pycc_cython"), "{}", lines[1]);
    assert!(lines[2].ends_with("; sqrt = _pycc_cimport(\"libc.math\", \"sqrt\"); M_PI = _pycc_cimport(\"libc.math\", \"M_PI\"); floor = _pycc_cimport(\"libc.math\", \"floor\")"), "{}", lines[2]);
    assert_eq!(&lines[5..], &EXPECTED_TRANSLATION.lines().collect::<Vec<_>>()[..]);
    // The translation parses as Python.
    rustpython_parser::parse(&out, rustpython_parser::Mode::Module, "t.py").expect("valid Python");
}

const EXPECTED_TRANSLATION: &str = r#"@cython.boundscheck(False)
@cython.wraparound(False)
def norm(v, n):
    s = 0
    pass
    for i in range(0, n):
        s += v[i] * v[i]
    return sqrt(s)

def count_down(n, step=2):
    total = 0
    for k in range(n, 0, -(step)):
        total += k
    return total

def mean(a, n):
    if True:
        acc = 0.0
        pass
    if True:
        for j in range(n):
            acc += a[j]
    return float(acc) / float(n)

def casts(x):
    return int(x), bool(x), float(int(x)), iabs(int(-x)), floor(x), M_PI"#;

#[test]
fn translation_of_declarations_and_loops() {
    let cases = [
        ("cdef int i, j = 0, k\n", "j = 0\n"),
        ("cdef int i = 1, j, k = <int>2.5\n", "i = 1; k = int(2.5)\n"),
        ("cdef double x\n", "pass\n"),
        ("cdef int a = 1, \\\n    b = 2\n", "a = 1; \\\nb = 2\n"),
        ("for i from a < i <= b:\n    pass\n", "for i in range((a)+1, (b)+1):\n    pass\n"),
        ("for i from n > i >= 0:\n    pass\n", "for i in range((n)-1, (0)-1, -1):\n    pass\n"),
        ("for i from 0 <= i < <int>n by 2:\n    pass\n", "for i in range(0, int(n), 2):\n    pass\n"),
        ("cimport numpy as cnp\n", "import numpy as cnp\n"),
        ("from mylib cimport helper as h, other\n", "from mylib import helper as h, other\n"),
        ("def f(int x, *args, double y=<double>1, **kw):\n    return x\n", "def f(x, *args, y=float(1), **kw):\n    return x\n"),
        ("cdef f(int x):\n    return x\n", "def f(x):\n    return x\n"),
        ("x = (<double>a +\n     <double>b)\n", "x = (float(a) +\n     float(b))\n"),
    ];
    for (src, expected) in cases {
        assert_eq!(translate_to_python(&pyx(src)).as_deref(), Ok(expected), "{src}");
    }
}

#[test]
fn translation_refuses_unsupported_code() {
    let errs = translate_to_python(&pyx("cdef class A:\n    pass\n")).expect_err("unsupported");
    assert_eq!(errs[0].code, Code::UnsupportedSyntax);
    let errs = translate_to_python(&pyx("x = = 1\n")).expect_err("syntax error");
    assert_eq!(errs[0].code, Code::SyntaxError);
}

/// Runs the translation under CPython when `python3` is on the PATH: the shim and the
/// `for ... from` bounds must behave as Cython's documented semantics, which the expected
/// values below spell out by hand.
#[test]
fn translation_runs_under_cpython() {
    let src = format!(
        "{EXAMPLE}\n\
import array\n\
buf = array.array('d', [3.0, 4.0])\n\
assert norm(buf, 2) == 5.0\n\
assert count_down(7) == 7 + 5 + 3 + 1\n\
assert count_down(6, 3) == 6 + 3\n\
assert mean(buf, 2) == 3.5\n\
assert casts(2.7) == (2, True, 2.0, 2, 2.0, 3.141592653589793)\n\
assert type(floor(2.5)) is float\n\
from libc.math cimport log\n\
assert log(0.0) == float('-inf') and sqrt(-1.0) != sqrt(-1.0)\n\
seen = []\n\
for i from 10 > i >= 0 by 3:\n    seen.append(i)\n\
assert seen == [9, 6, 3, 0], seen\n\
seen = []\n\
for i from 0 < i <= 10 by 4:\n    seen.append(i)\n\
assert seen == [1, 5, 9], seen\n\
with cython.boundscheck(False):\n    pass\n\
print('ok')\n"
    );
    let out = translate_to_python(&pyx(&src)).expect("translates");
    let dir = std::env::temp_dir().join(format!("pycc-pyx-translate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("t.py");
    std::fs::write(&path, &out).expect("write");
    let run = std::process::Command::new("python3").arg(&path).output();
    let _ = std::fs::remove_dir_all(&dir);
    match run {
        Err(_) => eprintln!("python3 not found; skipping the CPython run"),
        Ok(result) => {
            let stderr = String::from_utf8_lossy(&result.stderr);
            assert!(result.status.success(), "CPython failed:\n{stderr}\n--- translation ---\n{out}");
            assert_eq!(String::from_utf8_lossy(&result.stdout).trim(), "ok");
        }
    }
}

#[test]
fn cython_imports_translate_to_the_shim() {
    let src = "import cython\nfrom cython.parallel import prange, threadid\n\n@cython.cdivision(True)\n@cython.locals(s=cython.long)\n\
               def total(int n):\n    cdef long s = 0\n    cdef int i\n    for i in prange(n, nogil=True, schedule='static'):\n        s += i + threadid()\n    return s\n\
               assert total(10) == 45\nwith cython.boundscheck(False), cython.wraparound(False):\n    print('ok')\n";
    // The AST keeps the Python imports as written (not cimports).
    let m = parse(src);
    assert!(m.cython.cimports.is_empty());
    assert_eq!(dump_body(&m.body[..2]), "import cython\nfrom cython.parallel import prange, threadid");
    let out = translate_to_python(&pyx(src)).expect("translates");
    assert_eq!(out.lines().count(), src.lines().count());
    let Ok(result) = std::process::Command::new("python3").arg("-c").arg(&out).output() else {
        eprintln!("python3 not found; skipping");
        return;
    };
    assert_eq!(String::from_utf8_lossy(&result.stdout).trim(), "ok", "{}", String::from_utf8_lossy(&result.stderr));
}

#[test]
fn translated_traceback_names_the_pyx_line() {
    let src = "cdef int f(int x) except -1:\n    cdef int y = 0\n    return x // y\n\nf(1)\n";
    let out = translate_to_python(&pyx(src)).expect("translates");
    let Ok(result) = std::process::Command::new("python3").arg("-c").arg(&out).output() else {
        eprintln!("python3 not found; skipping");
        return;
    };
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("line 3, in f") && stderr.contains("ZeroDivisionError"), "{stderr}");
}


