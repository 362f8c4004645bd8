//! Check: tests of the diagnostics the checker reports, driven by small Python sources:
//! each asserts the code, the text under the primary span and the message.

use super::tests::{check, check_pyx, check_with_directives};
use crate::diagnostics::{Diagnostic, Severity};
use crate::source::SourceFile;
use crate::tir::FuncKind;

/// (code, snippet under the primary span, message, is_error)
type Shown = (String, String, String, bool);

fn shown(file: &SourceFile, d: &[Diagnostic]) -> Vec<Shown> {
    d.iter().map(|d| (d.code.name().to_string(), file.snippet(d.primary.span).to_string(), d.message.clone(), d.severity == Severity::Error)).collect()
}

fn diags(src: &str) -> Vec<Shown> {
    let (file, _, d) = check(src);
    shown(&file, &d)
}

/// Asserts that exactly the given (code, snippet) pairs are reported, in order.
#[track_caller]
fn expect(src: &str, want: &[(&str, &str)]) -> Vec<Shown> {
    let got = diags(src);
    let pairs: Vec<(&str, &str)> = got.iter().map(|(c, s, _, _)| (c.as_str(), s.as_str())).collect();
    assert_eq!(pairs, want, "diagnostics: {got:#?}");
    got
}

/// Asserts a single diagnostic with this code, snippet and message.
#[track_caller]
fn expect_one(src: &str, code: &str, snippet: &str, message: &str) {
    let got = expect(src, &[(code, snippet)]);
    assert_eq!(got[0].2, message);
}

#[test]
fn unsupported_constructs_are_named() {
    expect_one("class A:\n    pass\n", "unsupported-syntax", "class A:\n    pass", "classes are not supported");
    expect_one(
        "def f(x: int) -> int:\n    try:\n        return x\n    except Exception:\n        return 0\n",
        "unsupported-syntax",
        "try:\n        return x\n    except Exception:\n        return 0",
        "`try` statements are not supported",
    );
    expect_one("def f(n: int):\n    s = (i for i in range(n))\n", "unsupported-syntax", "(i for i in range(n))", "generator expressions are not supported here");
    expect_one("def f(n: int):\n    g = lambda: n\n", "unsupported-syntax", "n", "this lambda reads `n`, a local variable of `f`: closures are not supported yet");
    expect_one("def f(n: int):\n    yield n\n", "unsupported-syntax", "yield n", "`yield` is not supported (generators are not compiled)");
    expect_one(
        "def f(n: int):\n    with open(n) as h:\n        pass\n",
        "unsupported-syntax",
        "with open(n) as h:\n        pass",
        "`with` statements are not supported (except `with nogil:` and `with gil:`)",
    );
    expect_one("def f(n: int):\n    raise ValueError\n", "unsupported-syntax", "raise ValueError", "`raise` statements are not supported");
    expect_one("def f(n: int):\n    assert n\n", "unsupported-syntax", "assert n", "`assert` statements are not supported");
    expect_one("def f(n: int):\n    del n\n", "unsupported-syntax", "n", "`del` of a local of type `int` is not supported; only object locals can be deleted");
    expect("def f(n: int):\n    x = f'{n}'\n", &[]);
    expect("def f(n: int):\n    def g():\n        pass\n", &[]);
    expect_one("def f(n: int):\n    return n @ n\n", "unsupported-syntax", "n @ n", "the `@` operator is not supported");
    // A literal beyond 64 bits is a Python `int` (an object).
    expect("def f():\n    return 99999999999999999999\n", &[]);
    // The most negative 64-bit value is a literal that fits.
    expect("def f():\n    return -9223372036854775808\n", &[]);
}

#[test]
fn with_nogil_bodies_are_checked() {
    expect("def f(n: int) -> int:\n    with nogil:\n        n = n + 1\n    return n\n", &[]);
    expect_one(
        "def f(n: int):\n    with nogil:\n        s = 'x'\n",
        "invalid-control-flow",
        "'x'",
        "operations on Python objects need the GIL; do them outside the `nogil` block",
    );
}

