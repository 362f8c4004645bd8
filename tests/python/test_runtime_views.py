"""Memoryview parameters at the call boundary (runtime/src/views.rs, the `vectorcall_views`
path in function.rs), the GIL release of `nogil` functions, and the runtime's services table,
tested with hand-written entries that read `*const ViewDesc` slots as compiled code does
(`_pycc._testing_functions()`, module `pycc_testing_views`).

Expected messages are Cython's (checked against Cython 3.3.1 typed memoryviews with NumPy
2.4: dtype mismatch, wrong number of dimensions, big-endian, `'bool'` accepted as
`unsigned char`); `None` / non-buffer wording is pycc's own (Cython accepts None). Results
are computed by Python / NumPy on the same data."""

import array
import ctypes
import gc
import resource
import struct
import sys
import threading
import time
import traceback

import pytest

from pycc import _pycc


@pytest.fixture(scope="module")
def ns():
    return _pycc._testing_functions()


# ElemKind code -> (C name, struct kind, itemsize); kind: "i" signed, "u" unsigned, "f" float.
ELEMS = {
    "i8": ("signed char", "i", 1),
    "i16": ("short", "i", 2),
    "i32": ("int", "i", 4),
    "i64": ("long", "i", 8),
    "u8": ("unsigned char", "u", 1),
    "u16": ("unsigned short", "u", 2),
    "u32": ("unsigned int", "u", 4),
    "u64": ("unsigned long", "u", 8),
    "f32": ("float", "f", 4),
    "f64": ("double", "f", 8),
}

# Cython's names for a received format character (Buffer.c, __Pyx_BufFmt_DescribeTypeChar).
CYTHON_NAMES = {
    "?": "'bool'", "b": "'signed char'", "B": "'unsigned char'", "h": "'short'", "H": "'unsigned short'",
    "i": "'int'", "I": "'unsigned int'", "l": "'long'", "L": "'unsigned long'", "q": "'long long'",
    "Q": "'unsigned long long'", "f": "'float'", "d": "'double'", "Zd": "'complex double'",
}


def struct_kind(code):
    """(kind, native size) of a struct format character, as the buffer protocol means it."""
    if code == "?":
        return "u", 1  # Cython groups bool with the unsigned integers
    kind = "f" if code in "fd" else ("u" if code.isupper() else "i")
    return kind, struct.calcsize(code)


def expected_len_result(fmt, elem, n):
    """What `view_len_<elem>` (a `const T[:]` parameter) gives a 1-D buffer of `n` items with format `fmt`: `n`, or the
    ValueError message."""
    c_name, kind, size = ELEMS[elem]
    if fmt in CYTHON_NAMES and fmt != "Zd" and struct_kind(fmt) == (kind, size):
        return n
    return f"view_len_{elem}() argument 'a': Buffer dtype mismatch, expected 'const {c_name}' but got {CYTHON_NAMES[fmt]}"


def outcome(f, *args):
    try:
        return f(*args)
    except ValueError as e:
        return str(e)


# --- without NumPy: array.array, memoryview, bytearray, bytes ---------------------------------


def test_sum1d_on_array_and_memoryview(ns):
    sum1d = ns["sum1d"]
    a = array.array("d", [0.5 * i for i in range(10)])
    assert sum1d(a) == sum(a)
    m = memoryview(a)
    assert sum1d(m) == sum(a)
    assert sum1d(m[::3]) == sum(a[::3])
    assert sum1d(m[::-1]) == sum(a)  # negative stride, same items
    assert sum1d(m[::-2]) == sum(a[::-2])
    assert sum1d(m[5:5]) == 0.0
    assert sum1d(a=a) == sum(a)  # by keyword: the binding path


@pytest.mark.parametrize("typecode", "bBhHiIlLqQfd")
def test_array_typecodes_against_every_element_kind(ns, typecode):
    a = array.array(typecode, [1, 2, 3])
    fmt = memoryview(a).format
    for elem in ELEMS:
        assert outcome(ns[f"view_len_{elem}"], a) == expected_len_result(fmt, elem, 3), (typecode, elem)


def test_two_dimensional_views_without_numpy(ns):
    a = array.array("d", range(6))
    m = memoryview(a).cast("B").cast("d", (2, 3))
    ns["scale2d"](m, 2.0)
    assert list(a) == [2.0 * i for i in range(6)]
    with pytest.raises(ValueError, match=r"^scale2d\(\) argument 'm': Buffer has wrong number of dimensions \(expected 2, got 1\)$"):
        ns["scale2d"](a, 2.0)


