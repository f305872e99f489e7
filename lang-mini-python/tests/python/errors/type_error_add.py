def label(n):
    return "item " + n
print(label("a"))
print(label(3))
