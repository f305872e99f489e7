# an invalid UTF-8 sequence, uncaught
raw = bytes([104, 105, 0xc3, 0x28])
print(raw)
text = raw.decode('utf-8')
print(text)
