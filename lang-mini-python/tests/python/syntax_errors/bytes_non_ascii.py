# a bytes literal holds only ASCII characters
print('ok')
data = [b'café', 1]
