class Squares:
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n
    def __getitem__(self, i):
        if i < 0:
            i += self.n
        if i >= self.n or i < 0:
            raise IndexError("out of range")
        return i * i
s = Squares(5)
print(len(s), s[2], s[-1])
print([s[i] for i in range(len(s))])
try:
    s[5]
except IndexError as e:
    print("IndexError:", e)
