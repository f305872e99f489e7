class Acc:
    def __init__(self):
        self.items = []
    def add(self, x):
        self.items.append(x)
        return self
a = Acc()
m = a.add
m(1)
m(2)
print(a.items)
a.add(3).add(4)
print(a.items)
f = Acc.add
f(a, 5)
print(a.items)
print(len(a.items))
