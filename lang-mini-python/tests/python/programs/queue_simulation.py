import random
random.seed(7)
class Customer:
    def __init__(self, ident, arrival, service):
        self.ident = ident
        self.arrival = arrival
        self.service = service
clock = 0
queue = []
waits = []
busy_until = 0
served = 0
next_id = 0
for tick in range(200):
    if random.random() < 0.3:
        queue.append(Customer(next_id, tick, random.randint(1, 5)))
        next_id += 1
    if tick >= busy_until and queue:
        c = queue.pop(0)
        waits.append(tick - c.arrival)
        busy_until = tick + c.service
        served += 1
print("arrived", next_id, "served", served, "left in queue", len(queue))
print("max wait", max(waits), "mean wait %.3f" % (sum(waits) / len(waits)))
hist = {}
for w in waits:
    hist[w // 5 * 5] = hist.get(w // 5 * 5, 0) + 1
for bucket in sorted(hist):
    print(f"{bucket:3d}-{bucket + 4:3d}", "*" * hist[bucket])
