"""The compiled-function call path (runtime/src/function.rs, convert.rs, errors.rs), tested
with hand-written entries that follow the compiled-code ABI (`_pycc._testing_functions`), so
it does not depend on the compiler. Binding errors are compared with the messages CPython
gives for a Python function with the same parameters."""

import gc
import inspect
import resource
import subprocess
import sys
import textwrap
import threading
import time
import traceback

import pytest

from pycc import _pycc


@pytest.fixture(scope="module")
def ns():
    return _pycc._testing_functions()


# Python functions with the same names and parameters as the testing entries: CPython's
# own messages for them are the expected ones.
def add(a, b):
    pass


def combine(a, b, c=0.5, d=True):
    pass


def nothing():
    pass


def ident_i64(x):
    pass


def same_type_error(compiled, reference, *args, **kwargs):
    with pytest.raises(TypeError) as want:
        reference(*args, **kwargs)
    with pytest.raises(TypeError) as got:
        compiled(*args, **kwargs)
    assert str(got.value) == str(want.value)
    return str(got.value)


# --- binding: positional, keywords, defaults ------------------------------------------


def test_positional_keyword_and_default_arguments(ns):
    c = ns["combine"]
    # combine(a, b, c=0.5, d=True) = a + 1000*b + c + (1e6 if d else 0)
    assert c(1, 2) == 1 + 2000 + 0.5 + 1e6
    assert c(1, 2, 0.25, False) == 1 + 2000 + 0.25
    assert c(b=3, a=4) == 4 + 3000 + 0.5 + 1e6
    assert c(4, d=False, b=3) == 4 + 3000 + 0.5
    assert c(1, 2, d=0) == 1 + 2000 + 0.5
    assert c(*[1, 2], **{"c": 7}) == 1 + 2000 + 7 + 1e6
    assert ns["add"](1, b=5) == 6
    assert ns["nothing"]() is None


@pytest.mark.parametrize(
    "args, kwargs",
    [
        ((1, 2, 3), {}),
        ((1,), {}),
        ((), {}),
        ((), {"b": 1}),
        ((1,), {"z": 2}),
        ((1, 2), {"a": 3}),
        ((1, 2, 3), {"a": 3}),
        ((1, 2, 3), {"z": 3}),
    ],
)
def test_binding_errors_match_cpython_two_params(ns, args, kwargs):
    same_type_error(ns["add"], add, *args, **kwargs)


@pytest.mark.parametrize(
    "args, kwargs",
    [
        ((1, 2, 3, 4, 5), {}),
        ((1, 2, 3, 4, 5, 6), {}),
        ((), {}),
        ((), {"c": 1.0}),
        ((1,), {"d": True}),
        ((1, 2), {"b": 2}),
        ((1, 2), {"e": 2}),
    ],
)
def test_binding_errors_match_cpython_with_defaults(ns, args, kwargs):
    same_type_error(ns["combine"], combine, *args, **kwargs)


def test_binding_errors_match_cpython_zero_and_one_param(ns):
    assert same_type_error(ns["nothing"], nothing, 1) == "nothing() takes 0 positional arguments but 1 was given"
    assert same_type_error(ns["ident_i64"], ident_i64, 1, 2) == "ident_i64() takes 1 positional argument but 2 were given"
    assert same_type_error(ns["ident_i64"], ident_i64) == "ident_i64() missing 1 required positional argument: 'x'"
    same_type_error(ns["ident_i64"], ident_i64, y=1)


def test_missing_arguments_are_listed_like_cpython(ns):
    params = ", ".join(f"a{i}" for i in range(_pycc.MAX_PARAMS))
    reference = {}
    exec(f"def sum_all({params}): pass", reference)
    message = same_type_error(ns["sum_all"], reference["sum_all"], 1, 2, 3)
    assert message.startswith("sum_all() missing 29 required positional arguments: 'a3', 'a4', ")
    assert message.endswith(", 'a30', and 'a31'")


def test_thirty_two_parameters_by_position_and_keyword(ns):
    f = ns["sum_all"]
    assert _pycc.MAX_PARAMS == 32
    assert f(*range(32)) == sum(range(32))
    assert f(**{f"a{i}": i * 3 for i in range(32)}) == 3 * sum(range(32))


