import time
t0 = time.time()
p0 = time.perf_counter()
total = 0
for i in range(10000):
    total += i
t1 = time.time()
p1 = time.perf_counter()
print(total)
print(t1 >= t0, p1 >= p0, type(t0).__name__, type(p1 - p0).__name__)
print(t0 > 1600000000)
elapsed = p1 - p0
print("elapsed is a small float:", 0 <= elapsed < 60)
