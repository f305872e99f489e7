# slice objects: the builtin slice(), attributes, indices(), repr, comparisons, and the
# slices a user __getitem__ receives.
s = slice(1, 5, 2)
print(s, s.start, s.stop, s.step, repr(slice(3)), slice(None, 2), str(slice('a', 'b')))
print([0, 1, 2, 3, 4, 5, 6][s], 'abcdefgh'[slice(None, None, -3)], (1, 2, 3)[slice(-2, None)])
print(s == slice(1, 5, 2), s != slice(1, 5), slice(1, 2) < slice(1, 3), isinstance(s, slice))
print(s.indices(3), slice(None, None, -1).indices(5), slice(-100, 100, -2).indices(5))
print(slice(2, -1).indices(4), slice(None, 7).indices(3), type(s).__name__)
words = ['zero', 'one', 'two', 'three', 'four', 'five']
every_other = slice(None, None, 2)
print(words[every_other], words[slice(1, None, 2)])
words[slice(0, 2)] = ['ZERO']
print(words)
del words[slice(None, None, 2)]
print(words)


class Window:
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, key):
        if isinstance(key, slice):
            start, stop, step = key.indices(len(self))
            return [i * i for i in range(start, stop, step)]
        if key < 0:
            key += self.n
        return key * key


w = Window(10)
print(w[2:8:3], w[::-3], w[4], w[-1], w[:3], w[7:])
for bad in [lambda: slice(), lambda: slice(1, 2, 3, 4), lambda: slice(1, 2, 0).indices(3),
            lambda: s.indices(-1), lambda: {s: 1}]:
    try:
        bad()
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
print(hash(slice(0, 1)))
