//! Check: type annotations and C type names → `Ty`, and the promotion rules between types
//! (C's usual arithmetic conversions, Python `int` winning over C ints, the spanning type
//! used by inference).

use super::scope::{Global, ModKind, ModuleEnv};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::{ast, span_of};
use crate::abi::ViewDesc;
use crate::tir::{FloatKind, IntKind, ObjKind, Ty, ViewElem, ViewTy};

/// Where a type is written: only a return type may be `None`/`void`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TypeUse {
    Value,
    Return,
}

/// What an annotation or declaration says of a value: its type and, for objects, whether
/// `None` was written as allowed (`Optional[list]`, `list | None`, `.pyx` `list xs or None`)
/// or refused (`.pyx` `list xs not None`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Annotation {
    pub ty: Ty,
    pub optional: bool,
    pub not_none: bool,
    /// Written as a Python annotation (Cython's annotation typing), not a `.pyx` C declaration.
    pub annotated: bool,
}

/// Resolves a type written as an annotation (`x: float`, `x: cython.int`, `x: "double"`),
/// as a Cython C type (`c:unsigned long`, from the `.pyx` front end), or as a type argument
/// (`@cython.locals(a=cython.int)`, `cython.cast(cython.double, x)`).
pub(crate) fn resolve_type(env: &ModuleEnv, ann: &ast::Expr, usage: TypeUse) -> Result<Ty, Diagnostic> {
    resolve_annotation(env, ann, usage).map(|a| a.ty)
}

/// As [`resolve_type`], with what the annotation says about `None`.
#[allow(clippy::result_large_err)] // diagnostics are returned by value, as everywhere in `check/`
pub(crate) fn resolve_annotation(env: &ModuleEnv, ann: &ast::Expr, usage: TypeUse) -> Result<Annotation, Diagnostic> {
    let a = annotation(env, ann, false, 0)?;
    if a.ty == Ty::Void && usage == TypeUse::Value {
        return Err(Diagnostic::error(Code::UnknownType, expr_span(ann), "`void`/`None` can only be a return type"));
    }
    Ok(a)
}

fn plain(ty: Ty) -> Annotation {
    Annotation { ty, optional: false, not_none: false, annotated: true }
}

/// The deepest nesting of annotations inside string annotations.
const MAX_STRING_DEPTH: u32 = 4;

#[allow(clippy::result_large_err)] // diagnostics are returned by value, as everywhere in `check/`
fn annotation(env: &ModuleEnv, ann: &ast::Expr, in_string: bool, depth: u32) -> Result<Annotation, Diagnostic> {
    let span = expr_span(ann);
    let ty = match ann {
        ast::Expr::Name(n) => {
            let id = n.id.as_str();
            if let Some(text) = id.strip_prefix("c:") {
                return c_declaration(text).map_err(|(code, msg)| Diagnostic::error(code, span, msg));
            }
            match env.global(id) {
                Some(Global::Typing(name)) => return Ok(plain(typing_form(name).bare())),
                _ => resolve_bare_name(env, id, in_string).map_err(|(code, msg, help)| with_help(Diagnostic::error(code, span, msg), help))?,
            }
        }
        ast::Expr::Attribute(a) => match &*a.value {
            ast::Expr::Name(base)
                if matches!(env.global(&base.id), Some(Global::Module(ModKind::Cython))) || (in_string && base.id.as_str() == "cython") =>
            {
                resolve_cython_name(&a.attr).map_err(|(code, msg)| Diagnostic::error(code, span, msg))?
            }
            ast::Expr::Name(base) if matches!(env.global(&base.id), Some(Global::Module(ModKind::Typing))) => {
                return Ok(plain(typing_form(&a.attr).bare()));
            }
            // `np.ndarray`, `collections.abc.Iterable`, a class of another module: an object.
            _ if dotted(ann).is_some() => Ty::OBJECT,
            _ => return Err(Diagnostic::error(Code::UnknownType, span, "this expression is not a type pycc knows")),
        },
        ast::Expr::Constant(c) => match &c.value {
            ast::Constant::Str(s) => return resolve_string(env, s, span, depth),
            ast::Constant::None => Ty::Void,
            _ => return Err(Diagnostic::error(Code::UnknownType, span, "a constant is not a type")),
        },
        ast::Expr::Subscript(s) => return subscript(env, s, span, in_string, depth),
        // `X | None`, `int | str`.
        ast::Expr::BinOp(b) if matches!(b.op, ast::Operator::BitOr) => {
            let mut members = Vec::new();
            union_members(ann, &mut members);
            return union(env, &members, in_string, depth);
        }
        _ => return Err(Diagnostic::error(Code::UnknownType, span, "this expression is not a type pycc knows")),
    };
    Ok(plain(ty))
}

