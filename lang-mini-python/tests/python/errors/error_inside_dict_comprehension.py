raw = {"a": "1", "b": "2", "c": "x"}
parsed = {k: int(v) for k, v in raw.items()}
print(parsed)
