# bytes after an f-string
name = 'x'
s = (f'{name}'
     b'raw')
