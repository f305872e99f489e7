def outer(values):
    scale = 3
    def inner(v):
        return scale * v["amount"]
    return [inner(v) for v in values]
print(outer([{"amount": 1}]))
print(outer([{"amount": 2}, {"amt": 3}]))
