a = 17
b = 5
print(a + b, a - b, a * b)
print(a / b)
print(a // b, a % b)
print(a ** 2, b ** 3)
print(-a, +a, ~a)
print(2 + 3 * 4, (2 + 3) * 4)
print(2 ** 3 ** 2)
print(-2 ** 2)
