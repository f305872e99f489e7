# bytes as a sequence: indexing gives ints, slicing gives bytes, iteration, membership,
# concatenation, repetition, comparison, hashing, truth
b = b'hello world'
print(b[0], b[-1], b[1:5], b[::-1], b[::2], b[100:], b[-3:])
print(list(b'abc'), tuple(b'\x00\xff'), sum(b'abc'), sorted(b'cab'), max(b'az'), min(b'az'))
print(b'wor' in b, b'xyz' in b, 104 in b, 0 in b, b'' in b)
print(b'ab' + b'cd', b'ab' * 3, 3 * b'ab', b'x' * 0, b'x' * -2)
print(b'a' < b'b', b'ab' < b'a', b'abc' <= b'abc', b'b' > b'abc', b'\xff' > b'\x00')
print(b'a' == b'a', b'a' != b'a', b'a' == 'a', b'a' != 'a', b'' == 0)
print(hash(b'abc') == hash(b'abc'), hash(b'') == hash(''), hash(b'spam') == hash('spam'))
d = {b'one': 1, b'two': 2}
d[b'o' + b'ne'] += 10
print(d, b'two' in d, 'two' in d)
print(set([b'a', b'a', b'b']) == {b'a', b'b'})
print(bool(b''), bool(b'\x00'), not b'', b'' or b'default')
for i, c in enumerate(b'AZaz'):
    print(i, c, chr(c), ord(b'A') + i)
it = iter(b'xy')
print(next(it), next(it), next(it, 'done'))
print(isinstance(b'', bytes), isinstance('', bytes), isinstance(b'', str), type(b'') is bytes)
x = b'abc'
x += b'def'
print(x)
