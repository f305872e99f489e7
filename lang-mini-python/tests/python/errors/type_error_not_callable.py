values = [1, 2, 3]
count = len(values)
print(count(values))
