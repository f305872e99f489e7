# sum(), min() and max() take the items of an iterator one at a time: a generator's side
# effects interleave with the additions and key calls, and an error in the middle stops the
# generator there (the rest is never produced). str.join over a generator and a list.


class Loud:
    def __init__(self, v):
        self.v = v

    def __add__(self, other):
        print("add", self.v, "+", other.v if isinstance(other, Loud) else other)
        return Loud(self.v + (other.v if isinstance(other, Loud) else other))

    def __radd__(self, other):
        print("radd", other, "+", self.v)
        return Loud(other + self.v)


def produce(n):
    for i in range(n):
        print("yield", i)
        yield Loud(i)


total = sum(produce(3))
print("total", total.v)


def key(x):
    print("key", x)
    return -x


def numbers():
    for x in [3, 1, 4, 1, 5]:
        print("next", x)
        yield x


print("min", min(numbers(), key=key))
print("max", max(numbers()))
print("max args", max(2, 7, 3, key=key))
print("min default", min((x for x in []), default="none"))


def bad():
    yield 1
    yield "two"
    print("never reached")
    yield 3


try:
    sum(bad())
except TypeError as e:
    print("TypeError", e)

try:
    max(x for x in [])
except ValueError as e:
    print("ValueError", e)

print(sum(i * i for i in range(1000)))
print(sum([1.5, 2.5], 10))
print("-".join(str(i) for i in range(5)))
print(", ".join(["a", "bc", "", "def"]))
print("".join([]))
try:
    " ".join(["a", 1])
except TypeError as e:
    print("TypeError", e)
