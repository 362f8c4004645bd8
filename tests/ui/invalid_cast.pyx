# Casts between types that cannot be converted.


cpdef int f(int n):
    return <void>n  # error: [invalid-cast]