def test_bytes_and_bytearray_as_unsigned_char(ns):
    ba = bytearray(b"abc")
    ns["fill_u8"](ba, 120)
    assert ba == b"xxx"
    assert ns["view_len_u8"](b"hello") == 5  # const: read-only bytes are fine
    with pytest.raises(ValueError, match=r"^fill_u8\(\) argument 'a': buffer source array is read-only$"):
        ns["fill_u8"](b"abc", 1)
    with pytest.raises(ValueError, match=r"^sum1d\(\) argument 'a': Buffer dtype mismatch, expected 'double' but got 'unsigned char'$"):
        ns["sum1d"](bytearray(16))


def test_none_and_non_buffers_are_type_errors_naming_the_parameter(ns):
    with pytest.raises(TypeError, match=r"^sum1d\(\) argument 'a' must be a buffer \(memoryview of double\), not None$"):
        ns["sum1d"](None)
    with pytest.raises(TypeError, match=r"^sum1d\(\) argument 'a' must be a buffer \(memoryview of double\), not list$"):
        ns["sum1d"]([1.0, 2.0])
    with pytest.raises(TypeError, match=r"^scale2d\(\) argument 'm' must be a buffer \(2-D memoryview of double\), not float$"):
        ns["scale2d"](1.0, 2.0)
    with pytest.raises(TypeError, match=r"^first\(\) argument 'a' must be a buffer \(memoryview of int\), not str$"):
        ns["first"](a="abc")


def test_exporter_errors_name_the_parameter(ns):
    m = memoryview(array.array("d", [1.0]))
    m.release()
    with pytest.raises(ValueError, match=r"^sum1d\(\) argument 'a': operation forbidden on released memoryview object$"):
        ns["sum1d"](m)


# --- buffers are released on every path ---------------------------------------------------


def assert_resizable(*objs):
    for obj in objs:
        if isinstance(obj, bytearray):
            obj.extend(b"x")  # BufferError while an export is held
        else:
            obj.append(0)


def test_buffer_released_after_success(ns):
    ba = bytearray(b"abc")
    ns["fill_u8"](ba, 1)
    assert_resizable(ba)
    a = array.array("d", [1.0, 2.0])
    assert ns["sum1d"](a) == 3.0
    assert_resizable(a)


def test_a_held_buffer_blocks_resizing(ns):
    # The check the other tests rely on: resizing fails while an export is held.
    ba = bytearray(b"abc")
    m = memoryview(ba)
    with pytest.raises(BufferError):
        ba.extend(b"x")
    m.release()
    ba.extend(b"x")


def test_buffer_released_after_a_failed_check(ns):
    ba = bytearray(16)
    with pytest.raises(ValueError, match="dtype mismatch"):
        ns["sum1d"](ba)
    a = array.array("d", [1.0])
    with pytest.raises(ValueError, match="wrong number of dimensions"):
        ns["scale2d"](a, 1.0)
    assert_resizable(ba, a)


def test_buffer_released_after_an_error_in_compiled_code(ns):
    empty = array.array("i")
    with pytest.raises(IndexError, match=r"^index 0 is out of bounds for axis 0 with size 0$") as e:
        ns["first"](empty)
    last = traceback.extract_tb(e.value.__traceback__)[-1]
    assert (last.filename, last.name, last.lineno) == ("<pycc-testing-views>", "first", 11)
    assert_resizable(empty)
    assert ns["first"](empty) == 0
    x, y = array.array("d", [1.0, 2.0]), array.array("d", [1.0])
    with pytest.raises(ValueError, match=r"^x and y differ in length$"):
        ns["axpy"](2.0, x, y)
    assert_resizable(x, y)


def test_buffers_released_when_a_later_argument_fails(ns):
    x = array.array("d", [1.0, 2.0])
    with pytest.raises(TypeError, match=r"^axpy\(\) argument 'y' must be a buffer \(memoryview of double\), not None$"):
        ns["axpy"](2.0, x, None)
    ro = array.array("d", [0.0, 0.0])
    with pytest.raises(ValueError, match=r"^axpy\(\) argument 'y': buffer source array is read-only$"):
        ns["axpy"](2.0, x, memoryview(ro).toreadonly())
    with pytest.raises(TypeError, match=r"^axpy\(\) argument 'alpha' must be float, not str$"):
        ns["axpy"]("2", x, ro)
    with pytest.raises(TypeError, match=r"^axpy\(\) missing 1 required positional argument: 'y'$"):
        ns["axpy"](2.0, x=x)
    assert_resizable(x, ro)
    y = array.array("d", [10.0, 20.0, 30.0])
    ns["axpy"](y=y, x=x, alpha=2.0)  # x is [1.0, 2.0, 0.0] now
    assert list(y) == [12.0, 24.0, 30.0]


