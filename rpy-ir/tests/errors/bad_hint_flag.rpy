# error: bad_hint_flag.rpy:3:13: error: unknown hint 'promot' (known: concrete, promote, promote_class, deepfreeze, forget, variable, global_merge_point, likely)
def f(x: int) -> int:
    hint(x, promot=True)
    return x
