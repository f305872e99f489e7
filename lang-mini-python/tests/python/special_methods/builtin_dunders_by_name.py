# the special methods of the builtin value types called by name, with no subclass in the program
print((5).__add__(3), 'ab'.__eq__('ab'), (1, 2).__getitem__(1), sorted(['bb', 'a'], key=str.__len__), int.__add__(2, 2), hasattr(3, '__mul__'), hasattr(3, '__foo__'))
try:
    (5).__nope__
except AttributeError as e:
    print(e)
