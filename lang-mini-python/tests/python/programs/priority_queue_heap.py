class Heap:
    def __init__(self):
        self.items = []
    def __len__(self):
        return len(self.items)
    def push(self, item):
        a = self.items
        a.append(item)
        i = len(a) - 1
        while i > 0:
            parent = (i - 1) // 2
            if a[parent] <= a[i]:
                break
            a[parent], a[i] = a[i], a[parent]
            i = parent
    def pop(self):
        a = self.items
        if not a:
            raise IndexError("pop from empty heap")
        top = a[0]
        last = a.pop()
        if a:
            a[0] = last
            i = 0
            n = len(a)
            while True:
                l, r = 2 * i + 1, 2 * i + 2
                small = i
                if l < n and a[l] < a[small]:
                    small = l
                if r < n and a[r] < a[small]:
                    small = r
                if small == i:
                    break
                a[i], a[small] = a[small], a[i]
                i = small
        return top
h = Heap()
for v in [(5, "e"), (1, "a"), (4, "d"), (2, "b"), (3, "c"), (0, "z")]:
    h.push(v)
out = []
while h:
    out.append(h.pop())
print(out)
try:
    h.pop()
except IndexError as e:
    print("IndexError:", e)
nums = Heap()
for i in range(50):
    nums.push((i * 7919) % 101)
print([nums.pop() for _ in range(10)])
