class Bag:
    def __init__(self):
        self.data = {}
    def __len__(self):
        return len(self.data)
    def __getitem__(self, k):
        return self.data[k]
    def __setitem__(self, k, v):
        self.data[k] = v
    def __contains__(self, k):
        return k in self.data
    def __bool__(self):
        return len(self.data) > 0
b = Bag()
print(len(b), bool(b), "x" in b)
if not b:
    print("empty")
b["x"] = 1
b["y"] = 2
print(len(b), b["x"], "x" in b, "z" not in b)
b["x"] += 10
print(b["x"])
try:
    b["missing"]
except KeyError as e:
    print("KeyError:", e)
