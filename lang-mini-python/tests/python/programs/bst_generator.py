class Node:
    def __init__(self, key):
        self.key = key
        self.left = None
        self.right = None
class BST:
    def __init__(self):
        self.root = None
        self.size = 0
    def insert(self, key):
        if self.root is None:
            self.root = Node(key)
            self.size = 1
            return True
        n = self.root
        while True:
            if key == n.key:
                return False
            if key < n.key:
                if n.left is None:
                    n.left = Node(key)
                    break
                n = n.left
            else:
                if n.right is None:
                    n.right = Node(key)
                    break
                n = n.right
        self.size += 1
        return True
    def __contains__(self, key):
        n = self.root
        while n is not None:
            if key == n.key:
                return True
            n = n.left if key < n.key else n.right
        return False
    def __iter__(self):
        yield from self._walk(self.root)
    def _walk(self, n):
        if n is not None:
            yield from self._walk(n.left)
            yield n.key
            yield from self._walk(n.right)
    def __len__(self):
        return self.size
    def height(self, n="start"):
        if n == "start":
            n = self.root
        if n is None:
            return 0
        return 1 + max(self.height(n.left), self.height(n.right))
t = BST()
for k in [50, 30, 70, 20, 40, 60, 80, 30, 65, 10]:
    t.insert(k)
print(len(t), list(t), t.height())
print(40 in t, 45 in t)
words = BST()
for w in "the quick brown fox jumps over the lazy dog".split():
    words.insert(w)
print(list(words), len(words))
print([k for k in t if k % 20 == 0])