/// `a | b | c` as its members.
fn union_members<'a>(e: &'a ast::Expr, out: &mut Vec<&'a ast::Expr>) {
    match e {
        ast::Expr::BinOp(b) if matches!(b.op, ast::Operator::BitOr) => {
            union_members(&b.left, out);
            union_members(&b.right, out);
        }
        other => out.push(other),
    }
}

/// `Union[...]` / `a | b`: `Optional[X]` when it is one type and `None`, else an object.
#[allow(clippy::result_large_err)] // diagnostics are returned by value, as everywhere in `check/`
fn union(env: &ModuleEnv, members: &[&ast::Expr], in_string: bool, depth: u32) -> Result<Annotation, Diagnostic> {
    let is_none = |e: &ast::Expr| matches!(e, ast::Expr::Constant(c) if matches!(c.value, ast::Constant::None));
    let others: Vec<&&ast::Expr> = members.iter().filter(|e| !is_none(e)).collect();
    let has_none = others.len() < members.len();
    if let [only] = others.as_slice() {
        let inner = annotation(env, only, in_string, depth)?;
        return Ok(if has_none { optional(inner) } else { inner });
    }
    // Each member must still be a type (`Union[int, 3]` is refused), but the union is an
    // object (Cython does not check unions).
    for m in others {
        annotation(env, m, in_string, depth)?;
    }
    Ok(plain(Ty::OBJECT))
}

/// `Optional[X]`: an object that may be `None`. A C type (`Optional[int]`) becomes an
/// object (Cython: a Python `int` or `None`); pycc does not check its kind.
fn optional(inner: Annotation) -> Annotation {
    let ty = if inner.ty.is_object() { inner.ty } else { Ty::OBJECT };
    Annotation { ty, optional: true, not_none: false, annotated: true }
}

/// What a name of `typing` (or a builtin generic) means in an annotation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TypingForm {
    /// A type on its own (`Any`, `List`, `Iterator[int]`, `i64`).
    Type(Ty),
    Optional,
    Union,
    /// `Final[X]`, `ClassVar[X]`, `Annotated[X, ...]`: the type `X`.
    Wrapper,
}

impl TypingForm {
    /// The form written without arguments (`x: List`, `x: Final`).
    fn bare(self) -> Ty {
        match self {
            TypingForm::Type(t) => t,
            // `Final` alone: the value's own type; as an annotation pycc cannot infer, an
            // object (always correct). `Optional`/`Union` alone mean any object too.
            TypingForm::Optional | TypingForm::Union | TypingForm::Wrapper => Ty::OBJECT,
        }
    }
}

/// The names of `typing` and `mypy_extensions` pycc gives a meaning; every other name of
/// those modules is an object (`Iterator`, `Callable`, `Sequence`, `TypeVar`s, ...).
fn typing_form(name: &str) -> TypingForm {
    use TypingForm::*;
    let kind = |k| Type(Ty::Object(k));
    match name {
        "List" => kind(ObjKind::List),
        "Dict" => kind(ObjKind::Dict),
        "Tuple" => kind(ObjKind::Tuple),
        "Set" => kind(ObjKind::Set),
        "FrozenSet" => kind(ObjKind::FrozenSet),
        "Text" => kind(ObjKind::Str),
        "Optional" => Optional,
        "Union" => Union,
        "Final" | "ClassVar" | "Annotated" | "Required" | "NotRequired" | "ReadOnly" => Wrapper,
        // mypyc's native integers.
        "i64" => Type(Ty::Int(IntKind::Long)),
        "i32" => Type(Ty::Int(IntKind::Int)),
        "i16" => Type(Ty::Int(IntKind::Short)),
        "u8" => Type(Ty::Int(IntKind::UChar)),
        _ => Type(Ty::OBJECT),
    }
}

