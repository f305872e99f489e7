# a character outside ASCII, uncaught
def to_ascii(s):
    return s.encode('ascii')

print(to_ascii('plain'))
print(to_ascii('naïve'))
