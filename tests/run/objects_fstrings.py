# f-strings: conversions, format specs (constant, nested, computed), C values and objects,
# and the errors `format` raises. CPython is the oracle.


# call: plain(obj())
# call: plain(text())
def plain(x):
    return f"value: {x}!"


# call: conversions(obj())
# call: conversions(text())
def conversions(x):
    return f"{x!r} {x!s} {x!a}"


# call: spec_float(float(-1000, 1000))
# call: spec_float(int(-100, 100))
def spec_float(x: float):
    return f"{x:.3f}|{x:>12.2e}|{x:+g}"


# call: spec_int(int64())
def spec_int(n: int):
    return f"{n:,}|{n:08x}|{n:^9}|{n!r:>25}"


# call: nested(int(-1000, 1000), int(0, 12))
# call: nested(obj(), int(0, 5))
def nested(x, w: int):
    return f"[{x:>{w}}] [{x!s:<{w}}]"


# call: computed_spec(any_of(int(0, 100), float(0, 10), text()), text())
def computed_spec(x, spec):
    return f"{x:{spec}}"


# call: mixed(int(0, 50), float(-5, 5), text())
def mixed(n: int, y: float, s):
    total = 0
    for i in range(n):
        total += i
    return f"{s}: n={n} total={total} y={y:.2f} both={n + y} {'yes' if n > 10 else 'no'} {len(s)}"


# call: empty()
def empty():
    return f"" + f"{''}"


# call: only_text()
def only_text():
    return f"no fields {{braces}}"


# call: in_loop(int(0, 20))
def in_loop(n: int):
    out = []
    for i in range(n):
        out.append(f"{i:02d}")
    return ",".join(out)


# call: str_spec(any_of(text(), obj()))
def str_spec(x):
    return f"{x:s}"