/// `X[...]`: a memoryview (`cython.double[:]`), a `typing` form (`Optional[list]`,
/// `List[int]`), or a builtin generic (`list[int]`, `dict[str, float]`: element types are
/// not checked, as in Cython).
#[allow(clippy::result_large_err)] // diagnostics are returned by value, as everywhere in `check/`
fn subscript(env: &ModuleEnv, s: &ast::ExprSubscript, span: Span, in_string: bool, depth: u32) -> Result<Annotation, Diagnostic> {
    let elem_name = match &*s.value {
        ast::Expr::Attribute(a) if matches!(&*a.value, ast::Expr::Name(b) if matches!(env.global(&b.id), Some(Global::Module(ModKind::Cython)))) => {
            Some(a.attr.to_string())
        }
        ast::Expr::Name(n) => match env.global(&n.id) {
            Some(Global::Cython(name)) => Some(name.clone()),
            None if (env.is_pyx || in_string) && resolve_cython_name(&n.id).is_ok() && n.id.as_str() != "object" => Some(n.id.to_string()),
            _ => None,
        },
        _ => None,
    };
    if let Some(elem_name) = elem_name {
        let err = |(code, msg): (Code, String)| Diagnostic::error(code, span, msg);
        let elem = resolve_cython_name(&elem_name).map_err(err)?;
        let axes = subscript_axes(&s.slice).map_err(err)?;
        return make_view(elem, &axes, false).map(plain).map_err(err);
    }
    let form = match &*s.value {
        ast::Expr::Name(n) => match env.global(&n.id) {
            Some(Global::Typing(name)) => Some(typing_form(name)),
            // A generic class pycc does not know (`MyGeneric[int]`, a name imported where
            // pycc cannot see it): an object, as the bare name is.
            None | Some(Global::Python { .. }) => builtin_generic(&n.id).or(Some(TypingForm::Type(Ty::OBJECT))),
            _ => None,
        },
        ast::Expr::Attribute(a) => match &*a.value {
            ast::Expr::Name(b) if matches!(env.global(&b.id), Some(Global::Module(ModKind::Typing))) => Some(typing_form(&a.attr)),
            // `collections.abc.Iterable[int]`, `np.ndarray[...]`: objects.
            _ if dotted(&s.value).is_some() => Some(TypingForm::Type(Ty::OBJECT)),
            _ => None,
        },
        _ => None,
    };
    let args: Vec<&ast::Expr> = match &*s.slice {
        ast::Expr::Tuple(t) => t.elts.iter().collect(),
        other => vec![other],
    };
    match form {
        Some(TypingForm::Type(t)) => Ok(plain(t)),
        Some(TypingForm::Optional) => match args.as_slice() {
            [inner] => Ok(optional(annotation(env, inner, in_string, depth)?)),
            _ => Err(Diagnostic::error(Code::UnknownType, span, "`Optional` takes one type")),
        },
        Some(TypingForm::Union) => union(env, &args, in_string, depth),
        Some(TypingForm::Wrapper) => match args.first() {
            Some(inner) => annotation(env, inner, in_string, depth),
            None => Ok(plain(Ty::OBJECT)),
        },
        None => match dotted(&s.value) {
            Some(text) => Err(Diagnostic::error(Code::UnknownType, span, format!("`{text}[...]` is not a type pycc knows"))),
            None => Err(Diagnostic::error(Code::UnknownType, span, "this subscript is not a type pycc knows")),
        },
    }
}

/// `list[int]`, `dict[str, float]`, `tuple[int, ...]`, `type[X]` (Python 3.9's generics).
fn builtin_generic(name: &str) -> Option<TypingForm> {
    match ObjKind::from_name(name) {
        Some(k) if k != ObjKind::Any && name != "unicode" => Some(TypingForm::Type(Ty::Object(k))),
        _ if name == "type" => Some(TypingForm::Type(Ty::OBJECT)),
        _ => None,
    }
}

/// A `.pyx` C declaration (`c:list not None`, `c:unsigned long`): the type, and the
/// parameter's `not None` / `or None` (which the front end keeps in the name).
fn c_declaration(text: &str) -> Result<Annotation, (Code, String)> {
    let (text, not_none, optional) = if let Some(t) = text.strip_suffix(" not None") {
        (t, true, false)
    } else if let Some(t) = text.strip_suffix(" or None") {
        (t, false, true)
    } else {
        (text, false, false)
    };
    let ty = resolve_c_type(text)?;
    Ok(Annotation { ty, optional, not_none: not_none && ty.is_object(), annotated: false })
}

fn with_help(d: Diagnostic, help: Option<String>) -> Diagnostic {
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}

/// `a.b.c` as text, if the expression is a dotted name.
pub(crate) fn dotted(e: &ast::Expr) -> Option<String> {
    match e {
        ast::Expr::Name(n) => Some(n.id.to_string()),
        ast::Expr::Attribute(a) => Some(format!("{}.{}", dotted(&a.value)?, a.attr)),
        _ => None,
    }
}

type NameError = (Code, String, Option<String>);

