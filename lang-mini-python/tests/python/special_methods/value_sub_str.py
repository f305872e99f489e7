# special methods in a subclass of str: length, items, membership, iteration, truth,
# comparisons and concatenation
class Word(str):
    def __len__(self):
        return super().__len__() * 10
    def __getitem__(self, i):
        return '<' + str.__getitem__(self, i) + '>'
    def __contains__(self, x):
        return x.lower() in self.lower()
    def __iter__(self):
        return iter([c.upper() for c in str(self)])
    def __add__(self, other):
        return Word(str(self) + '-' + str(other))
    def __eq__(self, other):
        return self.lower() == str(other).lower()
    def __hash__(self):
        return hash(self.lower())
    def __lt__(self, other):
        return len(str(self)) < len(str(other))

w = Word('Hello')
print(len(w), w[0], w[1:3], w[-1], 'LL' in w, 'xyz' in w, list(w), tuple(w), ''.join(w))
print(w + 'there', 'say ' + w, w * 2, w.upper(), w.replace('l', 'L'), str(w), repr(w), f'{w}!')
print(w == 'HELLO', w != 'hello', 'hello' == w, sorted([Word('ccc'), Word('a'), Word('bb')]))
print({Word('Key'): 1}.get(Word('KEY')), Word('A') in {Word('a')}, w < 'zz', w > 'a')
for ch in Word('ab'):
    print(ch)
a, b = Word('xy')
print(a, b, bool(Word('')), bool(Word('x')), sorted(Word('cab')))

class Empty(str):
    def __bool__(self):
        return False
print(bool(Empty('text')), 'falsy' if not Empty('x') else 'truthy', len(Empty('abc')))
