def a(n):
    return b(n) + 1
def b(n):
    return c(n) * 2
def c(n):
    return d(n) - 1
def d(n):
    items = [10, 20]
    return items[n]
print(a(1))
print(a(2))