/// A bare name in an annotation: Python's `int`/`float`/`bool`/`None`, a name imported from
/// `cython`, and in `.pyx` files (or string annotations) Cython's own type names.
fn resolve_bare_name(env: &ModuleEnv, id: &str, in_string: bool) -> Result<Ty, NameError> {
    if let Some(Global::Cython(name)) = env.global(id) {
        return resolve_cython_name(name).map_err(|(c, m)| (c, m, None));
    }
    match id {
        "int" => return Ok(Ty::PY_INT),
        "float" => return Ok(Ty::DOUBLE),
        "bool" => return Ok(Ty::Bool),
        "None" => return Ok(Ty::Void),
        "object" | "complex" | "type" => return Ok(Ty::OBJECT),
        _ => {}
    }
    if let Some(k) = ObjKind::from_name(id).filter(|_| id != "unicode" || env.is_pyx) {
        return Ok(Ty::Object(k));
    }
    if let Ok(ty) = resolve_cython_name(id) {
        if env.is_pyx || in_string {
            return Ok(ty);
        }
        return Err((
            Code::UnknownType,
            format!("unknown type `{id}`"),
            Some(format!("write `cython.{id}` after `import cython`, or import it: `from cython import {id}`")),
        ));
    }
    // A class (of this module or another), a forward reference, a name pycc does not know:
    // an object, as in Cython.
    Ok(Ty::OBJECT)
}

/// A string annotation (a forward reference, or any annotation under
/// `from __future__ import annotations` written in quotes): a memoryview type
/// (`"double[:, ::1]"`, `"const int[:]"`), else the annotation the text spells, resolved as
/// if written without quotes (diagnostics point at the string).
#[allow(clippy::result_large_err)] // diagnostics are returned by value, as everywhere in `check/`
fn resolve_string(env: &ModuleEnv, text: &str, span: Span, depth: u32) -> Result<Annotation, Diagnostic> {
    let text = text.trim();
    let err = |(code, msg): (Code, String)| Diagnostic::error(code, span, msg);
    if text.contains('[') {
        let elem = |base: &str| -> Result<Ty, (Code, String)> {
            let base = base.trim();
            let bare = base.strip_prefix("cython.").map(str::trim).unwrap_or(base);
            resolve_c_type(bare).or_else(|e| resolve_cython_name(bare).map_err(|_| e))
        };
        let base = text[..text.find('[').unwrap_or(0)].trim();
        let base = base.strip_prefix("const ").map(str::trim).unwrap_or(base);
        let bare = base.strip_prefix("cython.").map(str::trim).unwrap_or(base);
        if resolve_c_type(bare).is_ok_and(|t| !t.is_object()) || resolve_cython_name(bare).is_ok_and(|t| !t.is_object()) {
            return resolve_view_text(text, elem).map(plain).map_err(err);
        }
    }
    if depth >= MAX_STRING_DEPTH {
        return Err(Diagnostic::error(Code::UnknownType, span, format!("unknown type `{}`", text.escape_debug())));
    }
    let Some(parsed) = crate::syntax::parse_annotation(text) else {
        return Err(Diagnostic::error(Code::UnknownType, span, format!("unknown type `{}`", text.escape_debug())));
    };
    annotation(env, &parsed, true, depth + 1).map_err(|mut d| {
        d.primary.span = span;
        d
    })
}

/// Cython's pure-Python type names (`cython.int`, `cython.double`, ...).
pub(crate) fn resolve_cython_name(name: &str) -> Result<Ty, (Code, String)> {
    use IntKind::*;
    let int = |k| Ok(Ty::Int(k));
    match name {
        "int" | "sint" => int(Int),
        "uint" => int(UInt),
        "long" | "slong" => int(Long),
        "ulong" => int(ULong),
        "longlong" | "slonglong" => int(LongLong),
        "ulonglong" => int(ULongLong),
        "short" | "sshort" => int(Short),
        "ushort" => int(UShort),
        "char" => int(Char),
        "schar" => int(SChar),
        "uchar" => int(UChar),
        "Py_ssize_t" => int(SSizeT),
        "size_t" => int(SizeT),
        "float" => Ok(Ty::Float(FloatKind::Float)),
        "double" => Ok(Ty::DOUBLE),
        "bint" => Ok(Ty::Bool),
        "void" => Ok(Ty::Void),
        "longdouble" => Err((Code::UnsupportedSyntax, "`long double` is not supported".into())),
        "complex" | "floatcomplex" | "doublecomplex" | "longdoublecomplex" => {
            Err((Code::UnsupportedSyntax, "complex numbers are not supported".into()))
        }
        "object" => Ok(Ty::OBJECT),
        n if n.starts_with("p_") || n.starts_with("pp_") => Err((Code::UnsupportedSyntax, "pointers are not supported".into())),
        _ => Err((Code::UnknownType, format!("unknown type `cython.{name}`"))),
    }
}

