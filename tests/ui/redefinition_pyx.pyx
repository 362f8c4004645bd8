# A cdef local declared twice with different types.


cpdef double f(int n):
    cdef int x = n
    cdef double x = 1.0  # error: [redefinition]
    return x
