words = ["alpha", "beta", None, "delta"]
print(sum(len(w) for w in words))
