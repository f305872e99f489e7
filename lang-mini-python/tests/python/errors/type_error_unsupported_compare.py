data = [3, "a", 1]
data.sort()
