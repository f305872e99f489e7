r = range(2, 20, 3)
print(r[1:3], r[::-1], r[::2], r[-2:], r[10:], r[:-10], r[::-3])
print(range(10)[2:8:2], range(10, 0, -2)[1:], range(0)[:], range(5)[::-1][1:3])
print(list(range(10)[7:2:-2]), range(10)[7:2:-2], len(range(100)[::7]))
print(range(1, 10)[-100:100], range(3)[5:], range(5, 0, -1)[::-1])
try:
    range(5)[::0]
except ValueError as e:
    print("ValueError:", e)
print(range(3) == range(0, 3), range(0) == range(4, 2), range(1, 2) == range(1, 5, 7), range(1, 5) != range(1, 5, 2), range(2) == [0, 1])
