# obj.__dict__: an instance's attributes as a dict; writes to it set attributes.
class Config:
    def __init__(self, **options):
        self.__dict__.update(options)

    def __repr__(self):
        return 'Config(%s)' % ', '.join('%s=%r' % kv for kv in sorted(self.__dict__.items()))


c = Config(debug=True, level=3)
print(c, c.debug, c.level, c.__dict__)
c.__dict__['name'] = 'main'
print(c.name, 'name' in c.__dict__, len(c.__dict__))
del c.__dict__['debug']
print(hasattr(c, 'debug'), c)


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


p = Point(1, 2)
print(p.__dict__, vars(p) == p.__dict__, list(p.__dict__), sorted(p.__dict__.values()))
q = Point(0, 0)
q.__dict__.update(p.__dict__)
print(q.x, q.y)
exit(4)
