//! Syntax (`.pyx`) → plain Python for CPython (`pycc translate`, `pycc bench`, and the
//! oracle of the differential tests): applies the rewriter's text edits, and spells casts
//! and `cimport`s the way CPython can run them.
//!
//! Every edit keeps the line count, so a traceback from CPython names the `.pyx` line.
//! `cython` and `libc.*` cimports are served by a small shim (`SHIM`) executed on the
//! cimport's own line: `@cython.boundscheck(False)` and `with cython.wraparound(False):`
//! become no-ops, and `libc.math` functions follow C (`sqrt(-1.0)` is `nan`, `floor`
//! returns a float) instead of raising as Python's `math` does.

use super::rewrite::Edit;

/// The Python spelling of a cast's opening: `<double>x` → `float(x)`.
pub(super) fn cast_prefix(ty: &str) -> &'static str {
    let ty = ty.strip_prefix("const ").unwrap_or(ty);
    if ty.contains('[') {
        return "(";
    }
    let last = ty.rsplit('.').next().unwrap_or(ty);
    if last == "bint" || last == "bool" {
        "bool("
    } else if last.contains("complex") {
        "complex("
    } else if last.contains("double") || last.starts_with("float") {
        "float("
    } else if matches!(last, "object" | "void" | "list" | "dict" | "tuple" | "set" | "str" | "bytes" | "unicode") {
        "("
    } else if last.contains("int")
        || last.contains("long")
        || last.contains("short")
        || last.contains("char")
        || last.ends_with("size_t")
        || matches!(last, "unsigned" | "Py_UCS4" | "Py_UNICODE" | "Py_hash_t")
    {
        "int("
    } else {
        "("
    }
}

/// The names of a `from m cimport ...`.
pub(super) enum CimportNames {
    Star,
    /// `(name, alias)` pairs.
    List(Vec<(String, Option<String>)>),
}

/// Modules whose cimports the shim provides.
fn shimmed(module: &str) -> bool {
    module == "cython" || module.starts_with("cython.") || module.starts_with("libc.")
}

/// `cimport a [as b], ...` for CPython.
pub(super) fn cimport_text(modules: &[(String, Option<String>)]) -> String {
    let mut parts = Vec::new();
    let mut needs_shim = false;
    for (module, alias) in modules {
        if module == "cython" || module.starts_with("cython.") {
            // `cimport cython.parallel` binds `cython`, as `import` would.
            needs_shim = true;
            let bound = alias.as_deref().unwrap_or("cython");
            parts.push(format!("{bound} = _pycc_cython"));
        } else if module.starts_with("libc.") {
            needs_shim = true;
            let bound = alias.clone().unwrap_or_else(|| "libc".to_string());
            parts.push(format!("{bound} = _pycc_cmodule({})", py_literal(module)));
        } else {
            match alias {
                Some(a) => parts.push(format!("import {module} as {a}")),
                None => parts.push(format!("import {module}")),
            }
        }
    }
    join_statements(needs_shim, parts)
}

/// `from m cimport ...` for CPython.
pub(super) fn from_cimport_text(module: &str, names: &CimportNames) -> String {
    if !shimmed(module) {
        return match names {
            CimportNames::Star => format!("from {module} import *"),
            CimportNames::List(list) => {
                let items: Vec<String> = list
                    .iter()
                    .map(|(n, a)| match a {
                        Some(a) => format!("{n} as {a}"),
                        None => n.clone(),
                    })
                    .collect();
                format!("from {module} import {}", items.join(", "))
            }
        };
    }
    let parts = match names {
        CimportNames::Star => vec![format!("globals().update(_pycc_cimport_all({}))", py_literal(module))],
        CimportNames::List(list) => list
            .iter()
            .map(|(n, a)| format!("{} = _pycc_cimport({}, {})", a.as_deref().unwrap_or(n), py_literal(module), py_literal(n)))
            .collect(),
    };
    join_statements(true, parts)
}

fn join_statements(needs_shim: bool, mut parts: Vec<String>) -> String {
    if needs_shim {
        parts.insert(0, format!("exec({}, globals())", py_literal(SHIM)));
    }
    if parts.is_empty() {
        "pass".to_string()
    } else {
        parts.join("; ")
    }
}

