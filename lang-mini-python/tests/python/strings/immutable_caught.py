s = "abc"
try:
    s[0] = "x"
except TypeError as e:
    print("TypeError:", e)
t = s
s += "d"
print(s, t)
try:
    print(s[10])
except IndexError as e:
    print("IndexError:", e)
print(s[10:20] == "")
try:
    print("a" + 1)
except TypeError as e:
    print("TypeError:", e)
try:
    print("%d" % "x")
except TypeError as e:
    print("TypeError:", e)
