#! randommod.rpy: the `random` and `time` modules.
#!
#! Vocabulary and invariants:
#! - `random` is a guest module over rpylib/random.rpy (CPython 3.11's Mersenne Twister, one
#!   generator in `RANDOM_STATE.mt`): the same int seed draws CPython's numbers. Its RPy
#!   `ValueError`/`IndexError`s become the guest's with the same text. Sequences are handled
#!   as indexes (`mt_choice_index`, `mt_shuffle_swaps` applied to the guest list).
#! - Ints beyond a machine word (seeds, `randrange`/`randint` bounds, `getrandbits(k)` for
#!   k > 62) take the big-int path here: seeds as 32-bit chunks (`mt_seed_chunks`), draws as
#!   chunks assembled into a `bigint` (`mt_getrandbits_chunks`), CPython's
#!   `_randbelow_with_getrandbits` redone over bigints.
#! - Seeds other than None and ints (and integral floats, whose hash is their int) fail
#!   closed with a TypeError: CPython hashes strs with SHA-512, which is not implemented.
#! - `time.time()` and `time.perf_counter()` both read the `time_ns` extern (the wall clock;
#!   there is no monotonic clock extern), as floats in seconds.

struct RandomState:
    mt: MT

const RANDOM_STATE = RandomState(mt=None)

def random_state() -> MT:
    if RANDOM_STATE.mt is None:
        RANDOM_STATE.mt = mt_new()
        mt_seed_time(RANDOM_STATE.mt)
    return RANDOM_STATE.mt

# A bigint from 32-bit chunks, least significant first.
def big_of_chunks(chunks: list[int]) -> bigint:
    r = big_from_int(0)
    i = len(chunks) - 1
    while i >= 0:
        r = big_or(big_lshift(r, 32), big_from_int(chunks[i]))
        i -= 1
    return r

# The 32-bit chunks of |b|, least significant first.
def chunks_of_big(b: bigint) -> list[int]:
    x = big_abs(b)
    mask = big_from_int(4294967295)
    out: list[int] = []
    while not big_is_zero(x):
        out.append(big_to_int(big_and(x, mask)))
        x = big_rshift(x, 32)
    if len(out) == 0:
        out.append(0)
    return out

def big_randbelow(state: MT, n: bigint) -> bigint:
    k = big_bit_length(n)
    r = big_of_chunks(mt_getrandbits_chunks(state, k))
    while big_cmp(r, n) >= 0:
        r = big_of_chunks(mt_getrandbits_chunks(state, k))
    return r

# random.randrange over ints of any size (random.py 3.11's arithmetic and messages).
def big_randrange(state: MT, start: W_Object, stop: W_Object, step: W_Object) -> W_Object:
    a = big_of(start)
    width = big_sub(big_of(stop), a)
    st = big_of(step)
    if big_cmp(st, big_from_int(1)) == 0:
        if big_sign(width) > 0:
            return wrap_big(big_add(a, big_randbelow(state, width)))
        raise guest_error("ValueError", "empty range for randrange() (" + repr_of(start) + ", " + repr_of(stop) + ", " + big_to_str(width, 10) + ")")
    if big_is_zero(st):
        raise guest_error("ValueError", "zero step for randrange()")
    n = big_from_int(0)
    if big_sign(st) > 0:
        n = big_floordiv(big_sub(big_add(width, st), big_from_int(1)), st)
    else:
        n = big_floordiv(big_add(big_add(width, st), big_from_int(1)), st)
    if big_sign(n) <= 0:
        raise guest_error("ValueError", "empty range for randrange()")
    return wrap_big(big_add(a, big_mul(st, big_randbelow(state, n))))

def int_arg(a: Args, i: int) -> W_Object:
    w = a.vals[i]
    if isinstance(w, W_Float):
        x = (w as W_Float).value
        if x == float_floor(x) and x - x == 0.0:
            return long_from_float(x)
        raise type_error("'float' object cannot be interpreted as an integer")
    return index_of(w)

def randrange_of(start: W_Object, stop: W_Object, step: W_Object) -> W_Object:
    state = random_state()
    if isinstance(start, W_Int) and isinstance(stop, W_Int) and isinstance(step, W_Int):
        try:
            return W_Int(value=mt_randrange(state, (start as W_Int).value, (stop as W_Int).value, (step as W_Int).value))
        except ValueError as e:
            raise guest_error("ValueError", e.message)
        except OverflowError:
            return big_randrange(state, start, stop, step)
    return big_randrange(state, start, stop, step)

