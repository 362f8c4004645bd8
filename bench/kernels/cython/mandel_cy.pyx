# cython: language_level=3, boundscheck=False, wraparound=False
# Same C types as pycc gives the annotated kernel: int -> long, float -> double.


def mandel(long width, long height, long max_iter):
    cdef long inside = 0, y, x, n
    cdef double ci, cr, zr, zi
    for y in range(height):
        ci = -1.25 + 2.5 * y / height
        for x in range(width):
            cr = -2.0 + 2.5 * x / width
            zr = 0.0
            zi = 0.0
            n = 0
            while n < max_iter and zr * zr + zi * zi <= 4.0:
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
                n += 1
            if n == max_iter:
                inside += 1
    return inside
