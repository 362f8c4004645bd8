# `.pyx`: Cython refuses `*args`, `**kwargs`, `/` and keyword-only parameters in `cdef`
# and `cpdef` signatures.

cdef int c_star(int a, *args):  # error: [unsupported-syntax]
    return a

cdef int c_kw(int a, **kw):  # error: [unsupported-syntax]
    return a

cpdef int c_posonly(int a, /, int b):  # error: [unsupported-syntax]
    return a

def ok(int a, *args, int n=1, **kw):
    return a * n
