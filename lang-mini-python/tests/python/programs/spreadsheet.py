# Cells hold numbers or formulas referring to other cells; evaluation is memoized and cycles are detected.
class CycleError(Exception):
    pass
class Sheet:
    def __init__(self):
        self.cells = {}
        self.cache = {}
        self.evaluating = set()
    def set(self, name, value):
        self.cells[name] = value
        self.cache = {}
    def get(self, name):
        if name in self.cache:
            return self.cache[name]
        if name in self.evaluating:
            raise CycleError("cycle through " + name)
        raw = self.cells.get(name, 0)
        self.evaluating.add(name)
        try:
            if isinstance(raw, str) and raw.startswith("="):
                value = self.formula(raw[1:])
            else:
                value = raw
        finally:
            self.evaluating.discard(name)
        self.cache[name] = value
        return value
    def formula(self, text):
        if text.startswith("SUM(") and text.endswith(")"):
            a, b = text[4:-1].split(":")
            col = a[0]
            return sum(self.get(col + str(r)) for r in range(int(a[1:]), int(b[1:]) + 1))
        total = 0
        for term in text.split("+"):
            term = term.strip()
            if term[0].isalpha():
                total += self.get(term)
            else:
                total += float(term) if "." in term else int(term)
        return total
s = Sheet()
s.set("A1", 10)
s.set("A2", 20)
s.set("A3", "=A1 + A2")
s.set("A4", "=SUM(A1:A3)")
s.set("B1", "=A4 + 0.5")
for name in ["A1", "A2", "A3", "A4", "B1", "C9"]:
    print(name, s.get(name))
s.set("A1", 100)
print("A4 after change", s.get("A4"), s.get("B1"))
s.set("C1", "=C2 + 1")
s.set("C2", "=C1 + 1")
try:
    s.get("C1")
except CycleError as e:
    print("CycleError:", e)
print(sorted(s.cache))
