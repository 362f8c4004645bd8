# Directives with a bad value are errors, as in Cython ("cdivision directive must be set
# to True or False"; "The boundscheck directive takes one compile-time boolean argument").
# error: [invalid-directive]
# cython: cdivision=maybe

cimport cython


@cython.boundscheck(2)  # error: [invalid-directive]
cpdef int f(int n):
    return n
