print(1 and 2, 0 and 2, 1 or 2, 0 or 2)
print("" or "default", "x" and "y")
print(None or 0 or [] or "last")
print(None and 1)
print([] or {} or ())
x = 5
y = x > 3 and "big" or "small"
print(y)
def side(v):
    print("eval", v)
    return v
print(side(0) and side(1))
print(side(1) or side(2))
