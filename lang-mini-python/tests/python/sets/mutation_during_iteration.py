s = {1, 2, 3}
it = iter(s)
print(next(it))
s.add(9)
for attempt in range(2):
    try:
        next(it)
    except RuntimeError as e:
        print("RuntimeError:", e)
d = {1: 2}
it = iter(d)
d[5] = 1
for attempt in range(2):
    try:
        next(it)
    except RuntimeError as e:
        print("RuntimeError:", e)
s = {1, 2, 3}
for x in s:
    s.discard(x)
