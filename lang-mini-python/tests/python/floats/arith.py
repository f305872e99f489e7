x = 7.5
y = 2.0
print(x + y, x - y, x * y, x / y)
print(x // y, x % y)
print(-x // y, -x % y)
print(x ** 2, y ** 0.5, 2 ** 0.5)
print(7 // 2.0, 7 % 2.5, -7 % 2.5)
print(1.5 * 2 == 3)
print(10 / 4.0)
print(divmod(7.5, 2))
