print(len("abc"), len([1, 2]), len((1,)), len({}), len({1: 2, 3: 4}), len(range(10)), len(set()))
r = range(2, 20, 3)
print(r, list(r), len(r), r[0], r[-1], r[2])
print(list(range(5, 0, -1)), list(range(0)), list(range(3, 3)))
print(r[1:3], list(r[1:3]), list(r[::-1]))
print(5 in r, 6 in r, range(3) == range(0, 3))
print(len(range(0, 100, 7)), range(1, 10, 2)[-2])
try:
    range(3)[5]
except IndexError as e:
    print("IndexError:", e)
try:
    range(1, 2, 0)
except ValueError as e:
    print("ValueError:", e)
