a = [1, 2, 3]
tests = ["a[5]", "pop_empty", "remove", "index", "a[-4]"]
try:
    a[5]
except IndexError as e:
    print("IndexError:", e)
try:
    [].pop()
except IndexError as e:
    print("IndexError:", e)
try:
    a.remove(9)
except ValueError as e:
    print("ValueError:", e)
try:
    a.index(9)
except ValueError as e:
    print("ValueError:", e)
try:
    a[-4] = 0
except IndexError as e:
    print("IndexError:", e)
try:
    a["x"]
except TypeError as e:
    print("TypeError:", e)
