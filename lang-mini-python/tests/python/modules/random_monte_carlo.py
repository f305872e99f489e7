import random
random.seed(2024)
inside = 0
N = 20000
for _ in range(N):
    x = random.random()
    y = random.random()
    if x * x + y * y <= 1.0:
        inside += 1
print(inside, 4 * inside / N)
counts = [0] * 6
for _ in range(600):
    counts[random.randint(1, 6) - 1] += 1
print(counts)
walk = 0
for _ in range(1000):
    walk += random.choice([-1, 1])
print(walk)
