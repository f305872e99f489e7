# An LRU cache as a subclass of OrderedDict.
from collections import OrderedDict


class LRU(OrderedDict):
    def __init__(self, capacity):
        super().__init__()
        self.capacity = capacity
        self.hits = 0
        self.misses = 0

    def lookup(self, key, compute):
        if key in self:
            self.hits += 1
            self.move_to_end(key)
            return self[key]
        self.misses += 1
        value = compute(key)
        self[key] = value
        if len(self) > self.capacity:
            self.popitem(last=False)
        return value


cache = LRU(3)
total = 0
for k in [1, 2, 3, 1, 4, 2, 5, 1, 1, 3]:
    total += cache.lookup(k, lambda n: n * n)
print(cache, total, cache.hits, cache.misses, type(cache).__name__)
print(list(cache.items()), cache.capacity, len(cache))
cache.move_to_end(5, last=False)
print(cache)
other = LRU(3)
for k in cache:
    other[k] = cache[k]
print(other == cache, other == OrderedDict(cache), OrderedDict(reversed(cache.items())) == cache)
