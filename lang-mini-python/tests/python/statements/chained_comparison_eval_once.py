def val(v):
    print("eval", v)
    return v
print(val(1) < val(2) < val(3))
print(val(3) < val(2) < val(1))
x = 5
print(1 < x < 10, 10 > x > 6, x == 5 != 6)
print(1 in [1, 2] in [[1, 2]])
print(None is None is not False)
