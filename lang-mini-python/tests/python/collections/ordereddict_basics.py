# collections.OrderedDict: a dict remembering order, move_to_end, popitem(last=), repr, ==.
from collections import OrderedDict

od = OrderedDict()
od['banana'] = 3
od['apple'] = 4
od['pear'] = 1
print(od, len(od), list(od), od['apple'], 'pear' in od)
od.move_to_end('banana')
print(od)
od.move_to_end('pear', last=False)
print(list(od.keys()), list(od.values()))
print(od.popitem(), od.popitem(last=False), od)
od.update([('kiwi', 7), ('fig', 2)])
od.setdefault('date', 0)
print(od, od.pop('kiwi'), od.get('nope', -1))

a = OrderedDict([('x', 1), ('y', 2)])
b = OrderedDict([('y', 2), ('x', 1)])
print(a == b, a != b, a == dict(b), dict(b) == a, a == {'y': 2, 'x': 1})
print(OrderedDict(), OrderedDict(one=1, two=2), OrderedDict(zip('abc', range(3))))
print(a.keys(), a.values(), a.items())
print(type(a.keys()).__name__, type(a).__name__, isinstance(a, dict))
print(list(reversed(a)), a.copy(), type(a.copy()).__name__, a.copy() is a)
print(a | {'z': 3}, {'z': 3} | a, OrderedDict.fromkeys('xyz', 0))
for k, v in a.items():
    print(k, '->', v)
del a['x']
a['x'] = 10
print(a, sorted(a), dict(a), repr(OrderedDict([(1, [1, 2]), ((1, 2), 'tuple')])))

# Sort a dict's items into an OrderedDict.
scores = {'carol': 71, 'alice': 93, 'bob': 85}
ranked = OrderedDict(sorted(scores.items(), key=lambda kv: -kv[1]))
print(ranked, next(iter(ranked)))
try:
    ranked.move_to_end('dave')
except KeyError as e:
    print('KeyError:', e)
for bad in [lambda: OrderedDict(1, 2), lambda: OrderedDict(5), lambda: OrderedDict().popitem(1, 2),
            lambda: OrderedDict(a=1).move_to_end(), lambda: OrderedDict(a=1).move_to_end('a', True, 3)]:
    try:
        bad()
    except TypeError as e:
        print('TypeError:', e)
