# An unsigned loop variable counting down: `range(n, 0, -1)` is valid Cython (the step is
# negative, the loop variable never is). Its own file, because the checker currently rejects
# it at compile time, which fails every call of the file it is in.

# Counting down with an unsigned loop variable: `range(n, 0, -1)` is valid Cython.
# call[xfail=the checker rejects a negative step for an unsigned loop variable (integer literal -1 does not fit)]: unsigned_countdown(int(0, 300))
cpdef long unsigned_countdown(unsigned int n):
    cdef long total = 0
    cdef unsigned int i
    for i in range(n, 0, -1):
        total = total * 3 % 1000003 + i
    return total
