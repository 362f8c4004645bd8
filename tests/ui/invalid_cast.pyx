# Casts between types that cannot be converted.


cdef int helper(int x):
    return x


cpdef long f(int n):
    return <long>helper  # error: [invalid-cast]


cpdef int g(double x):
    return <int?>x  # error: [invalid-cast]
