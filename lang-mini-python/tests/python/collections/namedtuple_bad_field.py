# namedtuple() rejects bad field names (ValueError); a field cannot be assigned: AttributeError,
# uncaught.
from collections import namedtuple

for spec in ['a b', 'a, b', ['a', 'b']]:
    print(namedtuple('T', spec)._fields)
for bad in ['a 1b', 'a a', 'a class', 'name _age', 'x,,y,-z']:
    try:
        namedtuple('T', bad)
    except ValueError as e:
        print('ValueError:', e)
Record = namedtuple('Record', 'name age')
rec = Record('ann', 41)
print(rec)
rec.age = 42
