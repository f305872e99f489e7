a = 3
b = 0.5
c = a * b
print(c, type(c).__name__)
print(a + 0.0, a - 2.5)
print(sum([1, 2.5, 3]))
print(sum([0.1] * 10))
print(abs(-2.5), abs(-0.0))
print(pow(2.0, 3), pow(4, 0.5), pow(2, -1))
print(8 ** (1 / 3))
print(float(10 ** 20) == 10 ** 20)
