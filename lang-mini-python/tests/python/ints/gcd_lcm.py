import math
def gcd(a, b):
    while b:
        a, b = b, a % b
    return a
print(gcd(48, 18), gcd(17, 5), gcd(0, 9))
print(math.gcd(48, 18), math.gcd(-12, 8), math.gcd(0, 0))
def lcm(a, b):
    return a * b // gcd(a, b)
r = 1
for k in range(1, 41):
    r = lcm(r, k)
print(r)
print(math.gcd(2 ** 100, 6 ** 50))