/// A Python string literal holding `s`, on one line.
fn py_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Applies the edits (sorted by start; an edit added earlier comes first at the same
/// offset) to the `.pyx` text.
pub(super) fn apply_edits(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| e.range.start());
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut cursor = 0usize;
    for edit in edits {
        let (start, end) = (usize::from(edit.range.start()), usize::from(edit.range.end()));
        if start >= cursor {
            out.push_str(text.get(cursor..start).unwrap_or(""));
            out.push_str(&edit.text);
            cursor = end;
        } else if end > cursor || start == end {
            // Overlaps what an earlier edit replaced (the rewriter does not produce this for
            // well-formed input): keep the text, drop the overlap.
            out.push_str(&edit.text);
            cursor = cursor.max(end);
        }
    }
    out.push_str(text.get(cursor..).unwrap_or(""));
    out
}

/// Python executed (once per cimport line) by translated `cython`/`libc` cimports.
const SHIM: &str = r#"import math as _pycc_math, sys as _pycc_sys
class _PyccCython:
    def __getattr__(self, name, /): return self
    def __call__(self, /, *a, **k): return a[0] if len(a) == 1 and not k and callable(a[0]) else self
    def __getitem__(self, key, /): return self
    def __enter__(self, /): return self
    def __exit__(self, /, *a): return False
_pycc_cython = _PyccCython()
def _pycc_c_math(name):
    m = _pycc_math
    f = getattr(m, {'tgamma': 'gamma'}.get(name, name))
    def g(*a):
        try:
            r = f(*a)
        except ValueError:
            if name in ('log', 'log2', 'log10') and a[0] == 0: return -m.inf
            if name == 'log1p' and a[0] == -1: return -m.inf
            if name == 'pow' and a[0] == 0: return m.inf
            return m.nan
        except OverflowError:
            if name in ('floor', 'ceil', 'trunc'): return float(a[0])
            if name == 'sinh': return m.copysign(m.inf, a[0])
            return m.inf
        return float(r) if type(r) is int else r
    g.__name__ = name
    return g
def _pycc_round(x):
    m = _pycc_math
    return m.copysign(m.floor(abs(x) + 0.5), x) if m.isfinite(x) else x
def _pycc_fmin(a, b):
    return float(b if a != a else a if b != b else min(a, b))
def _pycc_fmax(a, b):
    return float(b if a != a else a if b != b else max(a, b))
