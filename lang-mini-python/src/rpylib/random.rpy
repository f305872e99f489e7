# mini-Python's `random` module over plain RPy values: CPython 3.11's Mersenne Twister
# (Modules/_randommodule.c) and the Python-level methods of Lib/random.py, so that a program
# seeded with the same int draws exactly CPython's numbers.
#
# Vocabulary:
# - `MT`: the generator's state, 624 32-bit words (`mt`, each 0 <= w < 2**32 in an int) and
#   `index`, the next word to temper (624: the block must be regenerated first).
# - word: one 32-bit output of `mt_next_word` (genrand_uint32); key: the list of 32-bit words
#   `init_by_array` mixes into the state; chunks: a non-negative int's 32-bit words, least
#   significant first (how CPython turns an int seed into a key, and how `mt_getrandbits_chunks`
#   returns a draw too wide for an int).
# - `randbelow(n)`: CPython's `_randbelow_with_getrandbits`: k = n.bit_length() bits drawn
#   until the draw is below n.
#
# Invariants: every word in `mt` is in 0..2**32 (ints are 64-bit, so products of a word and
# the 31-bit multipliers fit; results are masked back); functions raise `ValueError` /
# `IndexError` with CPython 3.11's messages where random.py raises. Where the guest value is a
# sequence, the functions work on indexes (`mt_choice_index`, `mt_shuffle_swaps`) and the
# interpreter applies them to its own list. Ints beyond 64 bits are the interpreter's business:
# it passes a big seed as chunks (`mt_seed_chunks`) and asks for wide draws as chunks.

const MT_N = 624
const MT_M = 397
const MT_MASK32 = 0xFFFFFFFF
const MT_MATRIX_A = 0x9908B0DF
const MT_UPPER = 0x80000000
const MT_LOWER = 0x7FFFFFFF

struct MT:
    mt: array[int]
    index: int

def mt_new() -> MT:
    # A generator seeded with 0 (CPython seeds from the OS; call mt_seed_time for that).
    state = MT(mt=array[int](MT_N), index=MT_N + 1)
    mt_seed(state, 0)
    return state

def mt_init_genrand(state: MT, s: int):
    mt = state.mt
    mt[0] = s & MT_MASK32
    i = 1
    while i < MT_N:
        prev = mt[i - 1]
        mt[i] = (1812433253 * (prev ^ (prev >> 30)) + i) & MT_MASK32
        i += 1
    state.index = MT_N

def mt_init_by_array(state: MT, key: list[int]):
    # CPython's init_by_array; `key` is a non-empty list of 32-bit words.
    mt_init_genrand(state, 19650218)
    mt = state.mt
    n = len(key)
    i = 1
    j = 0
    k = MT_N
    if n > k:
        k = n
    while k > 0:
        prev = mt[i - 1]
        mt[i] = ((mt[i] ^ ((prev ^ (prev >> 30)) * 1664525)) + key[j] + j) & MT_MASK32
        i += 1
        j += 1
        if i >= MT_N:
            mt[0] = mt[MT_N - 1]
            i = 1
        if j >= n:
            j = 0
        k -= 1
    k = MT_N - 1
    while k > 0:
        prev = mt[i - 1]
        mt[i] = ((mt[i] ^ ((prev ^ (prev >> 30)) * 1566083941)) - i) & MT_MASK32
        i += 1
        if i >= MT_N:
            mt[0] = mt[MT_N - 1]
            i = 1
        k -= 1
    mt[0] = MT_UPPER
    state.index = MT_N

def mt_seed_chunks(state: MT, chunks: list[int]):
    # `random.seed(n)` for the int |n| whose 32-bit chunks (least significant first) are given:
    # the key is the chunks without high zero chunks, `[0]` for zero (CPython's random_seed).
    used = len(chunks)
    while used > 1 and chunks[used - 1] == 0:
        used -= 1
    key: list[int] = []
    i = 0
    while i < used:
        w = chunks[i]
        if w < 0 or w > MT_MASK32:
            raise ValueError(message="seed chunk out of range")
        key.append(w)
        i += 1
    if len(key) == 0:
        key.append(0)
    mt_init_by_array(state, key)

def mt_seed(state: MT, seed: int):
    # `random.seed(seed)` for an int seed: the key is abs(seed)'s chunks (i64::MIN included:
    # its absolute value, 2**63, is read from the wrapped negation as unsigned).
    a = seed
    if a < 0:
        a = -a
    lo = a & MT_MASK32
    hi = (a >> 32) & MT_MASK32
    chunks: list[int] = [lo]
    if hi != 0:
        chunks.append(hi)
    mt_seed_chunks(state, chunks)

def mt_seed_time(state: MT):
    # `random.seed()` without an argument: CPython reads the OS's entropy; we seed from the
    # clock's nanoseconds, as a two-chunk key.
    t = time_ns()
    chunks: list[int] = [t & MT_MASK32, (t >> 32) & MT_MASK32]
    mt_seed_chunks(state, chunks)

def mt_generate(state: MT):
    mt = state.mt
    kk = 0
    while kk < MT_N - MT_M:
        y = (mt[kk] & MT_UPPER) | (mt[kk + 1] & MT_LOWER)
        mt[kk] = mt[kk + MT_M] ^ (y >> 1) ^ ((y & 1) * MT_MATRIX_A)
        kk += 1
    while kk < MT_N - 1:
        y = (mt[kk] & MT_UPPER) | (mt[kk + 1] & MT_LOWER)
        mt[kk] = mt[kk + (MT_M - MT_N)] ^ (y >> 1) ^ ((y & 1) * MT_MATRIX_A)
        kk += 1
    y = (mt[MT_N - 1] & MT_UPPER) | (mt[0] & MT_LOWER)
    mt[MT_N - 1] = mt[MT_M - 1] ^ (y >> 1) ^ ((y & 1) * MT_MATRIX_A)
    state.index = 0

