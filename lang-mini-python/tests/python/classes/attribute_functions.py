class Box:
    kind = "box"
    def __init__(self):
        self.size = 3
b = Box()
print(hasattr(b, "size"), hasattr(b, "weight"), hasattr(b, "kind"))
print(getattr(b, "size"), getattr(b, "weight", "n/a"))
setattr(b, "weight", 12)
print(b.weight)
for name in ["size", "weight"]:
    setattr(b, name, getattr(b, name) * 2)
print(b.size, b.weight)
try:
    getattr(b, "color")
except AttributeError as e:
    print("AttributeError:", e)
