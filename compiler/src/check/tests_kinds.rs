//! Check: tests of object kinds, from source to TIR: what each annotation and declaration
//! means (builtin kinds, `typing` forms, mypyc's native integers, strings), Cython's `None`
//! rule for parameters, the run-time kind checks, the fast paths and object defaults.

use super::tests::{check, func, ok};
use crate::abi::{AbiType, ConstObj, ObjAbi};
use crate::diagnostics::Diagnostic;
use crate::source::{SourceFile, SourceKind};
use crate::tir::*;

/// A `.pyx` source through the real front end.
fn check_pyx(src: &str) -> (Module, Vec<Diagnostic>) {
    let file = SourceFile::new("t.pyx", src, SourceKind::Pyx);
    let (parsed, mut d) = crate::syntax::parse_file(&file);
    let parsed = parsed.unwrap_or_else(|| panic!("parse errors: {d:?}"));
    let (m, more) = super::check_module(&file, &parsed, "t");
    d.extend(more);
    (m, d)
}

fn ok_pyx(src: &str) -> Module {
    let (m, d) = check_pyx(src);
    assert!(d.is_empty(), "{d:?}");
    m
}

fn param(m: &Module, f: &str, i: usize) -> Param {
    func(m, f).params[i].clone()
}

#[test]
fn annotations_name_kinds_typing_forms_and_native_ints() {
    let src = "from __future__ import annotations\nimport typing\nimport typing as t\nfrom typing import List, Dict, Tuple, Optional, Union, Any, Iterator, Callable, Final, FrozenSet, Text\n\
from mypy_extensions import i64, i32, i16, u8\n\
def f(a: List[int], b: list[int], c: Dict[str, float], d: Tuple[int, ...], e: Optional[list], g: list | None, h: Union[None, dict],\n\
      i: Union[int, str], j: Any, k: Iterator[int], l: Callable[[int], int], m: 'Foo', n: Unknown, o: typing.List[int], p: t.Set[int],\n\
      q: 'List[int]', r: Final[int], s: FrozenSet[int], u: Text, v: Optional[int], w: bytearray, x: 'Optional[str]'):\n    pass\n\
def g(a: i64, b: i32, c: i16, d: u8) -> i64:\n    return a\n";
    let m = ok(src);
    let kinds: Vec<Ty> = func(&m, "f").params.iter().map(|p| p.ty).collect();
    use ObjKind::*;
    let o = Ty::Object;
    assert_eq!(
        kinds,
        vec![
            o(List), o(List), o(Dict), o(Tuple), o(List), o(List), o(Dict),
            Ty::OBJECT, Ty::OBJECT, Ty::OBJECT, Ty::OBJECT, Ty::OBJECT, Ty::OBJECT, o(List), o(Set),
            o(List), Ty::PY_INT, o(FrozenSet), o(Str), Ty::OBJECT, o(ByteArray), o(Str),
        ]
    );
    // An annotation refuses `None` unless it is `Optional`/`| None`.
    let not_none: Vec<bool> = func(&m, "f").params.iter().map(|p| p.not_none).collect();
    assert_eq!(&not_none[..7], &[true, true, true, true, false, false, false]);
    assert!(param(&m, "f", 0).annotated);
    let g = func(&m, "g");
    let ints: Vec<Ty> = g.params.iter().map(|p| p.ty).collect();
    assert_eq!(ints, vec![Ty::Int(IntKind::Long), Ty::Int(IntKind::Int), Ty::Int(IntKind::Short), Ty::Int(IntKind::UChar)]);
    assert_eq!(g.ret, Ty::Int(IntKind::Long));
}

#[test]
fn pyx_declarations_take_none_unless_not_none() {
    let m = ok_pyx("def f(list a, dict b not None, tuple c or None, str d, unicode e, object f, set g=None):\n    pass\n");
    let f = func(&m, "f");
    let tys: Vec<Ty> = f.params.iter().map(|p| p.ty).collect();
    use ObjKind::*;
    assert_eq!(tys, vec![Ty::Object(List), Ty::Object(Dict), Ty::Object(Tuple), Ty::Object(Str), Ty::Object(Str), Ty::OBJECT, Ty::Object(Set)]);
    let not_none: Vec<bool> = f.params.iter().map(|p| p.not_none).collect();
    assert_eq!(not_none, vec![false, true, false, false, false, false, false]);
    assert!(!f.params[0].annotated);
    assert_eq!(AbiType::param(&f.params[1]), AbiType::Object(ObjAbi { kind: Dict, none_ok: false, annotated: false }));
    assert_eq!(AbiType::param(&f.params[5]), AbiType::Object(ObjAbi::ANY));
}

#[test]
fn unknown_kinds_are_checked_when_assigned_and_returned() {
    let m = ok_pyx("def f(o):\n    cdef list xs = o\n    return xs\n");
    let text = m.to_string();
    assert!(text.contains("check_kind list(o%0: object): list"), "{text}");
    let m = ok("def f(o) -> dict:\n    return o\n\ndef g(xs: list):\n    ys: list = xs\n    return ys\n");
    let text = m.to_string();
    assert!(text.contains("check_kind dict(o%0: object)"), "{text}");
    // A value already known to be a list is not checked again.
    assert!(!text.contains("check_kind list"), "{text}");
    let (_, _, d) = check("def f(n: int):\n    xs: list = (n,)\n    return xs\n");
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].message.contains("cannot assign `tuple` to `xs` of type `list`"), "{}", d[0].message);
}

