# Mixins with builtin bases: exceptions, lists and dicts with mixin classes before or after
# the builtin, special methods found through the MRO, and bound methods of mixins.


class JsonMixin:
    def describe(self):
        return type(self).__name__ + ":" + repr(self)


class Loud:
    def shout(self):
        return str(self).upper() + "!"


class AppError(Loud, ValueError):
    pass


class NotFound(AppError, KeyError):
    pass


try:
    raise NotFound("missing thing")
except ValueError as e:
    print("caught as ValueError:", e.shout(), type(e).__name__)
try:
    raise NotFound("k")
except LookupError as e:
    print("caught as LookupError:", repr(e), isinstance(e, KeyError), isinstance(e, Loud))
print([c.__name__ for c in NotFound.__mro__])


class Stack(JsonMixin, list):
    def push(self, x):
        self.append(x)
        return self


s = Stack()
s.push(1).push(2)
print(s.describe(), len(s), s[-1], isinstance(s, list), sum(s))


class Registry(dict, JsonMixin):
    def register(self, k, v):
        self[k] = v


r = Registry()
r.register("a", 1)
print(r.describe(), r.get("a"), list(r))


class LenFromMixin:
    def __len__(self):
        return 42

    def __eq__(self, other):
        return True


class Plain:
    pass


class UsesMixin(Plain, LenFromMixin):
    pass


u = UsesMixin()
print(len(u), u == 3, bool(u))


class Counted(LenFromMixin, list):
    pass


c = Counted([1, 2, 3])
print(len(c), c == [9], list(c))
m = s.describe
print(m())
