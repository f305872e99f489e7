nothing = None
tests = [
    lambda: [1][5],
    lambda: (1,)[5],
    lambda: "s"[5],
    lambda: {"a": 1}["b"],
    lambda: undefined_thing,
    lambda: 1 + "a",
    lambda: "a" * "b",
    lambda: len(5),
    lambda: None.attr,
    lambda: (5).foo,
    lambda: int("x4"),
    lambda: [1, 2].index(7),
    lambda: 1 / 0,
    lambda: 1 % 0,
    lambda: float("zz"),
    lambda: {}.pop(1),
    lambda: nothing(),
    lambda: [] < 1,
    lambda: -"s",
    lambda: next(iter([])),
]
for t in tests:
    try:
        t()
        print("no error")
    except Exception as e:
        print(type(e).__name__ + ":", e)
