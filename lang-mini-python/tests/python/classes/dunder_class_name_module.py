class Alpha:
    pass
class Beta(Alpha):
    pass
b = Beta()
print(Beta.__name__, b.__class__.__name__, type(b) == Beta, type(b) == Alpha)
print(isinstance(b, b.__class__), b.__class__ is Beta)
print(repr(Beta), str(Alpha))
print(type(b).__name__ + "()")
def kind(x):
    return type(x).__name__
print([kind(v) for v in [1, "s", 2.0, None, [], (), {}, Alpha(), kind]])
