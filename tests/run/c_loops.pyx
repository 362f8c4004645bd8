# Loops over C-typed loop variables: signed and unsigned types, every step sign, the loop
# variable after the loop, and a dynamic step of 0 (ValueError).


# call: ssize_loop(int(-10, 200), choice(1, 2, 3, -1, -2, -3))
cpdef long ssize_loop(Py_ssize_t n, Py_ssize_t step):
    cdef Py_ssize_t i
    cdef long total = 0
    if step > 0:
        for i in range(0, n, step):
            total = total * 3 % 1000003 + i
    else:
        for i in range(n, -1, step):
            total = total * 5 % 1000003 + i
    return total


# call: size_t_loop(int(0, 300))
cpdef size_t size_t_loop(size_t n):
    cdef size_t i, total = 0
    for i in range(n):
        total += i * i
    return total


# call: c_loop_var_after(int(-5, 20))
cpdef int c_loop_var_after(int n):
    cdef int i = -1
    for i in range(n):
        pass
    return i


# call: c_range3(int(-30, 30), int(-30, 30), int(-5, 5))
cpdef long c_range3(int a, int b, int s):
    cdef int i
    cdef long total = 0
    for i in range(a, b, s):
        total = total * 7 % 1000003 + i
    return total


# call: schar_loop(int(-128, 127))
cpdef int schar_loop(signed char n):
    cdef signed char i
    cdef int total = 0
    for i in range(n):
        total += i
    return total


# A while loop over an unsigned counter that stops at zero.
# call: unsigned_while(int(0, 1000))
cpdef unsigned int unsigned_while(unsigned int n):
    cdef unsigned int steps = 0
    while n > 0:
        n = n // 2
        steps += 1
    return steps
