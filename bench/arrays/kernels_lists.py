"""The kernels of `kernels.py` on Python lists (`m[i][j]` for `m[i, j]`, `len()` for
`.shape`): the faster way to write these loops for CPython (2-4x faster than indexing
NumPy arrays element by element), for the `cpython-lists` column."""

from math import sqrt


def asum(a):
    s = 0.0
    for i in range(len(a)):
        s += a[i]
    return s


def dot(a, b):
    s = 0.0
    for i in range(len(a)):
        s += a[i] * b[i]
    return s


def matmul(a, b, c):
    for i in range(len(a)):
        for j in range(len(b[0])):
            s = 0.0
            for k in range(len(a[0])):
                s += a[i][k] * b[k][j]
            c[i][j] = s
    return c[0][0]


def stencil(u, out):
    for i in range(1, len(u) - 1):
        for j in range(1, len(u[0]) - 1):
            out[i][j] = u[i][j] + 0.1 * (u[i - 1][j] + u[i + 1][j] + u[i][j - 1] + u[i][j + 1] - 4.0 * u[i][j])
    return out[1][1]


def nbody(p, dt):
    for i in range(len(p)):
        ax = 0.0
        ay = 0.0
        az = 0.0
        for j in range(len(p)):
            if i != j:
                dx = p[j][0] - p[i][0]
                dy = p[j][1] - p[i][1]
                dz = p[j][2] - p[i][2]
                d2 = dx * dx + dy * dy + dz * dz + 0.01
                w = p[j][6] / (d2 * sqrt(d2))
                ax += dx * w
                ay += dy * w
                az += dz * w
        p[i][3] += dt * ax
        p[i][4] += dt * ay
        p[i][5] += dt * az
    for i in range(len(p)):
        p[i][0] += dt * p[i][3]
        p[i][1] += dt * p[i][4]
        p[i][2] += dt * p[i][5]
    return p[0][0]
