# Statements: if/elif/else, while/else with break and continue, for-range with one, two and
# three arguments, constant and dynamic steps (step 0 raises ValueError), the loop variable
# after the loop, and ranges at the edges of the 64-bit range.


# call: classify(int(-100, 100))
def classify(x: int) -> int:
    if x < -10:
        return -2
    elif x < 0:
        return -1
    elif x == 0:
        return 0
    elif x <= 10:
        return 1
    else:
        return 2


# call: nested_if(int(-5, 5), int(-5, 5))
def nested_if(a: int, b: int) -> int:
    r = 0
    if a > 0:
        if b > 0:
            r = 1
        else:
            r = 2
    elif a < 0:
        if b < a:
            r = 3
    else:
        r = 4
    return r


# call: while_else(int(0, 50), int(0, 400))
def while_else(n: int, target: int) -> int:
    i = 0
    found = -1
    while i < n:
        if i * i == target:
            found = i
            break
        i += 1
    else:
        found = -100 - i
    return found


# call: while_continue(int(-5, 300))
def while_continue(n: int) -> int:
    total = 0
    i = 0
    while i < n:
        i += 1
        if i % 3 == 0:
            continue
        if i > 250:
            break
        total += i
    return total * 1000 + i


# call: while_true(int(1, 10**6))
def while_true(n: int) -> int:
    steps = 0
    while True:
        if n <= 1:
            break
        n = n // 2 if n % 2 == 0 else n - 1
        steps += 1
    return steps


# call: range1(int(-5, 300))
def range1(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


# call: range2(int(-50, 50), int(-50, 50))
def range2(a: int, b: int) -> int:
    total = 0
    for i in range(a, b):
        total = (total * 31 + i) % 1000003
    return total


# Dynamic step, including 0 (ValueError: range() arg 3 must not be zero).
# call: range3(int(-50, 50), int(-50, 50), int(-7, 7))
def range3(a: int, b: int, s: int) -> int:
    total = 0
    for i in range(a, b, s):
        total = (total * 31 + i) % 1000003
    return total


# call: range_neg_const(int(-20, 40))
def range_neg_const(n: int) -> int:
    total = 0
    for i in range(n, -n, -3):
        total = total * 7 % 1000003 + i
    for j in range(n, 0, -1):
        total += j
    return total


# The loop variable keeps its last value; when the range is empty it keeps its old one.
# call: loop_var_after(int(-5, 20))
def loop_var_after(n: int) -> int:
    i = -1
    for i in range(n):
        pass
    return i


# call: loop_var_after_step(int(-30, 30), int(-30, 30), choice(-4, -1, 1, 3))
def loop_var_after_step(a: int, b: int, s: int) -> int:
    i = 12345
    for i in range(a, b, s):
        pass
    return i


# Assigning the loop variable in the body does not change the iteration, and the last
# assignment is what remains after the loop.
# call: modify_loop_var(int(-3, 20))
def modify_loop_var(n: int) -> int:
    count = 0
    i = -7
    for i in range(n):
        count += 1
        i = i * 10
    return count * 1000 + i


# The range bounds are evaluated once, before the first iteration.
# call: bounds_once(int(-5, 30))
def bounds_once(n: int) -> int:
    count = 0
    for i in range(n):
        n -= 1
        count += 1
    return count * 1000 + n


# call: for_else(int(2, 500))
def for_else(n: int) -> int:
    for d in range(2, n):
        if d * d > n:
            break
        if n % d == 0:
            return d
    else:
        return -1
    return 0


# call: nested_break(int(0, 30), int(0, 30))
def nested_break(n: int, m: int) -> int:
    total = 0
    for i in range(n):
        for j in range(m):
            if j > i:
                break
            if (i + j) % 4 == 0:
                continue
            total += i * j
        else:
            total += 1000
    return total


# Ranges at the edges of the 64-bit range: the trip count must be computed without
# overflow, and the variable must never be stepped past the stop value.
# call: range_near_max(int(0, 20))
def range_near_max(k: int) -> int:
    count = 0
    last = 0
    for i in range(9223372036854775807 - k, 9223372036854775807):
        count += 1
        last = i
    return count * 1000 + (9223372036854775807 - last) % 1000


# call: range_near_min(int(0, 20))
def range_near_min(k: int) -> int:
    count = 0
    last = 0
    for i in range(-9223372036854775807 - 1 + k, -9223372036854775807 - 1, -1):
        count += 1
        last = i
    return count * 1000 + (last + 9223372036854775807) % 1000


# call: range_big_step(choice(4611686018427387904, 2305843009213693952, 6917529027641081856, 9223372036854775807, -4611686018427387904, -9223372036854775807))
def range_big_step(s: int) -> int:
    count = 0
    last = 0
    if s > 0:
        for i in range(0, 9223372036854775807, s):
            count += 1
            last = i
    else:
        for i in range(0, -9223372036854775807 - 1, s):
            count += 1
            last = i
    return count * 10 + last % 7


# call: range_full_span(int(0, 3))
def range_full_span(k: int) -> int:
    count = 0
    for i in range(-9223372036854775807 - 1, 9223372036854775807, 4611686018427387904 + k):
        count += 1
    return count


# call: void_function(int(-5, 5))
def void_function(n: int) -> None:
    x = n * 2
    if x > 0:
        return
    x += 1


# call: implicit_none(int(-5, 5))
def implicit_none(n: int):
    y = n + 1
