# error: unknown_type.rpy:2:10: error: unknown type 'Foo'
def f(x: Foo) -> int:
    return 1
