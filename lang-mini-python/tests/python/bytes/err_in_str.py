# membership of a str in bytes
print(98 in b'abc')
print('b' in b'abc')