/// A C type in Cython syntax, as the `.pyx` front end writes it after `c:`
/// (`unsigned long`, `double[:]`, `const int`, `int *`).
pub(crate) fn resolve_c_type(text: &str) -> Result<Ty, (Code, String)> {
    let text = text.trim();
    if text.contains('[') {
        return resolve_view_text(text, resolve_c_type);
    }
    if text.contains('*') || text.contains('&') {
        return Err((Code::UnsupportedSyntax, "pointers are not supported".into()));
    }
    let words: Vec<&str> = text.split_whitespace().filter(|w| *w != "const" && *w != "volatile").collect();
    let unknown = || Err((Code::UnknownType, format!("unknown type `{text}`")));
    match words.as_slice() {
        [] => return unknown(),
        ["object"] => return Ok(Ty::OBJECT),
        // Cython's builtin types (`cdef list xs`, `def f(dict d not None)`); `unicode` is `str`.
        [name] if ObjKind::from_name(name).is_some() => return Ok(Ty::Object(ObjKind::from_name(name).unwrap_or(ObjKind::Any))),
        ["float"] => return Ok(Ty::Float(FloatKind::Float)),
        ["double"] => return Ok(Ty::DOUBLE),
        ["long", "double"] => return Err((Code::UnsupportedSyntax, "`long double` is not supported".into())),
        ["bint"] => return Ok(Ty::Bool),
        ["void"] => return Ok(Ty::Void),
        ["Py_ssize_t"] => return Ok(Ty::Int(IntKind::SSizeT)),
        ["size_t"] => return Ok(Ty::Int(IntKind::SizeT)),
        ["complex"] | ["float", "complex"] | ["double", "complex"] => {
            return Err((Code::UnsupportedSyntax, "complex numbers are not supported".into()))
        }
        _ => {}
    }
    // Integer types: [signed|unsigned] [char|short|long|long long] [int], any order C allows.
    let (mut signed, mut unsigned, mut longs, mut short, mut char, mut int) = (false, false, 0, false, false, false);
    for w in &words {
        match *w {
            "signed" => signed = true,
            "unsigned" => unsigned = true,
            "long" => longs += 1,
            "short" => short = true,
            "char" => char = true,
            "int" => int = true,
            _ => return unknown(),
        }
    }
    if (signed && unsigned) || longs > 2 || (short && (longs > 0 || char)) || (char && (longs > 0 || int)) {
        return unknown();
    }
    use IntKind::*;
    let kind = if char {
        if unsigned { UChar } else if signed { SChar } else { Char }
    } else if short {
        if unsigned { UShort } else { Short }
    } else if longs == 2 {
        if unsigned { ULongLong } else { LongLong }
    } else if longs == 1 {
        if unsigned { ULong } else { Long }
    } else if int || signed || unsigned {
        if unsigned { UInt } else { Int }
    } else {
        return unknown();
    };
    Ok(Ty::Int(kind))
}

/// One axis of a memoryview type: `:` (any stride) or `::1` (contiguous).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AxisSpec {
    Strided,
    Contig,
}

/// A memoryview type written as text: `double[:, ::1]`, `const int[:]` (the `.pyx` front
/// end's `c:` names and string annotations); `elem` resolves the element type's name.
pub(crate) fn resolve_view_text(text: &str, elem: impl Fn(&str) -> Result<Ty, (Code, String)>) -> Result<Ty, (Code, String)> {
    let unknown = || (Code::UnknownType, format!("unknown type `{text}`"));
    let (Some(open), true) = (text.find('['), text.ends_with(']')) else { return Err(unknown()) };
    let (base, dims) = (&text[..open], &text[open + 1..text.len() - 1]);
    if dims.contains('[') || dims.contains(']') {
        return Err(unknown());
    }
    let words: Vec<&str> = base.split_whitespace().collect();
    let readonly = words.contains(&"const");
    let base: Vec<&str> = words.into_iter().filter(|w| *w != "const" && *w != "volatile").collect();
    let elem_ty = elem(&base.join(" "))?;
    let mut axes = Vec::new();
    for piece in dims.split(',') {
        let piece: String = piece.chars().filter(|c| !c.is_whitespace()).collect();
        axes.push(match piece.as_str() {
            ":" | "::" => AxisSpec::Strided,
            "::1" => AxisSpec::Contig,
            other => {
                return Err((Code::UnsupportedSyntax, format!("memoryview axis `{other}` is not supported; write `:` (strided) or `::1` (contiguous)")))
            }
        });
    }
    make_view(elem_ty, &axes, readonly)
}

