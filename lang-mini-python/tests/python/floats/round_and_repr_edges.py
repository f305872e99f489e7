# round() with negative digits and ties, and float reprs that need the closest shortest digits.
print(round(1234.5678, -2), round(-1234.5678, -2), round(-4.0, -1), round(25.0, -1), round(35.0, -1))
print(round(15, -1), round(25, -1), round(-25, -1), round(123456789, -4), round(10 ** 25 + 5 * 10 ** 9, -10))
print(round(0.125, 2), round(0.375, 2), round(2.5), round(-3.5), round(1e300, -299))
print(-1086353280556057.2, 1086353280556057.2 * 2, 5e-324, 1.7976931348623157e308)
print(0.1 + 0.7, 1 / 7, 2 ** 0.5, 9007199254740993.0, 123456789012345680.0)
print(float("1e23"), 1e22, 8.41e21, 5e-5, 0.0001, 1e16, 123e-7)
print([hash(x) for x in [0.5, -0.5, 0.1, -2.75, 5e-324, 1e15 + 0.5, float("inf")]])
print((10 ** 17 + 1) / 3, (2 ** 62 + 1) / (2 ** 61 - 1), -(2 ** 60 + 3) / 7, 9007199254740993 / 1)
