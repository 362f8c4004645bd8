# cimports of modules or names pycc does not know.

from libc.math cimport no_such_function  # error: [unknown-import]
from libcpp.vector cimport vector  # error: [unknown-import]


cpdef double f(double x):
    return x