/// The axes of `cython.double[:, ::1]`: each a `Slice` without bounds, with no step or a
/// constant step of 1.
pub(crate) fn subscript_axes(slice: &ast::Expr) -> Result<Vec<AxisSpec>, (Code, String)> {
    let items: Vec<&ast::Expr> = match slice {
        ast::Expr::Tuple(t) => t.elts.iter().collect(),
        other => vec![other],
    };
    items
        .into_iter()
        .map(|item| {
            let bad = || (Code::UnsupportedSyntax, "memoryview axes are written `:` (strided) or `::1` (contiguous)".to_string());
            let ast::Expr::Slice(s) = item else { return Err(bad()) };
            if s.lower.is_some() || s.upper.is_some() {
                return Err(bad());
            }
            match s.step.as_deref() {
                None => Ok(AxisSpec::Strided),
                Some(step) if super::expr::int_literal(step) == Some(1) => Ok(AxisSpec::Contig),
                Some(_) => Err(bad()),
            }
        })
        .collect()
}

/// A memoryview type from its element type and axes (`::1` only on the last one).
pub(crate) fn make_view(elem: Ty, axes: &[AxisSpec], readonly: bool) -> Result<Ty, (Code, String)> {
    let Some(elem) = ViewElem::of(elem) else {
        let help = if elem == Ty::Bool { "; use `unsigned char` or `char`" } else { "" };
        return Err((Code::UnsupportedSyntax, format!("memoryviews of `{elem}` are not supported{help}")));
    };
    if axes.is_empty() {
        return Err((Code::UnknownType, "a memoryview type needs at least one axis (`[:]`)".into()));
    }
    if axes.len() > ViewDesc::MAX_DIMS {
        return Err((Code::UnsupportedSyntax, format!("memoryviews of more than {} dimensions are not supported", ViewDesc::MAX_DIMS)));
    }
    let last = axes.len() - 1;
    if axes[..last].contains(&AxisSpec::Contig) {
        return Err((
            Code::UnsupportedSyntax,
            "`::1` is only supported on the last axis (C-contiguous); Fortran-contiguous and other layouts are not supported".into(),
        ));
    }
    Ok(Ty::View(ViewTy { elem, ndim: axes.len() as u8, c_contig: axes[last] == AxisSpec::Contig, readonly }))
}

/// The type C's integer promotions give a value of kind `k` in arithmetic.
pub(crate) fn int_promote(k: IntKind) -> IntKind {
    if k.rank() < IntKind::Int.rank() { IntKind::Int } else { k }
}

fn unsigned_of(k: IntKind) -> IntKind {
    use IntKind::*;
    match k {
        Char | SChar | UChar => UChar,
        Short | UShort => UShort,
        Int | UInt => UInt,
        Long | ULong => ULong,
        LongLong | ULongLong => ULongLong,
        SSizeT | SizeT => SizeT,
        PyInt => PyInt,
    }
}

/// C's usual arithmetic conversions between two integer kinds (x86-64 LP64), with Python
/// `int` winning over every C kind.
pub(crate) fn int_common(a: IntKind, b: IntKind) -> IntKind {
    if a == IntKind::PyInt || b == IntKind::PyInt {
        return IntKind::PyInt;
    }
    let (a, b) = (int_promote(a), int_promote(b));
    if a == b {
        return a;
    }
    if a.signed() == b.signed() {
        return pick_higher(a, b);
    }
    let (s, u) = if a.signed() { (a, b) } else { (b, a) };
    if u.rank() >= s.rank() {
        u
    } else if s.bits() > u.bits() {
        s
    } else {
        unsigned_of(s)
    }
}

/// The higher-ranked of two kinds of the same signedness; at equal rank a fixed order
/// (`long` before `Py_ssize_t`) keeps the result independent of operand order.
fn pick_higher(a: IntKind, b: IntKind) -> IntKind {
    use IntKind::*;
    if a.rank() != b.rank() {
        return if a.rank() > b.rank() { a } else { b };
    }
    let order = |k: IntKind| matches!(k, Long | ULong) as u8;
    if order(a) >= order(b) { a } else { b }
}

