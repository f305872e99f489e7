def sqrt(n):
    x = n
    for _ in range(30):
        x = (x + n / x) / 2
    return x
for n in [2, 9, 10, 1e10, 0.25]:
    print(n, sqrt(n))
