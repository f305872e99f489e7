a = b = c = 5
print(a, b, c)
x, y = 1, 2
x, y = y, x + y
print(x, y)
lst = [0, 0, 0]
lst[0], lst[1] = 7, 8
print(lst)
class O: pass
o = O()
o.a, o.b = "A", "B"
print(o.a, o.b)
d = {}
d["k"] = d["j"] = 1
print(d)
i = 0
arr = [10, 20, 30]
i, arr[i] = 1, 99
print(i, arr)
(p, q), r = [1, 2], 3
print(p, q, r)
