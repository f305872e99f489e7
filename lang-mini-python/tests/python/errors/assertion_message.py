values = [3, 2, 1]
assert values == sorted(values), "values not sorted: " + repr(values)
