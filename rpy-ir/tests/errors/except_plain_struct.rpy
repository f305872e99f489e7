# error: except_plain_struct.rpy:8:12: error: 'Foo' is not an exception class: it does not derive from Exception
struct Foo:
    x: int

def f(x: int) -> int:
    try:
        return x
    except Foo:
        return 0
