def f(a):
    return a if a > else 0
