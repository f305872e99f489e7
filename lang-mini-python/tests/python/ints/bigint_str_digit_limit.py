# CPython 3.11 limits decimal conversions of ints to 4300 digits (hex, octal, binary: no limit).
for f in [lambda: str(10**4300), lambda: len(str(10**4299)), lambda: int('1'*4301), lambda: '%d' % 10**4300, lambda: format(10**4300, 'x')[:3], lambda: f'{10**4300:,}', lambda: len(hex(10**5000)), lambda: '%x' % 10**4300 == hex(10**4300)[2:], lambda: int('-' + '2' * 4300) < 0, lambda: len(repr(-10**4299))]:
    try:
        print(f())
    except ValueError as e:
        print(e)
print(int('0x' + 'f' * 5000, 0) == 16 ** 5000 - 1)
