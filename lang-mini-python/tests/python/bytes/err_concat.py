# bytes and str do not mix
def label(data):
    return b'data: ' + data

print(label(b'ok'))
print(label('text'))
