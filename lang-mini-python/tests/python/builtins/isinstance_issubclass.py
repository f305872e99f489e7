print(isinstance(1, int), isinstance(1.0, int), isinstance("s", str))
print(isinstance(1, (str, int)), isinstance([], (tuple, dict)))
print(isinstance(True, int), isinstance(None, object))
class A: pass
class B(A): pass
print(isinstance(B(), A), isinstance(A(), B))
print(issubclass(B, A), issubclass(bool, int), issubclass(int, (str, object)))
print(isinstance(ValueError("x"), Exception), issubclass(KeyError, (IndexError, LookupError)))