#[test]
fn module_level() {
    // Module-level code runs at import; imports pycc has no meaning for are Python imports.
    expect("import os\nfrom numpy import zeros\nfrom math import gamma\nx = 1\nfor i in range(3):\n    pass\n", &[]);
    expect("from __future__ import annotations\nimport math as m, cython\nfrom libc import math as cmath\nfrom libc.math import sqrt, M_PI\n\"\"\"not a docstring\"\"\"\nif __name__ == '__main__':\n    main()\n", &[("undefined-name", "main")]);
    expect_one("x = 1\nreturn x\n", "invalid-control-flow", "return x", "`return` outside a function");
    expect_one("from os import *\n", "unsupported-syntax", "*", "`from os import *` is not supported; import the names you use");
    expect_one(
        "def f(x: float) -> float:\n    return x\n\ndef f(x: float) -> float:\n    return x\n",
        "redefinition",
        "f",
        "function `f` is defined twice",
    );
}

#[test]
fn directives() {
    let (file, _, d) = check_with_directives("def f(x: float) -> float:\n    return x\n", &[("cdivision", "True"), ("boundscheck", "False"), ("fastmath", "True"), ("cdivision", "maybe")]);
    let got = shown(&file, &d);
    assert_eq!(got.len(), 2, "{got:#?}");
    assert_eq!(got[0].0, "invalid-directive");
    assert_eq!(got[0].2, "unknown directive `fastmath`; it is ignored");
    assert!(!got[0].3, "unknown directives are warnings");
    assert_eq!(got[1].2, "directive `cdivision` expects `True` or `False`, found `maybe`");
    let (_, _, d) = check_with_directives("def f(x: float) -> float:\n    return x\n", &[("language_level", "3"), ("infer_types", "True"), ("cpow", "True")]);
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn decorators() {
    expect_one(
        "@staticmethod\ndef f(x: float) -> float:\n    return x\n",
        "unsupported-syntax",
        "staticmethod",
        "decorator `staticmethod` is not supported",
    );
    expect_one(
        "import cython\n@cython.profile(True)\n@cython.auto_pickle(True)\ndef f(x: float) -> float:\n    return x\n",
        "unsupported-syntax",
        "cython.auto_pickle(True)",
        "decorator `cython.auto_pickle` is not supported",
    );
}

#[test]
fn parameter_and_type_errors() {
    // An untyped parameter is an object (Cython's rule), in `.py` and `.pyx` alike.
    expect("def f(x, y: float):\n    return y\n", &[]);
    let (file, _, d) = check_pyx("def f(x):\n    pass\n", &[]);
    assert!(shown(&file, &d).is_empty());
    // Builtin types, typing forms and names pycc does not know are objects.
    expect("def f(x: str, y: foo, z: 'Bar'):\n    pass\n", &[]);
    expect_one("def f(x: double):\n    pass\n", "unknown-type", "double", "unknown type `double`");
    expect_one(
        "import cython\ndef f(x: cython.double[::1, :]):\n    pass\n",
        "unsupported-syntax",
        "cython.double[::1, :]",
        "`::1` is only supported on the last axis (C-contiguous); Fortran-contiguous and other layouts are not supported",
    );
    expect_one("import cython\ndef f(x: cython.quux):\n    pass\n", "unknown-type", "cython.quux", "unknown type `cython.quux`");
    expect_one("import cython\n@cython.cfunc\ndef f(*args) -> cython.int:\n    return 1\n", "unsupported-syntax", "args", "a `cdef` function cannot have `*args` parameters");
    expect_one("def f(x: int = 'a'):\n    pass\n", "unsupported-syntax", "'a'", "parameter defaults must be numbers, `True`/`False` or `math` constants");
    expect_one("def f(x: int = 1.5):\n    pass\n", "invalid-assignment", "1.5", "default value of type `double` does not fit a parameter of type `int`");
    expect_one("def f(x: None):\n    pass\n", "unknown-type", "None", "`void`/`None` can only be a return type");
}

#[test]
fn returns() {
    expect_one(
        "def f(x: float) -> float:\n    if x > 0:\n        return x\n",
        "missing-return",
        "f",
        "function `f` can reach its end without returning a `double`",
    );
    expect_one(
        "def f(n: int) -> int:\n    for i in range(n):\n        return i\n",
        "missing-return",
        "f",
        "function `f` can reach its end without returning an `int`",
    );
    expect("def f(n: int) -> int:\n    while True:\n        if n > 3:\n            break\n        n += 1\n", &[("missing-return", "f")]);
    expect_one(
        "def f(x: float) -> float:\n    return\n",
        "invalid-control-flow",
        "return",
        "`return` without a value in `f`, which returns `double`",
    );
    expect_one("def f(x: float) -> None:\n    return x\n", "invalid-control-flow", "x", "`return` with a value in `f`, which returns nothing");
    expect_one(
        "def f(x: float) -> int:\n    return x\n",
        "invalid-assignment",
        "x",
        "cannot return `double` from `f`, which returns `int`",
    );
    expect_one("def f(n: int):\n    return f(n)\n", "invalid-assignment", "f", "cannot infer the return type of `f`");
    // `return None` is fine in a void function.
    expect("def f(n: int) -> None:\n    return None\n\ndef g(n: int):\n    if n:\n        return\n    return None\n", &[]);
}

#[test]
fn control_flow() {
    expect_one("def f(n: int):\n    break\n", "invalid-control-flow", "break", "`break` outside a loop");
    expect_one("def f(n: int):\n    if n:\n        continue\n", "invalid-control-flow", "continue", "`continue` outside a loop");
    expect_one(
        "def f(n: int):\n    while n:\n        n -= 1\n    else:\n        break\n",
        "invalid-control-flow",
        "break",
        "`break` outside a loop",
    );
}

#[test]
fn assignments() {
    expect_one(
        "import cython\ndef f(x: float):\n    i: cython.int = 0\n    i = x\n",
        "invalid-assignment",
        "x",
        "cannot assign `double` to `i` of type `int`",
    );
    expect_one("import cython\ndef f(n: int):\n    i: cython.int = 0\n    i += 1.5\n", "invalid-assignment", "i += 1.5", "cannot assign `double` to `i` of type `int`");
    expect_one(
        "import cython\ndef f(n: int):\n    c: cython.uchar = 300\n",
        "invalid-assignment",
        "300",
        "integer literal `300` does not fit in `unsigned char`",
    );
    let got = expect("import cython\ndef f(n: int):\n    x: float = 1.0\n    x: cython.int = 2\n", &[("redefinition", "x")]);
    assert_eq!(got[0].2, "`x` is declared as `int` here but as `double` before");
    expect_one("def f(n: int):\n    n: float = 1.0\n", "redefinition", "n", "`n` is declared as `double` here but as `int` before");
    expect_one("def f(n):\n    a, *b, *c = n\n", "invalid-assignment", "*c", "multiple starred expressions in assignment");
    expect_one("def f(n: int):\n    n.x = 1\n", "unsupported-syntax", "n.x", "cannot set an item or attribute of a `int` value");
}

#[test]
fn operands() {
    expect_one(
        "def f(x: float, n: int):\n    return x & n\n",
        "invalid-operand",
        "x & n",
        "unsupported operand types for `&`: `double` and `int`",
    );
    expect_one("def f(x: float):\n    return ~x\n", "invalid-operand", "~x", "bad operand type for unary `~`: `double`");
    expect_one(
        "def g(x: float) -> None:\n    pass\n\ndef f(x: float):\n    return g(x) + 1\n",
        "invalid-operand",
        "g(x)",
        "this call returns no value (`void`) and cannot be used as a value",
    );
}

#[test]
fn names_and_calls() {
    // Looked up at run time (NameError then), with a warning.
    expect_one("def f(n: int):\n    return m\n", "undefined-name", "m", "`m` is not defined in this module");
    expect_one("def f(n: int):\n    return foo(n)\n", "undefined-name", "foo", "`foo` is not defined in this module");
    expect("class Helper:\n    pass\n\ndef f(n: int):\n    Helper(n)\n", &[("unsupported-syntax", "class Helper:\n    pass")]);
    // Functions of imported modules pycc does not compile are called through Python.
    expect("import numpy as np\ndef f(n: int):\n    np.sqrt(n)\n", &[]);
    expect("import scipy as sp\ndef f(n: int):\n    sp.zeros(n)\n", &[]);
    // Builtins are Python callables; a `def` function is a value.
    expect("def f(n: int):\n    print(n)\n    x = f\n    return range(n)\n", &[]);
    expect_one("def f(n: int):\n    return len(n)\n", "invalid-operand", "n", "object of type `int` has no len()");
    expect_one("def f(n: int):\n    return n.bit_length()\n", "unsupported-syntax", "n.bit_length()", "methods of a `int` value are not supported");
}

#[test]
fn argument_counts() {
    let g = "def g(a: int, b: float = 1.0) -> float:\n    return a + b\n\n";
    expect_one(&format!("{g}def f(n: int):\n    return g(n, 1.0, 2.0)\n"), "wrong-argument-count", "g(n, 1.0, 2.0)", "`g` takes 2 arguments, but 3 were given");
    expect_one(&format!("{g}def f(n: int):\n    return g()\n"), "wrong-argument-count", "g()", "missing argument `a` in call to `g`");
    expect_one(&format!("{g}def f(n: int):\n    return g(n, c=1)\n"), "wrong-argument-count", "c=1", "`g` has no parameter named `c`");
    expect_one(&format!("{g}def f(n: int):\n    return g(n, a=1)\n"), "wrong-argument-count", "a=1", "`g` got multiple values for argument `a`");
    expect_one(
        &format!("{g}def f(n: float):\n    return g(n)\n"),
        "invalid-assignment",
        "n",
        "cannot pass `double` as argument `a` of `g`, which has type `int`",
    );
    expect_one("import math\ndef f(x: float):\n    return math.sqrt(x, x)\n", "wrong-argument-count", "math.sqrt(x, x)", "`math.sqrt` takes 1 positional argument, but 2 were given");
    // What pycc does not compile of Python's `math` is called through the module.
    expect("import math\ndef f(x: float):\n    return math.log(x, 2) + math.gamma(x)\n", &[]);
}

#[test]
fn for_loops() {
    expect_one("def f(n: int):\n    for i in n:\n        pass\n", "unsupported-syntax", "n", "a `for` loop over a `int` value is not supported; use `range(...)`");
    expect_one("def f(n: int):\n    for i in range(0, n, 0):\n        pass\n", "invalid-operand", "0", "`range` step must not be zero");
    expect_one("def f(x: float):\n    for i in range(x):\n        pass\n", "invalid-operand", "x", "`range` arguments must be integers, found `double`");
    expect_one("def f(x: float):\n    for x in range(3):\n        pass\n", "invalid-assignment", "x", "the loop variable `x` has type `double`; a `range` loop needs an integer variable");
    expect_one(
        "def f(n: int):\n    for i in range(n):\n        i = 0.5\n",
        "invalid-assignment",
        "i",
        "the loop variable `i` is also assigned a `double`; a `range` loop needs an integer variable",
    );
    expect_one("def f(n: int):\n    for i in range():\n        pass\n", "wrong-argument-count", "range()", "`range` takes 1 to 3 positional arguments, but 0 were given");
}

#[test]
fn errors_do_not_cascade_and_do_not_stop_the_check() {
    // One error per problem, and every function is still checked.
    expect(
        "def f(x: float):\n    y = x @ x\n    return y * 2\n\ndef g(n: int) -> int:\n    return n & 1.5\n",
        &[("unsupported-syntax", "x @ x"), ("invalid-operand", "n & 1.5")],
    );
}

#[test]
fn pyx_specific_errors() {
    let (file, _, d) = check_pyx("def f(x: C_double_MV):\n    pass\n", &[]);
    assert!(shown(&file, &d).is_empty(), "{:#?}", shown(&file, &d));
    let (file, _, d) = check_pyx("def f(x: C_long_double):\n    pass\n\ndef g(x: C_object):\n    pass\n", &[]);
    let got = shown(&file, &d);
    assert_eq!(got.iter().map(|g| g.2.as_str()).collect::<Vec<_>>(), vec!["`long double` is not supported"]);
    let (file, _, d) = check_pyx("def f(x: C_double) -> C_int:\n    i: C_int = x\n    return i\n", &[("f", FuncKind::Cdef)]);
    let got = shown(&file, &d);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0].2, "cannot assign `double` to `i` of type `int`");
}

