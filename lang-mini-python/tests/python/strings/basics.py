s = "Hello, World"
print(s, len(s))
print(s[0], s[-1], s[7])
print(s[0:5], s[7:], s[:5], s[-5:])
print(s[::2], s[::-1], s[1:10:3])
print(s + "!", s * 2)
print("lo" in s, "xyz" not in s)
print(s.upper(), s.lower())
print('single', "double", 'it\'s', "say \"hi\"")