def test_more_views_than_the_stack_storage(ns):
    bufs = [bytearray(n) for n in (1, 2, 3, 4, 5)]
    assert ns["count5"](*bufs) == 1 + 20 + 300 + 4000 + 50000
    assert_resizable(*bufs)
    with pytest.raises(TypeError, match=r"^count5\(\) argument 'e' must be a buffer \(memoryview of unsigned char\), not None$"):
        ns["count5"](*bufs[:4], None)
    assert_resizable(*bufs)


def test_no_reference_leaks(ns):
    a = array.array("d", [1.0, 2.0])
    refs = sys.getrefcount(a)
    for _ in range(10_000):
        ns["sum1d"](a)
        with pytest.raises(ValueError):
            ns["scale2d"](a, 1.0)
        with pytest.raises(TypeError):
            ns["axpy"](1.0, a, None)
    assert sys.getrefcount(a) == refs


# --- GIL and services ---------------------------------------------------------------------


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


def test_nogil_from_the_descriptor_releases_the_gil_with_buffers_held(ns):
    sum_slow = ns["sum_slow"]
    assert sum_slow.__pycc_nogil__ and not ns["sum1d"].__pycc_nogil__
    a = array.array("d", [1.0, 2.0, 3.0])
    free = _spin_count_while(lambda: time.sleep(0.3))
    released = _spin_count_while(lambda: sum_slow(a, 300))
    assert released > 0.25 * free

    # While the call runs without the GIL, the buffer is still exported.
    result = []
    t = threading.Thread(target=lambda: result.append(sum_slow(a, 300)))
    t.start()
    time.sleep(0.1)
    with pytest.raises(BufferError):
        a.append(4.0)
    t.join()
    assert result == [6.0]
    assert_resizable(a)


def test_nogil_requested_from_python_sets_the_flag(ns):
    assert not ns["sleep_ms"].__pycc_nogil__
    assert _pycc._testing_functions(nogil=["sleep_ms"])["sleep_ms"].__pycc_nogil__


def test_services_table_is_the_runtimes(ns):
    # save_thread/restore_thread really release the GIL (the compiler's default table does not).
    assert ns["gil_service"]() is True
    # Called from a function that already runs without the GIL, save_thread is a no-op.
    assert _pycc._testing_functions(nogil=["gil_service"])["gil_service"]() is True
    for a, b in [(-7.0, 2.0), (7.0, -2.0), (-0.0, 5.0), (5.5, 1.5)]:
        got = ns["mod_service"](a, b)
        assert got == a % b and str(got) == str(a % b)


# --- the AOT path -------------------------------------------------------------------------


def test_views_through_make_module():
    class AotApi(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("make_module", ctypes.c_void_p)]

    get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    get_pointer.restype = ctypes.c_void_p
    get_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
    api = AotApi.from_address(get_pointer(_pycc._C_API, b"pycc._pycc._C_API"))
    make = ctypes.PYFUNCTYPE(
        ctypes.py_object, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_void_p), ctypes.c_size_t
    )(api.make_module)
    desc, entries = _pycc._testing_entries(views=True)
    assert "\tview:f64:2:C:w\t" in desc
    raw = desc.encode()
    module = make(raw, len(raw), (ctypes.c_void_p * len(entries))(*entries), len(entries))
    assert module.__name__ == "pycc_testing_views"
    a = array.array("d", [1.0, 2.5])
    assert module.sum1d(a) == 3.5
    assert module.sum_slow.__pycc_nogil__  # the flag survives the descriptor text
    with pytest.raises(ValueError, match=r"^sum1d\(\) argument 'a': Buffer dtype mismatch, expected 'double' but got 'int'$"):
        module.sum1d(array.array("i", [1]))


# --- with NumPy ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def np():
    return pytest.importorskip("numpy")


NUMPY_DTYPES = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64",
                "bool", "longlong", "ulonglong", "complex128"]


@pytest.mark.parametrize("dtype", NUMPY_DTYPES)
def test_numpy_dtypes_against_every_element_kind(ns, np, dtype):
    a = np.zeros(3, dtype=dtype)
    fmt = memoryview(a).format
    for elem in ELEMS:
        assert outcome(ns[f"view_len_{elem}"], a) == expected_len_result(fmt, elem, 3), (dtype, elem)


