# bytes(): from nothing, a count, a list or other iterable of ints, bytes, and str with an
# encoding
print(bytes(), bytes(0), bytes(3), bytes([65, 66, 67]), bytes(range(5)))
print(bytes((104, 105)), bytes(b'copy'), bytes('héllo', 'utf-8'), bytes('abc', 'ascii'))
print(bytes(x * 2 for x in range(4)), bytes([True, False]))
print(bytes('é', encoding='latin-1'), bytes(source=[1, 2]))
print(bytes(range(250, 256)), len(bytes(1000)))
for bad in [-1, [256], [-1], ['a'], 1.5, None]:
    try:
        bytes(bad)
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
try:
    bytes('text')
except TypeError as e:
    print(e)
try:
    bytes(b'x', 'utf-8')
except TypeError as e:
    print(e)
