def step(live, w, h):
    counts = {}
    for (x, y) in live:
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                if dx == 0 and dy == 0:
                    continue
                p = ((x + dx) % w, (y + dy) % h)
                counts[p] = counts.get(p, 0) + 1
    new = set()
    for p, n in counts.items():
        if n == 3 or (n == 2 and p in live):
            new.add(p)
    return new

def show(live, w, h):
    for y in range(h):
        print("".join("#" if (x, y) in live else "." for x in range(w)))

w, h = 10, 8
glider = {(1, 0), (2, 1), (0, 2), (1, 2), (2, 2)}
blinker = {(7, 5), (7, 6), (7, 7)}
live = glider | blinker
for gen in range(4):
    print("generation", gen, "alive", len(live))
    show(live, w, h)
    live = step(live, w, h)
for _ in range(36):
    live = step(live, w, h)
print("after 40:", len(live), sorted(live)[:4])
