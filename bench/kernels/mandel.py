"""Mandelbrot area count: nested loops, a float inner `while` with a short-circuit `and`."""


def mandel(width: int, height: int, max_iter: int) -> int:
    inside = 0
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
