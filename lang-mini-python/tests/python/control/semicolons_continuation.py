a = 1; b = 2; c = a + b
print(a, b, c); print("same line")
total = 1 + \
    2 + \
    3
print(total)
values = [1,
          2,   # comment inside brackets
    3]
print(values)
if a == 1 and \
   b == 2:
    print("continued condition")
x = (1 +
     2)
print(x)
