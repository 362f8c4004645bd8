# C type names that do not exist.


cpdef int f(int n):
    cdef foo x = n  # error: [unknown-type]
    return n


cpdef bar g(int n):  # error: [unknown-type]
    return n
