def stats(xs):
    return min(xs), max(xs), sum(xs) / len(xs)
lo, hi, mean = stats([3, 9, 4, 1])
print(lo, hi, mean)
r = stats([5])
print(r, type(r).__name__)
def early(n):
    for i in range(n):
        if i * i > n:
            return i
    return None
print(early(50), early(0))
def no_return():
    x = 1
print(no_return())
