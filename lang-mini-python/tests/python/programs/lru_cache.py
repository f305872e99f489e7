class Node:
    __slots__ = ("key", "value", "prev", "next")
    def __init__(self, key, value):
        self.key = key
        self.value = value
        self.prev = None
        self.next = None
class LRU:
    def __init__(self, capacity):
        self.capacity = capacity
        self.map = {}
        self.head = Node(None, None)
        self.tail = Node(None, None)
        self.head.next = self.tail
        self.tail.prev = self.head
        self.hits = self.misses = 0
    def _unlink(self, node):
        node.prev.next = node.next
        node.next.prev = node.prev
    def _push_front(self, node):
        node.next = self.head.next
        node.prev = self.head
        self.head.next.prev = node
        self.head.next = node
    def get(self, key):
        node = self.map.get(key)
        if node is None:
            self.misses += 1
            return None
        self.hits += 1
        self._unlink(node)
        self._push_front(node)
        return node.value
    def put(self, key, value):
        if key in self.map:
            node = self.map[key]
            node.value = value
            self._unlink(node)
        else:
            if len(self.map) >= self.capacity:
                old = self.tail.prev
                self._unlink(old)
                del self.map[old.key]
                print("evict", old.key)
            node = Node(key, value)
            self.map[key] = node
        self._push_front(node)
    def keys(self):
        out = []
        n = self.head.next
        while n is not self.tail:
            out.append(n.key)
            n = n.next
        return out
cache = LRU(3)
for k in ["a", "b", "c"]:
    cache.put(k, k.upper())
print(cache.get("a"), cache.keys())
cache.put("d", "D")
print(cache.get("b"), cache.keys())
cache.put("a", "AA")
cache.put("e", "E")
print(cache.keys(), cache.get("a"), cache.hits, cache.misses)
def slow_square(n, memo=LRU(4)):
    v = memo.get(n)
    if v is None:
        v = n * n
        memo.put(n, v)
    return v
print([slow_square(n % 5) for n in range(12)])
