# Big ints against machine words and floats: equality, hashes, dict keys, exact comparisons.
big = 2 ** 64
print(hash(big) == hash(float(big)), hash(2 ** 61 - 1), hash(2 ** 62), hash(-(2 ** 70)))
print(big == float(big), big + 1 == float(big + 1), big + 1 > float(big))
d = {big: "two to the 64", 2 ** 64 + 0.0: "same key", 3: "three"}
print(len(d), d[2 ** 64], d[float(2 ** 64)])
print((2 ** 64) // (2 ** 32) == 2 ** 32, type(2 ** 64 // 2 ** 32).__name__)
print(2 ** 63 - 1 + 1, -(2 ** 63) - 1, (-(2 ** 63)) // -1, abs(-(2 ** 63)))
print(sorted([2 ** 70, -(2 ** 70), 1.5, 0, 2 ** 53 + 1, float(2 ** 53)]))
print(10 ** 20 / 10 ** 10, 1 / 3 * 3 == 1, 2 ** 1000 // 3 ** 600)
print(float("inf") > 10 ** 400, float("-inf") < -(10 ** 400), float("nan") == 10 ** 400)
print(max(10 ** 30, 1e30), min(-(10 ** 30), -1e30), 10 ** 30 == 1e30)
try:
    print(float(10 ** 400))
except OverflowError as e:
    print("OverflowError:", e)
try:
    print(10 ** 400 / 3)
except OverflowError as e:
    print("OverflowError:", e)
print((10 ** 400) // (10 ** 399), (-7) ** 41, 7 ** -2)