def test_keyword_names_match_by_value_not_only_identity(ns):
    key = "".join(["a", ""])  # a new str object, not the interned one
    assert ns["add"](**{key: 2, "b": 3}) == 5


# --- argument conversion ----------------------------------------------------------------

INT_RANGES = {  # (ABI name, C type name in the testing descriptor, min, max)
    "i8": ("signed char", -(2**7), 2**7 - 1),
    "i16": ("short", -(2**15), 2**15 - 1),
    "i32": ("int", -(2**31), 2**31 - 1),
    "i64": ("long", -(2**63), 2**63 - 1),
    "u8": ("unsigned char", 0, 2**8 - 1),
    "u16": ("unsigned short", 0, 2**16 - 1),
    "u32": ("unsigned int", 0, 2**32 - 1),
    "u64": ("unsigned long", 0, 2**64 - 1),
}


@pytest.mark.parametrize("abi", sorted(INT_RANGES))
def test_integers_round_trip_at_their_limits(ns, abi):
    f = ns[f"ident_{abi}"]
    _, lo, hi = INT_RANGES[abi]
    candidates = {lo, hi, 0, 1, lo + 1, hi - 1, 2**30 - 1, 2**30, -(2**30), 2**31, 2**32 + 5, -(2**40)}
    for v in sorted(v for v in candidates if lo <= v <= hi):
        got = f(v)
        assert got == v and type(got) is int, (abi, v)


@pytest.mark.parametrize("abi", sorted(INT_RANGES))
def test_integers_out_of_range_raise_overflow_error_naming_the_parameter(ns, abi):
    f = ns[f"ident_{abi}"]
    c_name, lo, hi = INT_RANGES[abi]
    for v in (hi + 1, 2**70):
        with pytest.raises(OverflowError) as e:
            f(v)
        assert str(e.value) == f"ident_{abi}() argument 'x': value {v} out of range for {c_name}"
    if lo == 0:
        for v in (-1, -(2**70)):
            with pytest.raises(OverflowError) as e:
                f(v)
            assert str(e.value) == f"ident_{abi}() argument 'x': can't convert negative value {v} to {c_name}"
    else:
        for v in (lo - 1, -(2**70)):
            with pytest.raises(OverflowError) as e:
                f(v)
            assert str(e.value) == f"ident_{abi}() argument 'x': value {v} out of range for {c_name}"


class Index:
    def __init__(self, v):
        self.v = v

    def __index__(self):
        return self.v


class Floaty:
    def __float__(self):
        return 2.5


class IntSub(int):
    pass


def test_integers_accept_bool_index_objects_and_subclasses(ns):
    assert ns["ident_i64"](True) == 1
    assert ns["ident_u8"](False) == 0
    assert ns["ident_i32"](Index(-7)) == -7
    assert ns["ident_i64"](IntSub(2**40)) == 2**40
    with pytest.raises(OverflowError, match=r"ident_u8\(\) argument 'x': value 300 out of range for unsigned char"):
        ns["ident_u8"](Index(300))


@pytest.mark.parametrize("value, type_name", [(1.0, "float"), ("1", "str"), (None, "NoneType"), (Floaty(), "Floaty"), (1j, "complex")])
def test_integers_reject_other_types_with_a_type_error_naming_the_parameter(ns, value, type_name):
    with pytest.raises(TypeError) as e:
        ns["ident_i64"](value)
    assert str(e.value) == f"ident_i64() argument 'x' must be int, not {type_name}"


def test_keyword_argument_conversion_errors_name_the_parameter(ns):
    with pytest.raises(TypeError, match=r"^combine\(\) argument 'b' must be int, not float$"):
        ns["combine"](1, b=2.0)
    with pytest.raises(OverflowError, match=r"^combine\(\) argument 'b': value 256 out of range for unsigned char$"):
        ns["combine"](b=256, a=1)


def test_index_errors_propagate(ns):
    class Bad:
        def __index__(self):
            raise ValueError("no index")

    with pytest.raises(ValueError, match="no index"):
        ns["ident_i64"](Bad())


