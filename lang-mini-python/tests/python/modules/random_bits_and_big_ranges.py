# random over big ints: getrandbits of many bits, randrange/randint with big bounds, big seeds.
import random
random.seed(2 ** 100 + 12345)
print(random.getrandbits(5), random.getrandbits(64), random.getrandbits(100), random.getrandbits(0))
print(random.randrange(10 ** 30), random.randint(-(10 ** 25), 10 ** 25), random.randrange(0, 10 ** 20, 7))
random.seed(-(2 ** 70))
print(random.random(), random.randrange(-5, 5), random.randrange(100, 0, -3))
random.seed(99.0)
print(random.randint(1, 10 ** 6), random.uniform(0, 1), random.choice(range(1000)))
l = list(range(20))
random.shuffle(l)
print(l)
try:
    random.randrange(5, 5)
except ValueError as e:
    print("ValueError:", e)
try:
    random.randrange(1, 10, 0)
except ValueError as e:
    print("ValueError:", e)
try:
    random.choice([])
except IndexError as e:
    print("IndexError:", e)
