class A(Exception):
    pass
class B(Exception):
    pass
try:
    try:
        raise A("first")
    except A as e:
        raise B("second") from e
except B:
    raise RuntimeError("third")
