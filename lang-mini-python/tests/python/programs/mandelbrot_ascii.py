def mandel(w, h, max_iter):
    rows = []
    for j in range(h):
        y = -1.2 + 2.4 * j / (h - 1)
        row = ""
        for i in range(w):
            x = -2.1 + 3.0 * i / (w - 1)
            zr = zi = 0.0
            n = 0
            while n < max_iter and zr * zr + zi * zi <= 4.0:
                zr, zi = zr * zr - zi * zi + x, 2 * zr * zi + y
                n += 1
            row += " .:-=+*#%@"[n * 9 // max_iter]
        rows.append(row)
    return rows
for r in mandel(60, 21, 50):
    print(r.rstrip())
