# bytes literals: escapes, raw literals, concatenation, and repr's quoting rules
print(b'abc', b"abc", rb'\x41', Rb"\n", b'\x41\102\0', b'\777', b'\q', b'\u1234')
print(b'a\x00\'"', b"'", b'"\'', b'"', b'\t\n\r\x7f\x80\xff\\')
print(b'con' b'cat' b"enated")
print(b'''triple
quoted''')
print(repr(b'x'), str(b'y'), f"{b'z'}", [b'in', b'list'], (b'tup',), {b'k': b'v'})
print(len(b''), len(b'\x00\x00'), b'' == b'', type(b'abc').__name__)
for b in [b'', b'\x1f', b' ~', b'\x7f']:
    print(b, len(b))
