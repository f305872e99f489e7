from __future__ import annotations
count: int = 0
name: str = "x"
ratio: float
def f(a: int, b: str = "s") -> str:
    local: list = [a]
    return b * len(local)
class C:
    value: int = 3
    def m(self) -> int:
        return self.value
count += 1
print(count, name, f(2), C().m())
