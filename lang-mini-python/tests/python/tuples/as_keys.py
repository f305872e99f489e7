grid = {}
for x in range(3):
    for y in range(2):
        grid[(x, y)] = x * 10 + y
print(grid)
print(grid[(2, 1)], (1, 1) in grid, (5, 5) in grid)
print(grid.get((9, 9), "none"))
pts = {(0, 0): "origin", (1, 0): "east"}
for (px, py), name in pts.items():
    print(px, py, name)