_pycc_m = _pycc_math
_pycc_fi = _pycc_sys.float_info
_pycc_libc = {
    'libc.math': {'M_PI': _pycc_m.pi, 'M_E': _pycc_m.e, 'M_PI_2': _pycc_m.pi / 2, 'M_PI_4': _pycc_m.pi / 4,
        'M_1_PI': 1 / _pycc_m.pi, 'M_2_PI': 2 / _pycc_m.pi, 'M_2_SQRTPI': 2 / _pycc_m.sqrt(_pycc_m.pi),
        'M_SQRT2': _pycc_m.sqrt(2), 'M_SQRT1_2': _pycc_m.sqrt(0.5), 'M_LN2': _pycc_m.log(2), 'M_LN10': _pycc_m.log(10),
        'M_LOG2E': 1 / _pycc_m.log(2), 'M_LOG10E': 1 / _pycc_m.log(10), 'INFINITY': _pycc_m.inf, 'HUGE_VAL': _pycc_m.inf,
        'NAN': _pycc_m.nan, 'round': _pycc_round, 'fmin': _pycc_fmin, 'fmax': _pycc_fmax, 'abs': abs},
    'libc.stdlib': {'abs': abs, 'labs': abs, 'llabs': abs},
    'libc.limits': {'CHAR_BIT': 8, 'SCHAR_MIN': -128, 'SCHAR_MAX': 127, 'UCHAR_MAX': 255, 'CHAR_MIN': -128, 'CHAR_MAX': 127,
        'SHRT_MIN': -32768, 'SHRT_MAX': 32767, 'USHRT_MAX': 65535, 'INT_MIN': -2147483648, 'INT_MAX': 2147483647,
        'UINT_MAX': 4294967295, 'LONG_MIN': -9223372036854775808, 'LONG_MAX': 9223372036854775807,
        'ULONG_MAX': 18446744073709551615, 'LLONG_MIN': -9223372036854775808, 'LLONG_MAX': 9223372036854775807,
        'ULLONG_MAX': 18446744073709551615},
    'libc.float': {'DBL_MAX': _pycc_fi.max, 'DBL_MIN': _pycc_fi.min, 'DBL_EPSILON': _pycc_fi.epsilon,
        'DBL_DIG': _pycc_fi.dig, 'DBL_MANT_DIG': _pycc_fi.mant_dig, 'FLT_MAX': 3.4028234663852886e+38,
        'FLT_MIN': 1.1754943508222875e-38, 'FLT_EPSILON': 1.1920928955078125e-07},
    'libc.stdint': {'INT8_MIN': -128, 'INT8_MAX': 127, 'UINT8_MAX': 255, 'INT16_MIN': -32768, 'INT16_MAX': 32767,
        'UINT16_MAX': 65535, 'INT32_MIN': -2147483648, 'INT32_MAX': 2147483647, 'UINT32_MAX': 4294967295,
        'INT64_MIN': -9223372036854775808, 'INT64_MAX': 9223372036854775807, 'UINT64_MAX': 18446744073709551615},
}
def _pycc_cimport(module, name):
    if module == 'cython' or module.startswith('cython.'):
        if name == 'prange': return lambda *a, **k: range(*a)
        if name == 'threadid': return lambda: 0
        return _pycc_cython
    table = _pycc_libc.get(module, {})
    if name in table: return table[name]
    if module == 'libc.math' and callable(getattr(_pycc_math, {'tgamma': 'gamma'}.get(name, name), None)):
        return _pycc_c_math(name)
    if name.endswith('_t'): return None
    raise ImportError('pycc translation: cannot import name %r from %r' % (name, module))
def _pycc_cimport_all(module):
    if module == 'libc.math':
        names = [n for n in dir(_pycc_math) if not n.startswith('_') and callable(getattr(_pycc_math, n))]
        names += list(_pycc_libc['libc.math']) + ['tgamma']
        return {n: _pycc_cimport(module, n) for n in names}
    return dict(_pycc_libc.get(module, {}))
class _pycc_cmodule:
    def __init__(self, module, /): self._module = module
    def __getattr__(self, name, /): return _pycc_cimport(self._module, name)
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casts_spell_python_conversions() {
        assert_eq!(cast_prefix("double"), "float(");
        assert_eq!(cast_prefix("long double"), "float(");
        assert_eq!(cast_prefix("float"), "float(");
        assert_eq!(cast_prefix("cnp.float64_t"), "float(");
        assert_eq!(cast_prefix("int"), "int(");
        assert_eq!(cast_prefix("unsigned long long"), "int(");
        assert_eq!(cast_prefix("Py_ssize_t"), "int(");
        assert_eq!(cast_prefix("int64_t"), "int(");
        assert_eq!(cast_prefix("size_t"), "int(");
        assert_eq!(cast_prefix("bint"), "bool(");
        assert_eq!(cast_prefix("object"), "(");
        assert_eq!(cast_prefix("double[:]"), "(");
    }

    #[test]
    fn python_literal_is_one_line() {
        let lit = py_literal("a\n\"b\"\\");
        assert_eq!(lit, r#""a\n\"b\"\\""#);
        assert!(!lit.contains('\n'));
        assert!(!SHIM.contains('\\'), "the shim is written without backslashes");
    }

    #[test]
    fn edits_apply_in_order_and_inserts_at_a_replaced_point_survive() {
        use rustpython_parser::text_size::{TextRange, TextSize};
        let r = |a: u32, b: u32| TextRange::new(TextSize::from(a), TextSize::from(b));
        let edits = vec![
            Edit { range: r(0, 2), text: "X".into() },
            Edit { range: r(4, 4), text: ")".into() },
            Edit { range: r(4, 5), text: ", ".into() },
            Edit { range: r(5, 5), text: "(".into() },
        ];
        assert_eq!(apply_edits("abcdefg", edits), "Xcd), (fg");
    }
}
