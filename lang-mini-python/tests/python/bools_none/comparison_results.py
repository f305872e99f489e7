print(3 > 2, 2 > 3, 2 == 2.0, "a" == "a", [1] == [1], None == 0)
results = [1 < 2, 2 < 1, 1 == 1]
print(results, sum(results), any(results), all(results))
print(True + True + True, int(5 > 4) * 10)
print(sorted([True, False, True]))
print(max(True, 2), min(False, -1))
print(str(1 < 2).upper(), repr(None).lower())
