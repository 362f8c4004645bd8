def sum_typed(list xs not None):
    cdef Py_ssize_t i, n = len(xs)
    total = 0
    for i in range(n):
        total += xs[i]
    return total

def sum_generic(xs):
    cdef Py_ssize_t i, n = len(xs)
    total = 0
    for i in range(n):
        total += xs[i]
    return total

def build_typed(int n):
    cdef list out = []
    cdef int i
    for i in range(n):
        out.append(i)
    return len(out)

def build_generic(int n):
    out = list()
    cdef int i
    for i in range(n):
        out.append(i)
    return len(out)

def count_typed(dict d, list keys):
    cdef int c = 0
    for k in keys:
        if k in d:
            c += 1
    return c

def count_generic(d, keys):
    cdef int c = 0
    for k in keys:
        if k in d:
            c += 1
    return c

def loop_typed(list xs):
    total = 0
    for x in xs:
        total += x
    return total

def loop_generic(xs):
    total = 0
    for x in xs:
        total += x
    return total
