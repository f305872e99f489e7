# str.encode and bytes.decode with utf-8, ascii and latin-1, the error handlers, and the
# Unicode errors' attributes
for s in ['plain', 'héllo', 'naïve café', '€100', '日本語', '😀!', '']:
    e = s.encode()
    print(repr(s), e, len(e), e.decode() == s, s.encode('utf-8') == e, s.encode('UTF8') == e)
print('abc'.encode('ascii'), 'é'.encode('latin-1'), 'ÿ'.encode('iso-8859-1'), b'\xe9'.decode('latin1'))
print(bytes(range(256)).decode('latin-1') == ''.join(chr(i) for i in range(256)))
print('aé€b'.encode('ascii', 'replace'), 'aé€b'.encode('ascii', 'ignore'), 'a€'.encode('latin-1', 'replace'))
print(b'a\xffb\xe2\x82'.decode('utf-8', 'replace'), b'a\xffb'.decode('utf-8', 'ignore'), b'\xf0\x90\x28x'.decode('utf-8', 'replace'))
print(b'abc\x80'.decode('ascii', 'replace'), b'x'.decode(errors='strict'), 'x'.encode(encoding='ascii'))
tests = [b'\xff', b'\xe2\x28\xa1', b'\xf0\x90\x28', b'a\xe2\x82', b'\xe2', b'\xed\xa0\x80', b'\xc0\x80', b'\xf4\x90\x80\x80', b'\xe0\x80\x80']
for t in tests:
    try:
        t.decode()
    except UnicodeDecodeError as e:
        print(e)
        print(e.encoding, e.object, e.start, e.end, e.reason, isinstance(e, UnicodeError), isinstance(e, ValueError))
try:
    b'ok\x80'.decode('ascii')
except UnicodeError as e:
    print(type(e).__name__, e, e.args)
for s, enc in [('é', 'ascii'), ('aéé€', 'ascii'), ('€', 'latin-1'), ('x😀', 'latin-1')]:
    try:
        s.encode(enc)
    except UnicodeEncodeError as e:
        print(e, '|', e.start, e.end, repr(e.object))
try:
    'x'.encode('no-such-codec')
except LookupError as e:
    print(type(e).__name__, e)
print(ord(b'A'), ord(b'\xff'), chr(ord(b'z')), [chr(c) for c in b'hi'])
print(str(b'caf\xc3\xa9', 'utf-8'), str(b'\xe9', encoding='latin-1'), str(b'a\xff', 'ascii', 'replace'), str(object=b'x'))
for bad in [lambda: str(5, 'ascii'), lambda: str('x', 'ascii')]:
    try:
        bad()
    except TypeError as e:
        print(e)