/// The type `bool` counts as in arithmetic: C `int` in `.pyx`, Python `int` in `.py`.
pub(crate) fn bool_as_int(is_pyx: bool) -> IntKind {
    if is_pyx { IntKind::Int } else { IntKind::PyInt }
}

/// The result type of arithmetic between two numeric types (`bool` counts as an int).
pub(crate) fn arith_common(a: Ty, b: Ty, is_pyx: bool) -> Ty {
    let as_num = |t: Ty| if t == Ty::Bool { Ty::Int(bool_as_int(is_pyx)) } else { t };
    match (as_num(a), as_num(b)) {
        // A Python operation: its result is an object.
        (Ty::Object(_), _) | (_, Ty::Object(_)) => Ty::OBJECT,
        (Ty::Float(x), Ty::Float(y)) => Ty::Float(if x == FloatKind::Double || y == FloatKind::Double { FloatKind::Double } else { FloatKind::Float }),
        (Ty::Float(x), _) | (_, Ty::Float(x)) => Ty::Float(x),
        (Ty::Int(x), Ty::Int(y)) => Ty::Int(int_common(x, y)),
        _ => Ty::PY_INT,
    }
}

/// The smallest type both values convert to: `bool` stays `bool` with itself, otherwise as
/// [`arith_common`]. Used by inference and by `x if c else y`, `a or b`, `min`, `max`.
pub(crate) fn join(a: Ty, b: Ty, is_pyx: bool) -> Ty {
    if a == b {
        return a;
    }
    // Two views of the same elements: the less constrained layout and access.
    if let (Ty::View(x), Ty::View(y)) = (a, b) {
        if x.elem.kind() == y.elem.kind() && x.ndim == y.ndim {
            let relaxed = |v: crate::tir::ViewTy| crate::tir::ViewTy { c_contig: x.c_contig && y.c_contig, readonly: x.readonly || y.readonly, ..v };
            let (rx, ry) = (relaxed(x), relaxed(y));
            if x.converts_to(rx) && y.converts_to(rx) {
                return Ty::View(rx);
            }
            if x.converts_to(ry) && y.converts_to(ry) {
                return Ty::View(ry);
            }
        }
    }
    // Inference: a local not typed yet in this pass (`b = c` before `c`'s type is known)
    // reads as `int`; a view wins, and a real scalar is then reported at its assignment.
    match (a, b) {
        (Ty::View(_), _) => return a,
        (_, Ty::View(_)) => return b,
        // A value that is sometimes an object is an object.
        (Ty::Object(_), _) | (_, Ty::Object(_)) => return Ty::OBJECT,
        _ => {}
    }
    // Cython types a choice between two C integers (`x if c else y`, `x or y`, `min`) by
    // its `widest_numeric_type`: the higher rank, at equal rank the unsigned kind, without
    // C's promotion to `int` (`c if t else us` of a `char` and an `unsigned short` is an
    // `unsigned short`, so a `char` -6 becomes 65530).
    if let (true, Ty::Int(x), Ty::Int(y)) = (is_pyx, a, b) {
        if x != IntKind::PyInt && y != IntKind::PyInt {
            return Ty::Int(cython_widest(x, y));
        }
    }
    arith_common(a, b, is_pyx)
}

/// Cython's `widest_numeric_type` of two C integer kinds (`PyrexTypes.py`): rank first
/// (`char` < `short` < `int` < `long` < `Py_ssize_t`, `size_t` < `long long`), then
/// unsigned before plain before explicitly `signed`.
pub(crate) fn cython_widest(a: IntKind, b: IntKind) -> IntKind {
    use IntKind::*;
    let rank = |k: IntKind| match k {
        Char | SChar | UChar => 0,
        Short | UShort => 2,
        Int | UInt => 4,
        Long | ULong => 6,
        SSizeT | SizeT => 7,
        LongLong | ULongLong | PyInt => 8,
    };
    let signedness = |k: IntKind| if !k.signed() { 0 } else if k == SChar { 2 } else { 1 };
    if (rank(a), signedness(a)) == (rank(b), signedness(b)) {
        return if a == b { a } else { pick_higher(a, b) };
    }
    if rank(a) != rank(b) {
        return if rank(a) > rank(b) { a } else { b };
    }
    if signedness(a) < signedness(b) { a } else { b }
}

/// Whether an integer value fits in a type (`bool` takes 0 and 1).
pub(crate) fn int_fits(v: i128, ty: Ty) -> bool {
    match ty {
        Ty::Int(k) => v >= k.min_value() && v <= k.max_value(),
        Ty::Bool => v == 0 || v == 1,
        Ty::Float(_) => true,
        Ty::Void | Ty::View(_) | Ty::Object(_) => false,
    }
}

