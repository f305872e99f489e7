import random
def draw(seed):
    random.seed(seed)
    return [random.randint(0, 1000) for _ in range(4)]
print(draw(0), draw(1), draw(12345))
print(draw(0) == draw(0))
random.seed(2 ** 40 + 7)
print(random.random())
random.seed(-5)
print(random.randrange(1000))
random.seed(7)
deck = [r + s for s in "SHDC" for r in "A23456789TJQK"]
random.shuffle(deck)
print(deck[:8])
print(random.randint(10 ** 20, 10 ** 21))