def mt_next_word(state: MT) -> int:
    # The next tempered 32-bit word (CPython's genrand_uint32).
    if state.index >= MT_N:
        mt_generate(state)
    y = state.mt[state.index]
    state.index += 1
    y = y ^ (y >> 11)
    y = y ^ ((y << 7) & 0x9D2C5680)
    y = y ^ ((y << 15) & 0xEFC60000)
    y = y ^ (y >> 18)
    return y

def mt_random(state: MT) -> float:
    # `random.random()`: 53 bits from two words, a = w1 >> 5 and b = w2 >> 6.
    a = mt_next_word(state) >> 5
    b = mt_next_word(state) >> 6
    return (float(a) * 67108864.0 + float(b)) * (1.0 / 9007199254740992.0)

def mt_getrandbits_chunks(state: MT, k: int) -> list[int]:
    # `random.getrandbits(k)` for any k >= 0 as 32-bit chunks, least significant first: one
    # word per chunk, the last one shifted right to keep k bits (CPython's order); [] for k = 0.
    if k < 0:
        raise ValueError(message="number of bits must be non-negative")
    chunks: list[int] = []
    left = k
    while left > 0:
        w = mt_next_word(state)
        if left < 32:
            w = w >> (32 - left)
        chunks.append(w)
        left -= 32
    return chunks

def mt_getrandbits(state: MT, k: int) -> int:
    # `random.getrandbits(k)` for 0 <= k <= 64. For k = 64 the int holds the 64 bits as
    # two's complement (a negative result means result + 2**64); the interpreter makes it a
    # big int. k above 64 raises OverflowError: use mt_getrandbits_chunks.
    if k < 0:
        raise ValueError(message="number of bits must be non-negative")
    if k > 64:
        raise OverflowError(message="getrandbits of more than 64 bits needs mt_getrandbits_chunks")
    if k <= 32:
        if k == 0:
            return 0
        return mt_next_word(state) >> (32 - k)
    lo = mt_next_word(state)
    hi = mt_next_word(state) >> (64 - k)
    return lo | (hi << 32)

def mt_bit_length(n: int) -> int:
    # `int.bit_length()` of n >= 0.
    k = 0
    while n > 0:
        n = n >> 1
        k += 1
    return k

def mt_randbelow(state: MT, n: int) -> int:
    # CPython's `_randbelow_with_getrandbits(n)` for n > 0 (0 for n <= 0, where CPython's loop
    # would not end; callers check first).
    if n <= 0:
        return 0
    k = mt_bit_length(n)
    r = mt_getrandbits(state, k)
    while r >= n:
        r = mt_getrandbits(state, k)
    return r

def mt_randrange(state: MT, start: int, stop: int, step: int) -> int:
    # `random.randrange(start, stop, step)` (random.py 3.11, its messages). Differences of
    # ints beyond 64 bits raise OverflowError: the interpreter's big ints take another path.
    width = ovfcheck(stop - start)
    if step == 1:
        if width > 0:
            return start + mt_randbelow(state, width)
        raise ValueError(message="empty range for randrange() (" + int_to_str(start) + ", " + int_to_str(stop) + ", " + int_to_str(width) + ")")
    n = 0
    if step > 0:
        n = ovfcheck(width + step - 1) // step
    elif step < 0:
        n = ovfcheck(width + step + 1) // step
    else:
        raise ValueError(message="zero step for randrange()")
    if n <= 0:
        raise ValueError(message="empty range for randrange()")
    return start + step * mt_randbelow(state, n)

def mt_randrange_stop(state: MT, stop: int) -> int:
    # `random.randrange(stop)`.
    if stop > 0:
        return mt_randbelow(state, stop)
    raise ValueError(message="empty range for randrange()")

def mt_randint(state: MT, a: int, b: int) -> int:
    # `random.randint(a, b)` = randrange(a, b + 1).
    return mt_randrange(state, a, ovfcheck(b + 1), 1)

def mt_choice_index(state: MT, n: int) -> int:
    # The index `random.choice(seq)` picks in a sequence of length n.
    if n == 0:
        raise IndexError(message="Cannot choose from an empty sequence")
    return mt_randbelow(state, n)

def mt_shuffle_swaps(state: MT, n: int) -> list[int]:
    # `random.shuffle` of a length-n list as swaps: item t of the result is the j that
    # x[i] is exchanged with, for i = n-1, n-2, ..., 1 in that order (n-1 items, [] for n < 2).
    swaps: list[int] = []
    i = n - 1
    while i >= 1:
        swaps.append(mt_randbelow(state, i + 1))
        i -= 1
    return swaps

def mt_shuffle_ints(state: MT, x: list[int]):
    # `random.shuffle(x)` of a list of ints in place (the swaps of mt_shuffle_swaps applied).
    i = len(x) - 1
    while i >= 1:
        j = mt_randbelow(state, i + 1)
        t = x[i]
        x[i] = x[j]
        x[j] = t
        i -= 1

def mt_uniform(state: MT, a: float, b: float) -> float:
    # `random.uniform(a, b)` = a + (b - a) * random().
    return a + (b - a) * mt_random(state)
