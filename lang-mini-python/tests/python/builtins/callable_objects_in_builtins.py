class Pt:
    def __init__(self, x):
        self.x = x
    def __repr__(self):
        return "Pt(%d)" % self.x
pts = [Pt(3), Pt(1), Pt(2)]
print(sorted(pts, key=lambda p: p.x))
print(max(pts, key=lambda p: p.x), min(pts, key=lambda p: -p.x))
print(list(map(repr, pts)))
print(list(filter(lambda p: p.x > 1, pts)))
print(sum(p.x for p in pts))
