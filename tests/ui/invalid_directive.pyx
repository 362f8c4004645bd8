# error: [invalid-directive]
# cython: cdivision=maybe
# error: [invalid-directive]
# cython: no_such_directive=True

cimport cython


@cython.boundscheck(2)  # error: [invalid-directive]
cpdef int f(int n):
    return n
