"""Fast paths of typed objects against the generic protocol (`python bench/objects/kinds_fast_paths.py`).

The same loops over `kinds.pyx`, once with `list`/`dict` declarations (PyList_GetItem,
PyList_Append, PyDict_Contains) and once untyped (PyObject_GetItem with a boxed index,
a method call, PySequence_Contains). `for x in xs` takes the iterator protocol in both:
an indexed loop (PyList_Size + PyList_GetItem per step) measured 10% slower than
PyIter_Next while reference counts are calls. Best of 5 runs, microseconds per call.
"""

import pathlib
import timeit

import pycc

m = pycc.compile_file(str(pathlib.Path(__file__).with_name("kinds.pyx")))
xs = list(range(1000))
d = {i: i for i in range(0, 1000, 2)}
assert m.sum_typed(xs) == m.sum_generic(xs) == sum(xs)
assert m.count_typed(d, xs) == m.count_generic(d, xs) == 500


def best(f, n=2000):
    return min(timeit.repeat(f, number=n, repeat=5)) / n * 1e6


for name, typed, generic in [
    ("xs[i] sum (1000 items)", lambda: m.sum_typed(xs), lambda: m.sum_generic(xs)),
    ("append (1000 items)", lambda: m.build_typed(1000), lambda: m.build_generic(1000)),
    ("k in d (1000 keys)", lambda: m.count_typed(d, xs), lambda: m.count_generic(d, xs)),
    ("for x in xs (1000 items)", lambda: m.loop_typed(xs), lambda: m.loop_generic(xs)),
]:
    t1, t2 = best(typed), best(generic)
    print(f"{name:24} typed {t1:6.1f} us   generic {t2:6.1f} us   {t2 / t1:.2f}x")
