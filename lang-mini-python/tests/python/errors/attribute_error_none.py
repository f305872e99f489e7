def find(xs, target):
    for x in xs:
        if x == target:
            return {"value": x}
result = find([1, 2, 3], 7)
print(result.value)