def random_seed(a: Args) -> W_Object:
    check_args(a, "seed", 0, 2)
    state = random_state()
    if npos(a) == 0 or a.vals[0] is W_NONE:
        mt_seed_time(state)
        return W_NONE
    w = a.vals[0]
    if isinstance(w, W_Float):
        x = (w as W_Float).value
        if x == float_floor(x) and x - x == 0.0:
            w = long_from_float(x)
    if isinstance(w, W_Int):
        mt_seed(state, (w as W_Int).value)
        return W_NONE
    if isinstance(w, W_Long):
        mt_seed_chunks(state, chunks_of_big((w as W_Long).value))
        return W_NONE
    raise type_error("mini-Python's random.seed() takes None or an int, not '" + type_name(w) + "'")

def random_random(a: Args) -> W_Object:
    check_args(a, "random", 0, 0)
    return W_Float(value=mt_random(random_state()))

def random_randrange(a: Args) -> W_Object:
    check_args(a, "randrange", 1, 3)
    if npos(a) == 1:
        return randrange_of(W_Int(value=0), int_arg(a, 0), W_Int(value=1))
    if npos(a) == 2:
        return randrange_of(int_arg(a, 0), int_arg(a, 1), W_Int(value=1))
    return randrange_of(int_arg(a, 0), int_arg(a, 1), int_arg(a, 2))

def random_randint(a: Args) -> W_Object:
    check_args(a, "randint", 2, 2)
    hi = binop(int_arg(a, 1), OP_ADD, W_Int(value=1), False)
    return randrange_of(int_arg(a, 0), hi, W_Int(value=1))

def random_choice(a: Args) -> W_Object:
    check_args(a, "choice", 1, 1)
    seq = a.vals[0]
    n = len_of(seq)
    if n == 0:
        raise guest_error("IndexError", "Cannot choose from an empty sequence")
    return getitem(seq, W_Int(value=mt_choice_index(random_state(), n)))

def random_shuffle(a: Args) -> W_Object:
    check_args(a, "shuffle", 1, 1)
    w = a.vals[0]
    if not isinstance(w, W_List):
        raise type_error("mini-Python's random.shuffle() takes a list, not '" + type_name(w) + "'")
    items = (w as W_List).items
    swaps = mt_shuffle_swaps(random_state(), len(items))
    i = len(items) - 1
    t = 0
    while i >= 1:
        j = swaps[t]
        x = items[i]
        items[i] = items[j]
        items[j] = x
        i -= 1
        t += 1
    return W_NONE

def random_uniform(a: Args) -> W_Object:
    check_args(a, "uniform", 2, 2)
    x = as_float_arg(a.vals[0])
    y = as_float_arg(a.vals[1])
    return W_Float(value=mt_uniform(random_state(), x, y))

def as_float_arg(w: W_Object) -> float:
    if not is_number(w):
        raise type_error("must be real number, not " + type_name(w))
    return as_float(w)

def random_getrandbits(a: Args) -> W_Object:
    check_args(a, "getrandbits", 1, 1)
    k = int_of(a.vals[0])
    if k < 0:
        raise guest_error("ValueError", "number of bits must be non-negative")
    state = random_state()
    if k <= 62:
        return W_Int(value=mt_getrandbits(state, k))
    return wrap_big(big_of_chunks(mt_getrandbits_chunks(state, k)))

def time_seconds() -> W_Object:
    return W_Float(value=float(time_ns()) / 1000000000.0)

def time_time(a: Args) -> W_Object:
    check_args(a, "time", 0, 0)
    return time_seconds()

def time_perf_counter(a: Args) -> W_Object:
    check_args(a, "perf_counter", 0, 0)
    return time_seconds()

def setup_number_modules():
    m = new_module("random")
    add_module_function(m, "seed", random_seed)
    add_module_function(m, "random", random_random)
    add_module_function(m, "randrange", random_randrange)
    add_module_function(m, "randint", random_randint)
    add_module_function(m, "choice", random_choice)
    add_module_function(m, "shuffle", random_shuffle)
    add_module_function(m, "uniform", random_uniform)
    add_module_function(m, "getrandbits", random_getrandbits)
    t = new_module("time")
    add_module_function(t, "time", time_time)
    add_module_function(t, "perf_counter", time_perf_counter)
