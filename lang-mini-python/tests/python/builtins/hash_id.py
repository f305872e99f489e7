a = [1]
b = a
c = [1]
print(id(a) == id(b), id(a) == id(c), a is b, a is not c)
print(hash(5) == hash(5), hash("abc") == hash("a" + "bc"), hash((1, 2)) == hash((1, 2)))
print(hash(10), hash(-7), hash(2 ** 10))
try:
    hash([1])
except TypeError as e:
    print("TypeError:", e)
try:
    hash({})
except TypeError as e:
    print("TypeError:", e)