@pytest.mark.parametrize("abi", ["f64", "f32"])
def test_floats_accept_floats_ints_and_number_protocols(ns, abi):
    f = ns[f"ident_{abi}"]
    assert f(1.5) == 1.5 and type(f(1.5)) is float
    assert f(3) == 3.0 and type(f(3)) is float
    assert f(True) == 1.0
    assert f(Floaty()) == 2.5
    assert f(Index(4)) == 4.0
    assert f(-(2**53)) == float(-(2**53))


@pytest.mark.parametrize("abi", ["f64", "f32"])
def test_floats_call_float_of_int_and_float_subclasses(ns, abi):
    # Issue 7, finding 9: as `math.sqrt` and Cython do, an int (or float) subclass is
    # converted by its own `__float__`, and a plain int subclass as the int it is.
    import math

    f = ns[f"ident_{abi}"]

    class I(int):
        def __float__(self):
            return 42.0

    class J(int):
        pass

    class F(float):
        def __float__(self):
            return 7.0

    assert f(I(9)) == 42.0 == math.sqrt(I(9)) ** 2
    assert f(J(9)) == 9.0 and type(f(J(9))) is float
    # A float subclass is its value (`PyFloat_AsDouble`), as `math.sqrt(F(2.25)) == 1.5`.
    assert f(F(1.5)) == 1.5 == math.sqrt(F(2.25))

    class Raises(int):
        def __float__(self):
            raise ValueError("nope")

    with pytest.raises(ValueError, match="nope"):
        f(Raises(1))


def test_float_conversion_errors(ns):
    with pytest.raises(TypeError) as e:
        ns["ident_f64"]("1.5")
    assert str(e.value) == "ident_f64() argument 'x' must be float, not str"
    with pytest.raises(TypeError) as e:
        ns["combine"](1, 2, c=None)
    assert str(e.value) == "combine() argument 'c' must be float, not NoneType"
    with pytest.raises(OverflowError) as e:
        ns["ident_f64"](10**400)
    assert str(e.value) == "ident_f64() argument 'x': int too large to convert to double"


def test_nan_and_infinity_pass_through(ns):
    import math

    assert math.isnan(ns["ident_f64"](float("nan")))
    assert ns["ident_f64"](float("-inf")) == float("-inf")


def test_bint_takes_any_truth_value(ns):
    f = ns["ident_bool"]
    assert f(0) is False and f(2) is True
    assert f([]) is False and f([0]) is True
    assert f("") is False and f(None) is False

    class Bad:
        def __bool__(self):
            raise RuntimeError("no truth")

    with pytest.raises(RuntimeError, match="no truth"):
        f(Bad())


# --- errors raised by compiled code -----------------------------------------------------


def test_error_site_raises_the_builtin_exception_with_a_traceback_line(ns):
    with pytest.raises(ZeroDivisionError) as e:
        ns["floordiv"](1, 0)
    assert str(e.value) == "integer division or modulo by zero"
    last = traceback.extract_tb(e.value.__traceback__)[-1]
    assert (last.filename, last.name, last.lineno) == ("<pycc-testing>", "floordiv", 7)
    with pytest.raises(OverflowError, match="^integer overflow$"):
        ns["add"](2**63 - 1, 1)
    assert ns["floordiv"](-7, 2) == -7 // 2


def test_bad_error_site_or_status_is_a_system_error(ns):
    with pytest.raises(SystemError, match=r"bad_site\(\): compiled code reported error site 99 of 2"):
        ns["bad_site"]()
    with pytest.raises(SystemError, match=r"bad_status\(\): compiled code returned status 7"):
        ns["bad_status"]()


# --- the function object ----------------------------------------------------------------


def test_function_attributes_are_writable_like_a_python_function(ns):
    f = _pycc._testing_functions()["combine"]
    assert f.__name__ == "combine" and f.__qualname__ == "combine"
    assert f.__module__ == "pycc_testing"
    assert f.__doc__ == "Combine four values."
    assert ns["add"].__doc__ is None
    assert repr(f) == "<pycc function combine>"
    f.__qualname__ = "Outer.combine"
    assert repr(f) == "<pycc function Outer.combine>"
    f.py_func = combine
    f.__wrapped__ = combine
    assert f.py_func is combine
    assert type(f).__name__ == "CompiledFunction"
    assert isinstance(f, _pycc.CompiledFunction)
    with pytest.raises(TypeError, match="cannot create"):
        _pycc.CompiledFunction()


