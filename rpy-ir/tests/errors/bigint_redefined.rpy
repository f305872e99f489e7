# error: bigint_redefined.rpy:2:1: error: 'bigint' is a builtin and cannot be redefined
struct bigint:
    digits: array[int]
