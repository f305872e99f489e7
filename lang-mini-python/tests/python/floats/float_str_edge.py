vals = [1e15, 1e16, 1e17, 123456789.0, 0.000123, 1e-7, 1.5e-10, 9.999999e22, 2.0 ** 0.5 * 1e5]
for v in vals:
    print(v, -v)
print([0.1, 1e16, -2.5])
print((1.0, float("inf")))
print({"k": 1e-5})