#[test]
fn fast_paths_guard_none_and_use_the_typed_functions() {
    let m = ok("def f(xs: list, t: tuple, d: dict, s: set, i: int):\n    xs.append(i)\n    xs[i] = t\n    return len(xs) + len(t[i]) + (i in d) + (i in s)\n");
    let text = m.to_string();
    for needle in ["PyList_Append", "PySequence_SetItem", "field.ob_size(xs%0: list)", "item.tuple(t%1: tuple", "PyDict_Contains", "PySet_Contains"] {
        assert!(text.contains(needle), "{needle} missing in {text}");
    }
    // Each is guarded by a `None` test that falls back to the generic protocol.
    assert!(text.contains("PyObject_GetItem") && text.contains("PySequence_Contains") && text.contains("pymethod"), "{text}");
    // The borrowed item is taken with a new reference; out of range, the typed function
    // raises CPython's `IndexError`.
    assert!(text.contains("newref(item.tuple(") && text.contains("newref(capi PyTuple_GetItem"), "{text}");
}

#[test]
fn items_of_unknown_objects_test_the_exact_type() {
    let m = ok("def f(x, i: int):\n    return [x[i], x[0]]\n");
    let text = m.to_string();
    // A tuple, then a list, read from the items; anything else through the protocol.
    assert!(text.contains("cmp.eq(field.ob_type(x%0: object): object, const"), "{text}");
    assert!(text.contains("item.tuple(x%0: object") && text.contains("item.list(x%0: object"), "{text}");
    assert!(text.contains("capi PyObject_GetItem(x%0: object"), "{text}");
    let types: Vec<_> = m.constants.iter().filter(|c| matches!(c, crate::abi::ConstObj::Type(_))).collect();
    assert_eq!(types.len(), 2, "{types:?}");
    // An index that is not a C integer keeps the protocol alone.
    let m = ok("def f(x, i):\n    return x[i]\n");
    assert!(!m.to_string().contains("item."), "{m}");
}

#[test]
fn object_defaults_are_module_constants() {
    let src = "N = 7\nNAME = 'n'\ndef f(a=None, b='s', c=b'y', d=(1, (2, 'x'), None), e=-2**70, h=float('-inf'), n=N, s=NAME):\n    return a\n";
    // Module-level assignments are not compiled yet; the defaults still see their values.
    let (_, m, _) = check(src);
    let f = func(&m, "f");
    let consts = &m.constants;
    let obj = |i: usize| match f.params[i].default {
        Some(ParamDefault::Object(k)) => consts[k as usize].clone(),
        other => panic!("param {i}: {other:?}"),
    };
    assert_eq!(obj(0), ConstObj::None);
    assert_eq!(obj(1), ConstObj::Str("s".into()));
    assert_eq!(obj(2), ConstObj::Bytes(b"y".to_vec()));
    let ConstObj::Tuple(items) = obj(3) else { panic!("not a tuple") };
    assert_eq!(consts[items[0] as usize], ConstObj::Int(1));
    assert!(matches!(consts[items[1] as usize], ConstObj::Tuple(_)));
    assert_eq!(obj(4), ConstObj::BigInt("-1180591620717411303424".into()));
    assert_eq!(f.params[5].default, Some(ParamDefault::Const(Const::Float(f64::NEG_INFINITY))));
    assert_eq!(f.params[6].default, Some(ParamDefault::Const(Const::Int(7))));
    assert_eq!(obj(7), ConstObj::Str("n".into()));
}

#[test]
fn none_defaults_of_c_parameters_are_refused() {
    let (_, d) = check_pyx("def f(int x=None):\n    return x\n");
    assert!(d.iter().any(|d| d.message == "cannot assign `None` to `int`"), "{d:?}");
    let (_, _, d) = check("def f(x: float = None):\n    return x\n");
    assert!(d.iter().any(|d| d.message == "cannot assign `None` to `double`"), "{d:?}");
    let (_, m, d) = check("from typing import Optional\ndef f(x: Optional[int] = None):\n    return x\n");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(func(&m, "f").params[0].ty, Ty::OBJECT);
}

#[test]
fn float_arithmetic_tests_for_exact_floats() {
    let m = ok("def f(a, b, c: float):\n    return a * b + c\n");
    let text = m.to_string();
    // Both objects tested, then the C product boxed; the sum tests only its object operand.
    assert!(text.contains("field.ob_fval(") && text.contains("capi PyFloat_FromDouble(mul.wrap("), "{text}");
    assert!(text.contains("capi PyNumber_Multiply(") && text.contains("capi PyNumber_Add("), "{text}");
    // `%` and `//` keep the protocol alone.
    let m = ok("def f(a, b):\n    return [a % b, a // b]\n");
    assert!(!m.to_string().contains("ob_fval"), "{m}");
}
