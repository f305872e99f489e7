s = "abcdefghij"
print(s[2:100], s[-100:3], s[5:2], s[::-2], s[8:2:-2], s[-1:-4:-1])
print(s[:], s[::1] == s, s[len(s):], s[0:0])
for step in (1, 2, 3, -1, -3):
    print(step, s[::step])
l = list(range(10))
print(l[2:8:3], l[::-4], l[-3:])
print((1, 2, 3, 4)[1::2])
try:
    s[::0]
except ValueError as e:
    print("ValueError:", e)
