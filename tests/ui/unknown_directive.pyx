# warning: [invalid-directive]
# cython: no_such_directive=True
# An unknown directive name is ignored with a warning (Cython ignores it silently).


cpdef int f(int n):
    return n
