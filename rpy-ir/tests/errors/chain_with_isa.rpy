# error: chain_with_isa.rpy:5:18: error: 'isa' and 'as' cannot be chained with comparisons
struct A:
    pass
def f(a: A, x: int) -> bool:
    return x < 3 isa A
