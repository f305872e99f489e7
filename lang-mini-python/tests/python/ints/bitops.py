a = 12
b = 10
print(a & b, a | b, a ^ b)
print(a << 3, a >> 2)
print(~0, ~5, ~-1)
print(-12 >> 1, -1 >> 10)
print(1 << 70)
print((1 << 70) >> 65)
print(0xFF & 0x0F, 0xff ^ 0xaa)
print(-5 & 0xFF)
print((2 ** 100 + 5) & 7)