#[test]
fn odd_sources_never_panic_and_spans_stay_in_the_file() {
    let sources = [
        "",
        "\"\"\"only a docstring\"\"\"\n",
        "def f():\n    \"\"\"doc only\"\"\"\n",
        "def f[T](x: T) -> T:\n    return x\n",
        "async def f(x: int):\n    await x\n",
        "def f(x: int):\n    match x:\n        case 1:\n            return 1\n",
        "def f(x: int = 1, /, y: int = 2, *, z: int = 3, **kw):\n    return x\n",
        "def f(x: int):\n    (y := x)\n    return y\n",
        "def f(x: int):\n    a, *b = x, x\n",
        "def f(x: int):\n    x[1:2] = 3\n    del x\n    nonlocal q\n",
        "def f(x: int):\n    class A:\n        pass\n    import math\n    return math.pi\n",
        "@(lambda f: f)\ndef f(x: int):\n    return x\n",
        "def f(x: int):\n    return {x: x}, {x}, (x,), x[0], x.y, ..., None, b'a', 1j\n",
        "def f(x: 'not a type!'):\n    return x\n",
        "def f(x: 'cython.'):\n    return x\n",
        "import cython\ndef f(x: cython.p_int, y: cython.longdouble, z: cython.doublecomplex):\n    pass\n",
        "def f(x: int) -> int:\n    return f(x, y=1, x=2)\n",
        "def f(x: int):\n    return max() + min(x) + abs() + int() + float(1, 2) + bool(x, x) + pow(x)\n",
        "import math\ndef f(x: float):\n    return math.sqrt(*x) + math.floor(x=x) + math.e(x) + math.nope\n",
        "import cython\ndef f(x: float):\n    return cython.cast(x) + cython.cast(cython.nope, x) + cython.declare(cython.int) + cython.sizeof(x)\n",
        "def f(x: int):\n    for i, j in range(x):\n        pass\n    for i in range(x, step=2):\n        pass\n    for i in range(1, 2, 3, 4):\n        pass\n",
        "def f(x: int):\n    while x:\n        x -= 1\n    else:\n        return x\n    return 0\n",
        "def a(x: int):\n    return b(x)\n\ndef b(x: int):\n    return c(x)\n\ndef c(x: int):\n    return a(x) * 1.5\n",
        "def f(x: int):\n    y = y + 1\n    return y\n",
        "def f(x: int):\n    if x:\n        return 1.5\n    return f(x - 1) & 1\n",
        "def f(x: int, x: int):\n    return x\n",
        "from . import foo\nfrom math import *\nimport libc.math\n",
        "import cython\n@cython.locals(1, x=cython.nope)\n@cython.returns()\n@cython.cdivision\ndef f(x: int):\n    return x\n",
        "def f(x: int):\n    return -(-9223372036854775808) + 9223372036854775807 + -9223372036854775809\n",
        "def f(x: int):\n    return 1 < x < 'a' < x\n",
        "def f(x: int):\n    return x if 'a' else 'b'\n",
        "def f(x: int):\n    return not 'a' or 'b' and x\n",
    ];
    for src in sources {
        let file = SourceFile::new("t.py", src, crate::source::SourceKind::Py);
        let Some(parsed) = crate::syntax::parse_file(&file).0 else { continue };
        let (m, d) = super::check_module(&file, &parsed, "t");
        for diag in &d {
            let sp = diag.primary.span;
            assert!(sp.start <= sp.end && sp.end as usize <= file.text.len(), "span out of the file for {src:?}: {diag:?}");
        }
        if !crate::diagnostics::has_errors(&d) {
            assert!(super::tests::well_typed(&m).is_empty(), "ill-typed TIR for {src:?}");
        }
    }
}
