s = "1" * 40
n = int(s)
print(n)
print(n + 1)
print(str(n * 9))
print(int("-" + "9" * 30))
print(len(str(2 ** 1000)))
print(str(2 ** 1000)[:20])
print(int(str(3 ** 90)) == 3 ** 90)
