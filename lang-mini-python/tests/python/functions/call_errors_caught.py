def two(a, b):
    return a + b
try:
    two(1)
except TypeError as e:
    print(e)
try:
    two(1, 2, 3)
except TypeError as e:
    print(e)
try:
    two(1, c=2)
except TypeError as e:
    print(e)
try:
    two(1, a=2)
except TypeError as e:
    print(e)
try:
    five = 5
    five()
except TypeError as e:
    print(e)
try:
    s = "abc"
    s(1)
except TypeError as e:
    print(e)
