# Changing an OrderedDict while iterating over it: RuntimeError, uncaught at the end.
from collections import OrderedDict

od = OrderedDict(a=1, b=2, c=3)
for k in od:
    od[k] = od[k] * 10  # assigning existing keys is allowed
print(od)
for label, change in [('insert', lambda: od.__setitem__('z', 0)),
                      ('move', lambda: od.move_to_end('a')),
                      ('pop', lambda: od.popitem())]:
    try:
        for k, v in od.items():
            change()
    except RuntimeError as e:
        print(label, 'RuntimeError:', e)
    print(od)
print(list(reversed(od.items())), od.keys() & {'a', 'q'}, list(reversed(od.values())))
for v in od.values():
    od.move_to_end('b', last=False)  # already first: no change
print(od)
for v in od.values():
    od.move_to_end('b')
