# bytes and str literals cannot be concatenated
x = b'a' 'b' + 1
