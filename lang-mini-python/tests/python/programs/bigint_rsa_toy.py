def egcd(a, b):
    if b == 0:
        return a, 1, 0
    g, x, y = egcd(b, a % b)
    return g, y, x - (a // b) * y
def modinv(a, m):
    g, x, _ = egcd(a, m)
    if g != 1:
        raise ValueError("not invertible")
    return x % m
def is_prime(n):
    if n < 2:
        return False
    for p in [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37]:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for a in [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37]:
        x = pow(a, d, n)
        if x == 1 or x == n - 1:
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True
def next_prime(n):
    while not is_prime(n):
        n += 1
    return n
p = next_prime(2 ** 61 + 12345)
q = next_prime(3 ** 40 + 7)
n = p * q
phi = (p - 1) * (q - 1)
e = 65537
d = modinv(e, phi)
print(p, q)
print(n)
msg = int("".join(str(ord(c)).zfill(3) for c in "hi mini"))
c = pow(msg, e, n)
m2 = pow(c, d, n)
print(msg, c, m2 == msg)
s = str(m2)
s = "0" * (-len(s) % 3) + s
print("".join(chr(int(s[i:i + 3])) for i in range(0, len(s), 3)))
print([k for k in range(1, 60) if is_prime(k)])