def test_signature_from_the_descriptor(ns):
    sig = inspect.signature(ns["combine"])
    assert str(sig) == "(a: 'long', b: 'unsigned char', c: 'double' = 0.5, d: 'bint' = True) -> 'double'"
    assert str(inspect.signature(ns["nothing"])) == "() -> None"
    assert ns["combine"].__pycc_params__[2] == ("c", "double", True, 0.5)
    assert ns["combine"].__pycc_return__ == "f64"


def test_signature_follows_py_func_and_can_be_assigned():
    f = _pycc._testing_functions()["combine"]
    f.py_func = combine
    assert inspect.signature(f) == inspect.signature(combine)
    f.__signature__ = inspect.Signature()
    assert str(inspect.signature(f)) == "()"
    del f.__signature__
    assert inspect.signature(f) == inspect.signature(combine)


def test_reference_cycles_through_the_dict_are_collected():
    deleted = []

    class Marker:
        def __del__(self):
            deleted.append(True)

    f = _pycc._testing_functions()["add"]
    f.marker = Marker()
    f.me = f
    del f
    gc.collect()
    assert deleted == [True]


# --- resources: references, memory, stack, GIL ------------------------------------------


def test_no_reference_leaks_on_success_and_error_paths(ns):
    big = 10**12
    flt = 1234.5
    key = "b"
    refs = (sys.getrefcount(big), sys.getrefcount(flt), sys.getrefcount(key))
    for _ in range(10_000):
        ns["add"](big, big)
        ns["combine"](big, 7, flt, d=True)
        ns["add"](big, **{key: 1})
        with pytest.raises(TypeError):
            ns["ident_i64"](flt)
        with pytest.raises(ZeroDivisionError):
            ns["floordiv"](big, 0)
    assert (sys.getrefcount(big), sys.getrefcount(flt), sys.getrefcount(key)) == refs


def test_memory_stays_flat_over_a_million_calls(ns):
    add, combine, f64 = ns["add"], ns["combine"], ns["ident_f64"]

    def calls(n):
        for i in range(n):
            add(i, 2**40)
            combine(i, 3, c=0.5)
            f64(i * 0.5)

    calls(100_000)
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    calls(1_000_000)
    gc.collect()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Three new objects per iteration: a leak of even one would be tens of MiB.
    assert after - before < 4 * 1024, f"RSS grew by {after - before} KiB"


def test_stack_limit_is_per_thread(ns):
    headroom = ns["headroom"]()
    assert 64 * 1024 < headroom < 1 << 36
    # In a fresh interpreter, so that glibc has no cached (larger) thread stack to reuse.
    code = textwrap.dedent("""
        import threading
        from pycc import _pycc
        ns = _pycc._testing_functions()
        results = []
        threading.stack_size(2 * 1024 * 1024)
        t = threading.Thread(target=lambda: results.append(ns["headroom"]()))
        t.start()
        t.join()
        print(results[0])
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # A 2 MiB thread stack, less the 256 KiB margin and the frames above this call.
    assert 1024 * 1024 < int(out.stdout) < 2 * 1024 * 1024 - 256 * 1024


def _spin_count_while(call):
    """How far another Python thread counts while `call()` runs in this one."""
    counter = [0]
    stop = []

    def spin():
        while not stop:
            counter[0] += 1

    t = threading.Thread(target=spin)
    t.start()
    try:
        time.sleep(0.02)
        before = counter[0]
        call()
        return counter[0] - before
    finally:
        stop.append(True)
        t.join()


def test_nogil_functions_release_the_gil():
    held = _pycc._testing_functions()["sleep_ms"]
    released = _pycc._testing_functions(nogil=["sleep_ms"])["sleep_ms"]
    assert released.__pycc_nogil__ and not held.__pycc_nogil__
    free = _spin_count_while(lambda: time.sleep(0.3))
    with_release = _spin_count_while(lambda: released(300))
    with_gil = _spin_count_while(lambda: held(300))
    # Released, the other thread runs the whole 300 ms, as during time.sleep; held, it runs
    # at most one switch interval (5 ms) before the call starts.
    assert with_release > 0.25 * free
    assert with_gil < 0.25 * free
