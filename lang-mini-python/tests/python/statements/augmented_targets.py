class C:
    def __init__(self):
        self.n = 1
c = C()
c.n += 5
c.n *= 2
print(c.n)
lst = [1, 2, 3]
lst[1] += 10
lst[-1] **= 2
print(lst)
d = {"a": 1}
d["a"] -= 3
d["b"] = "x"
d["b"] *= 3
print(d)
s = "ab"
s += "cd"
print(s)
t = (1,)
t += (2,)
print(t)
idx = 0
def next_idx():
    global idx
    idx += 1
    return idx - 1
arr = [0, 0, 0]
arr[next_idx()] += 5
print(arr, idx)
