# Overflow-checked arithmetic: ovfcheck(a OP b) is the value or OverflowError raised.
# run: add 9223372036854775806 1 => 9223372036854775807
# run: add 9223372036854775807 1 => error: OverflowError: integer overflow
# run: add -9223372036854775808 -1 => error: OverflowError: integer overflow
# run: sub -9223372036854775807 1 => -9223372036854775808
# run: sub -9223372036854775808 1 => error: OverflowError: integer overflow
# run: mul -9223372036854775808 -1 => error: OverflowError: integer overflow
# run: mul 3037000499 3037000499 => 9223372030926249001
# run: mul 3037000500 3037000500 => error: OverflowError: integer overflow
# run: mul -9223372036854775808 1 => -9223372036854775808
# run: neg -9223372036854775808 => error: OverflowError: integer overflow
# run: neg -9223372036854775807 => 9223372036854775807
# run: shl 1 62 => 4611686018427387904
# run: shl 1 63 => error: OverflowError: integer overflow
# run: shl -1 63 => -9223372036854775808
# run: shl 0 200 => 0
# run: shl 1 64 => error: OverflowError: integer overflow
# run: shl 1 -1 => error: negative shift count
# run: caught 9223372036854775807 => -1
# run: caught 5 => 6
# run: factorial 20 => 2432902008176640000
# run: factorial 21 => -21

def add(a: int, b: int) -> int:
    return ovfcheck(a + b)

def sub(a: int, b: int) -> int:
    return ovfcheck(a - b)

def mul(a: int, b: int) -> int:
    return ovfcheck(a * b)

def neg(a: int) -> int:
    return ovfcheck(-a)

def shl(a: int, b: int) -> int:
    return ovfcheck(a << b)

def caught(a: int) -> int:
    try:
        return add(a, 1)
    except OverflowError:
        return -1

def factorial(n: int) -> int:
    r = 1
    i = 2
    try:
        while i <= n:
            r = ovfcheck(r * i)
            i += 1
    except OverflowError as e:
        return 0 - i
    return r
