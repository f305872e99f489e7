# Arbitrary-precision integers through the big_* externs (rpy-ir/src/externs/bigint.rs): the
# type `bigint` (an alias of str holding encoded digits), printed as CPython prints ints.
# Expected values from CPython 3.11.
# run: show_all 0 => 0
# output: 8320987112741390144276341183223364380754172606361245952449277696409600000000000000
# output: 2837500607689200757156486412249968214147487892651150129813482328429
# output: -fffffffffffffffffffffffff
# output: 13 -147573952589676412928 -5 -181092942889747057356671886483
# output: 4.2255020007607644e+29 1.1805916207174113e+21 7 -1267650600228229401496703205382
# output: 11111111111111111111111111111111111111111111111112 65
# run: pi_digits 50 => "31415926535897932384626433832795028841971693993751"
# run: factorial_str 50 => "30414093201713378043612608166064768844377641568960512000000000000"
# run: churn 20000 => 20000

def big(x: int) -> bigint:
    return big_from_int(x)

def show(x: bigint):
    print_str(big_to_str(x, 10))

def factorial(n: int) -> bigint:
    acc = big(1)
    i = 2
    while i <= n:
        acc = big_mul(acc, big(i))
        i += 1
    return acc

def factorial_str(n: int) -> str:
    return big_to_str(factorial(n), 10)

def show_all(x: int) -> int:
    show(factorial(60))
    print_newline()
    show(big_floordiv(big_pow(big(2), 300), big_pow(big(3), 50)))
    print_newline()
    p100 = big_lshift(big(1), 100)
    print_str(big_to_str(big_add(big_neg(p100), big(1)), 16))
    print_newline()
    print_int(big_hash(big_add(big_pow(big(2), 64), big(5))))
    print_str(" ")
    show(big_rshift(big_neg(big_pow(big(2), 70)), 3))
    print_str(" ")
    show(big_mod(p100, big(-7)))
    print_str(" ")
    show(big_floordiv(big_neg(p100), big(7)))
    print_newline()
    print_float(big_truediv(p100, big(3)))
    print_str(" ")
    print_float(big_to_float(big_pow(big(2), 70)))
    print_str(" ")
    show(big_or(big_and(p100, big_sub(big_pow(big(2), 40), big(1))), big(7)))
    print_str(" ")
    show(big_xor(big_invert(p100), big(5)))
    print_newline()
    ones = big_from_str("11111111111111111111111111111111111111111111111111", 10)
    show(big_add(ones, big(1)))
    print_str(" ")
    print_int(big_bit_length(big_add(big_pow(big(2), 64), big(5))))
    print_newline()
    return big_sign(big_sub(ones, ones)) + big_cmp(ones, ones)

# Gibbons' unbounded spigot for the digits of pi.
def pi_digits(n: int) -> str:
    q = big(1)
    r = big(0)
    t = big(1)
    k = 1
    m = 3
    x = 3
    builder = new_builder()
    count = 0
    while count < n:
        lhs = big_sub(big_add(big_mul(big(4), q), r), t)
        if big_cmp(lhs, big_mul(big(m), t)) < 0:
            builder_append_char(builder, chr(ord('0') + m))
            count += 1
            nr = big_mul(big(10), big_sub(r, big_mul(big(m), t)))
            nm = big_sub(big_floordiv(big_mul(big(10), big_add(big_mul(big(3), q), r)), t), big(10 * m))
            q = big_mul(big(10), q)
            r = nr
            m = big_to_int(nm)
        else:
            nq = big_mul(q, big(k))
            nr = big_mul(big_add(big_mul(big(2), q), r), big(x))
            nt = big_mul(t, big(x))
            num = big_add(big_mul(q, big(7 * k + 2)), big_mul(r, big(x)))
            m = big_to_int(big_floordiv(num, nt))
            q = nq
            r = nr
            t = nt
            k += 1
            x += 2
    return builder_build(builder)

# GC safety: bigints reachable only through an RPy array survive the collections that the
# garbage made in between forces; each kept value is checked against a recomputation.
def churn(n: int) -> int:
    keep = array[bigint](64)
    scale = big_pow(big(3), 150)
    i = 0
    while i < n:
        keep[i % 64] = big_add(big_mul(big(i), scale), big(i))
        garbage = big_pow(big(i + 2), 40)
        garbage = big_mul(garbage, garbage)
        i += 1
    ok = 0
    j = 0
    while j < 64:
        idx = n - 64 + j
        want = big_add(big_mul(big(idx), scale), big(idx))
        if big_cmp(keep[idx % 64], want) == 0 and str_eq(keep[idx % 64], want):
            ok += 1
        j += 1
    return n - 64 + ok