def test_numpy_formats_pycc_does_not_take(ns, np):
    with pytest.raises(ValueError, match=r"^view_len_f64\(\) argument 'a': Big-endian buffer not supported on little-endian compiler$"):
        ns["view_len_f64"](np.zeros(3, dtype=">f8"))
    assert ns["view_len_i8"](np.zeros(3, dtype=">i1")) == 3  # one byte: no byte order
    assert ns["view_len_f64"](np.zeros(3, dtype="<f8")) == 3
    with pytest.raises(ValueError, match=r"^view_len_f32\(\) argument 'a': Buffer dtype mismatch, expected 'const float' but got buffer format 'e'$"):
        ns["view_len_f32"](np.zeros(3, dtype="float16"))
    with pytest.raises(ValueError, match=r"^sum1d\(\) argument 'a': Buffer dtype mismatch, expected 'double' but got buffer format 'T\{"):
        ns["sum1d"](np.zeros(3, dtype=[("x", "f8")]))
    with pytest.raises(ValueError, match=r"^sum1d\(\) argument 'a': Buffer dtype mismatch, expected 'double' but got Python object$"):
        ns["sum1d"](np.zeros(3, dtype=object))


def test_numpy_one_dimensional_strided_and_negative(ns, np):
    sum1d = ns["sum1d"]
    a = np.arange(11.0) ** 2
    repeated = np.lib.stride_tricks.as_strided(a[2:], shape=(4,), strides=(0,))  # stride 0
    for view in (a, a[::2], a[::-1], a[::-3], a[3:8], a[5:5], repeated):
        assert sum1d(view) == float(view.sum()), view.strides


def test_numpy_two_dimensional_c_contiguous_required(ns, np):
    scale2d = ns["scale2d"]
    m = np.arange(12.0).reshape(3, 4)
    scale2d(m, 3.0)
    assert (m == np.arange(12.0).reshape(3, 4) * 3.0).all()
    row = np.asfortranarray(np.arange(4.0).reshape(1, 4))  # one row: C- and F-contiguous
    scale2d(row, 2.0)
    assert (row == np.arange(4.0).reshape(1, 4) * 2.0).all()
    for bad in (np.asfortranarray(np.zeros((3, 4))), np.zeros((3, 8))[:, ::2], np.zeros((3, 4))[::-1], np.zeros((3, 4)).T):
        with pytest.raises(ValueError, match=r"^scale2d\(\) argument 'm': ndarray is not C-contiguous$"):
            scale2d(bad, 2.0)
    with pytest.raises(ValueError, match=r"^scale2d\(\) argument 'm': Buffer has wrong number of dimensions \(expected 2, got 3\)$"):
        scale2d(np.zeros((2, 2, 2)), 2.0)
    with pytest.raises(ValueError, match=r"^scale2d\(\) argument 'm': Buffer dtype mismatch, expected 'double' but got 'long'$"):
        scale2d(np.zeros((2, 2), dtype=np.int64), 2.0)


def test_numpy_three_dimensional_any_strides(ns, np):
    sum3d = ns["sum3d"]
    base = np.arange(2 * 3 * 4, dtype=np.int64).reshape(2, 3, 4) - 7

    def expected(a):
        i, j, k = np.indices(a.shape)
        return int((a * (1 + i * 10000 + j * 100 + k)).sum())

    for view in (base, base[:, ::2, :], base[::-1, :, ::-1], base.transpose(2, 0, 1), np.asfortranarray(base)):
        assert sum3d(view) == expected(view)
    with pytest.raises(ValueError, match=r"^sum3d\(\) argument 'a': Buffer has wrong number of dimensions \(expected 3, got 2\)$"):
        sum3d(base[0])


def test_numpy_read_only_arrays(ns, np):
    a = np.arange(4.0)
    a.flags.writeable = False
    with pytest.raises(ValueError, match=r"^sum1d\(\) argument 'a': buffer source array is read-only$"):
        ns["sum1d"](a)
    b = np.array([7, 8], dtype=np.int32)
    b.flags.writeable = False
    assert ns["first"](b) == 7  # const int[:]
    m = np.zeros((2, 2))
    m.flags.writeable = False
    with pytest.raises(ValueError, match=r"^scale2d\(\) argument 'm': buffer source array is read-only$"):
        ns["scale2d"](m, 1.0)


def test_numpy_writes_through_a_view(ns, np):
    x = np.arange(5.0)
    y = np.ones(10)
    ns["axpy"](3.0, x, y[::2])
    want = np.ones(10)
    want[::2] += 3.0 * np.arange(5.0)
    assert (y == want).all()


def test_memory_stays_flat_over_a_million_calls_with_an_array(ns, np):
    sum1d, a = ns["sum1d"], np.arange(10.0)

    def calls(n):
        for _ in range(n):
            sum1d(a)

    calls(100_000)
    gc.collect()
    refs = sys.getrefcount(a)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    calls(1_000_000)
    gc.collect()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # A leaked export (a memoryview or the array's buffer info) per call would be tens of MiB.
    assert after - before < 4 * 1024, f"RSS grew by {after - before} KiB"
    assert sys.getrefcount(a) == refs
