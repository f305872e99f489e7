name = "World"
n = 42
x = 3.14159
print(f"Hello, {name}!")
print(f"{n} squared is {n * n}")
print(f"{x:.2f} {x:.0f} {n:5d} {n:>6} {name:<8}|{name:>8}|")
print(f"{repr(name)}")
print(f"{'nested'} {len(name)}")
print(f"{{braces}} {n}")
items = [1, 2, 3]
print(f"items={items} sum={sum(items)}")
print(f"{n % 5} {n // 5} {-n}")
print(f"{1/3:.4f}")
d = {"a": 1}
print(f"{d['a']}")
print(f"{n:d}|{x:f}|{name:^9}|")