/// The span of an annotation expression.
pub(crate) fn expr_span(e: &ast::Expr) -> Span {
    use crate::syntax::ast::Ranged;
    span_of(e.range())
}

#[cfg(test)]
mod tests {
    use super::*;
    use IntKind::*;

    #[test]
    fn c_type_names_resolve() {
        let ok = |s: &str| resolve_c_type(s).expect(s);
        assert_eq!(ok("int"), Ty::Int(Int));
        assert_eq!(ok("unsigned int"), Ty::Int(UInt));
        assert_eq!(ok("unsigned"), Ty::Int(UInt));
        assert_eq!(ok("long"), Ty::Int(Long));
        assert_eq!(ok("unsigned long"), Ty::Int(ULong));
        assert_eq!(ok("long long"), Ty::Int(LongLong));
        assert_eq!(ok("unsigned long long"), Ty::Int(ULongLong));
        assert_eq!(ok("short"), Ty::Int(Short));
        assert_eq!(ok("unsigned short int"), Ty::Int(UShort));
        assert_eq!(ok("char"), Ty::Int(Char));
        assert_eq!(ok("signed char"), Ty::Int(SChar));
        assert_eq!(ok("unsigned char"), Ty::Int(UChar));
        assert_eq!(ok("float"), Ty::Float(FloatKind::Float));
        assert_eq!(ok("double"), Ty::DOUBLE);
        assert_eq!(ok("const double"), Ty::DOUBLE);
        assert_eq!(ok("bint"), Ty::Bool);
        assert_eq!(ok("Py_ssize_t"), Ty::Int(SSizeT));
        assert_eq!(ok("size_t"), Ty::Int(SizeT));
        assert_eq!(ok("void"), Ty::Void);
    }

    #[test]
    fn unsupported_c_types_say_why() {
        let err = |s: &str| resolve_c_type(s).expect_err(s);
        assert_eq!(err("int *"), (Code::UnsupportedSyntax, "pointers are not supported".to_string()));
        assert_eq!(resolve_c_type("object"), Ok(Ty::OBJECT));
        assert_eq!(err("long double"), (Code::UnsupportedSyntax, "`long double` is not supported".to_string()));
        assert_eq!(err("foo_t"), (Code::UnknownType, "unknown type `foo_t`".to_string()));
        assert_eq!(err("short long").0, Code::UnknownType);
    }

    #[test]
    fn usual_arithmetic_conversions() {
        assert_eq!(int_common(Char, Short), Int);
        assert_eq!(int_common(UShort, UChar), Int);
        assert_eq!(int_common(Int, UInt), UInt);
        assert_eq!(int_common(Long, UInt), Long);
        assert_eq!(int_common(LongLong, ULong), ULongLong);
        assert_eq!(int_common(Int, Long), Long);
        assert_eq!(int_common(SSizeT, SizeT), SizeT);
        assert_eq!(int_common(SSizeT, Long), int_common(Long, SSizeT));
        assert_eq!(int_common(ULongLong, PyInt), PyInt);
        // Cython's choice type: rank, then unsigned; no promotion to `int`.
        assert_eq!(cython_widest(Char, UShort), UShort);
        assert_eq!(cython_widest(SChar, UChar), UChar);
        assert_eq!(cython_widest(UInt, Long), Long);
        assert_eq!(cython_widest(ULong, LongLong), LongLong);
        assert_eq!(cython_widest(Long, ULong), ULong);
        assert_eq!(join(Ty::Int(Char), Ty::Int(UShort), true), Ty::Int(UShort));
        assert_eq!(join(Ty::Int(Char), Ty::Int(UShort), false), Ty::Int(Int));
        assert_eq!(arith_common(Ty::Int(Int), Ty::Float(FloatKind::Float), true), Ty::Float(FloatKind::Float));
        assert_eq!(arith_common(Ty::Float(FloatKind::Float), Ty::DOUBLE, true), Ty::DOUBLE);
        assert_eq!(arith_common(Ty::Bool, Ty::Bool, true), Ty::Int(Int));
        assert_eq!(arith_common(Ty::Bool, Ty::Bool, false), Ty::PY_INT);
        assert_eq!(join(Ty::Bool, Ty::Bool, false), Ty::Bool);
        assert_eq!(join(Ty::Bool, Ty::Int(Short), true), Ty::Int(Int));
    }
}
