def f(a, *, key, flag=False):
    return a, key, flag
print(f(1, key="k"))
print(f(2, flag=True, key=0))
try:
    f(1, 2)
except TypeError as e:
    print("TypeError:", e)
try:
    f(1)
except TypeError as e:
    print("TypeError:", e)
