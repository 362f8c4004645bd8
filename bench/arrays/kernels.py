"""The kernels of `kernels.pyx` as plain Python (the same loops without C declarations): run
by CPython on NumPy arrays and by Numba (`@njit`; `@njit(boundscheck=True)` for the checked
variant, Numba's indexing always wraps negative indices around)."""

from math import sqrt


def asum(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return s


def dot(a, b):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * b[i]
    return s


def matmul(a, b, c):
    for i in range(a.shape[0]):
        for j in range(b.shape[1]):
            s = 0.0
            for k in range(a.shape[1]):
                s += a[i, k] * b[k, j]
            c[i, j] = s
    return c[0, 0]


def stencil(u, out):
    for i in range(1, u.shape[0] - 1):
        for j in range(1, u.shape[1] - 1):
            out[i, j] = u[i, j] + 0.1 * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1] - 4.0 * u[i, j])
    return out[1, 1]


def nbody(p, dt):
    for i in range(p.shape[0]):
        ax = 0.0
        ay = 0.0
        az = 0.0
        for j in range(p.shape[0]):
            if i != j:
                dx = p[j, 0] - p[i, 0]
                dy = p[j, 1] - p[i, 1]
                dz = p[j, 2] - p[i, 2]
                d2 = dx * dx + dy * dy + dz * dz + 0.01
                w = p[j, 6] / (d2 * sqrt(d2))
                ax += dx * w
                ay += dy * w
                az += dz * w
        p[i, 3] += dt * ax
        p[i, 4] += dt * ay
        p[i, 5] += dt * az
    for i in range(p.shape[0]):
        p[i, 0] += dt * p[i, 3]
        p[i, 1] += dt * p[i, 4]
        p[i, 2] += dt * p[i, 5]
    return p[0, 0]
