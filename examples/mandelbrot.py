"""Mandelbrot set area estimate, in pure Python with annotations (pycc, Numba style)."""


def escape_time(cr: float, ci: float, max_iter: int) -> int:
    zr: float = 0.0
    zi: float = 0.0
    n: int = 0
    while n < max_iter and zr * zr + zi * zi <= 4.0:
        zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
        n += 1
    return n


def mandelbrot(width: int, height: int, max_iter: int) -> int:
    """Counts the grid points of [-2, 0.5] x [-1.25, 1.25] that stay bounded."""
    inside = 0
    for y in range(height):
        ci = -1.25 + 2.5 * y / height
        for x in range(width):
            cr = -2.0 + 2.5 * x / width
            if escape_time(cr, ci, max_iter) == max_iter:
                inside += 1
    return inside
