# A malformed `for ... from` loop: the bounds do not mention the loop variable.


cpdef int f(int n):
    cdef int i, total = 0
    for i from 0 <= n:  # error: [syntax-error]
        total += i
    return total
