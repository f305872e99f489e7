# error: raise_plain_struct.rpy:6:11: error: can only raise an exception (a struct deriving from Exception), found Foo
struct Foo:
    x: int

def f(x: int) -> int:
    raise Foo(x=1)
