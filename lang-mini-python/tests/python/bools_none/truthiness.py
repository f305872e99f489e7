vals = [0, 1, -1, 0.0, 2.5, "", "a", [], [0], (), (0,), {}, {1: 2}, None, True, False, set(), range(0), range(3)]
for v in vals:
    print(repr(v), bool(v), not v)
