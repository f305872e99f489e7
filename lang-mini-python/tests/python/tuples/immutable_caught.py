t = (1, 2, 3)
try:
    t[0] = 5
except TypeError as e:
    print("TypeError:", e)
print(t)
t2 = t + (4,)
print(t, t2)
nested = ([1], [2])
nested[0].append(9)
print(nested)
try:
    t[3]
except IndexError as e:
    print("IndexError:", e)
