# a class's __dict__ (vars(cls)): a read-only, live mapping of the class's own names
class Base:
    kind = 'base'
    def method(self):
        return 1
    @staticmethod
    def helper():
        return 2

class Child(Base):
    """Child docs."""
    extra = [1, 2]

print(list(Base.__dict__))
print(list(Child.__dict__.keys()))
print(type(Base.__dict__).__name__, len(Base.__dict__), len(vars(Child)))
print(Base.__dict__['kind'], vars(Child)['extra'], Child.__dict__['__doc__'], Base.__dict__['__doc__'])
print(Base.__dict__['__module__'], Base.__dict__['__dict__'], Base.__dict__['__weakref__'])
print('kind' in Base.__dict__, 'kind' in Child.__dict__, 'method' in vars(Base))
print(Child.__dict__.get('extra'), Child.__dict__.get('kind'), Child.__dict__.get('kind', 'absent'))
print([k for k in Child.__dict__.values() if isinstance(k, list)])
for name, value in Child.__dict__.items():
    print(name, value)
print(Child.__dict__)
proxy = vars(Child)
Child.added = 42
print('added' in proxy, proxy['added'])
del Child.added
print('added' in proxy)
print(vars(Base) is not vars(Base), dict(Child.__dict__) == Child.__dict__.copy())
try:
    Child.__dict__['extra'] = 1
except TypeError as e:
    print(e)
try:
    Child.__dict__['missing']
except KeyError as e:
    print('KeyError', e)
class Small:
    a = 1
print(Small.__dict__ == dict(Small.__dict__), Small.__dict__ != {}, sorted(Small.__dict__ | {'z': 0}))
