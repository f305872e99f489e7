print(chr(65), chr(122), ord("A"), ord("\n"), ord("\u20ac"))
print("".join(chr(ord("a") + i) for i in range(26)))
print(hex(0), hex(16), hex(255), hex(-255), hex(65535))
def caesar(s, k):
    out = ""
    for c in s:
        if c.isalpha():
            base = ord("a") if c == c.lower() else ord("A")
            out += chr((ord(c) - base + k) % 26 + base)
        else:
            out += c
    return out
print(caesar("Hello, World", 3), caesar(caesar("abc xyz", 5), -5))
