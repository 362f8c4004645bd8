"""pycc in one screen: compile a typed function with @jit and time it against CPython."""
import time

from pycc import bench, jit


@jit
def fib(n: int) -> int:
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


@jit
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


if __name__ == "__main__":
    started = time.perf_counter()
    print(f"fib(27) = {fib(27)}")
    for name, fn, args in [("fib(27)", fib, (27,)), ("mandel(200, 200, 100)", mandel, (200, 200, 100))]:
        r = bench(fn, *args, repeat=3)
        print(f"{name:24} CPython {r['cpython']['median'] * 1e3:9.2f} ms   pycc {r['pycc']['median'] * 1e3:8.3f} ms"
              f"   {r['speedup']:6.1f}x faster   results agree: {r['agree']}")
