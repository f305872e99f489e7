# a truncated \x escape in a bytes literal
values = [1,
  b'\x4' ]
