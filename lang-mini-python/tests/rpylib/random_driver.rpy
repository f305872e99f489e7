# Test driver for src/rpylib/random.rpy (appended to it by tests/rpylib.rs): each function
# draws one kind of sequence for a seed and returns it as text, one value per line, in the
# format tests/rpylib/regen.py prints CPython's.

def seeded(seed: int) -> MT:
    state = mt_new()
    if seed < 0:
        # The driver's stand-in for a big seed: -k means 2**k, given as chunks.
        chunks: list[int] = []
        k = 0 - seed
        while k >= 32:
            chunks.append(0)
            k -= 32
        chunks.append(1 << k)
        mt_seed_chunks(state, chunks)
    else:
        mt_seed(state, seed)
    return state

def join_ints(xs: list[int]) -> str:
    b = new_builder()
    i = 0
    while i < len(xs):
        if i > 0:
            builder_append(b, " ")
        builder_append(b, int_to_str(xs[i]))
        i += 1
    return builder_build(b)

def unsigned64(x: int) -> str:
    # The 64 bits of x read as an unsigned decimal.
    if x >= 0:
        return int_to_str(x)
    q = ((x >> 1) & 0x7FFFFFFFFFFFFFFF) // 5
    r = x - q * 10
    return int_to_str(q) + int_to_str(r)

def randoms(seed: int) -> str:
    state = seeded(seed)
    b = new_builder()
    i = 0
    while i < 20:
        builder_append(b, float_to_str(mt_random(state)))
        builder_append(b, "\n")
        i += 1
    return builder_build(b)

def randints(seed: int) -> str:
    state = seeded(seed)
    xs: list[int] = []
    i = 0
    while i < 50:
        xs.append(mt_randint(state, 1, 100))
        i += 1
    return join_ints(xs)

def randranges(seed: int) -> str:
    state = seeded(seed)
    xs: list[int] = []
    i = 0
    while i < 20:
        xs.append(mt_randrange(state, 0, 1000, 7))
        i += 1
    i = 0
    while i < 5:
        xs.append(mt_randrange(state, 100, -50, -3))
        xs.append(mt_randrange_stop(state, 10))
        xs.append(mt_randrange(state, -5, 5, 1))
        i += 1
    return join_ints(xs)

def shuffled(seed: int) -> str:
    state = seeded(seed)
    xs: list[int] = []
    i = 0
    while i < 20:
        xs.append(i)
        i += 1
    mt_shuffle_ints(state, xs)
    return join_ints(xs) + "|" + join_ints(mt_shuffle_swaps(state, 10))

def choices(seed: int) -> str:
    state = seeded(seed)
    xs: list[int] = []
    i = 0
    while i < 20:
        xs.append(mt_choice_index(state, 7))
        i += 1
    return join_ints(xs)

def randbits(seed: int) -> str:
    state = seeded(seed)
    b = new_builder()
    k = 1
    while k <= 64:
        builder_append(b, unsigned64(mt_getrandbits(state, k)))
        builder_append(b, " ")
        k += 1
    builder_append(b, join_ints(mt_getrandbits_chunks(state, 100)))
    return builder_build(b)

def uniforms(seed: int) -> str:
    state = seeded(seed)
    b = new_builder()
    i = 0
    while i < 5:
        builder_append(b, float_to_str(mt_uniform(state, -2.5, 10.0)))
        builder_append(b, " ")
        i += 1
    return builder_build(b)

def empty_range(x: int) -> int:
    state = seeded(1)
    if x == 0:
        return mt_randrange(state, 0, 0, 1)
    if x == 1:
        return mt_randrange(state, 0, 10, 0)
    if x == 2:
        return mt_randrange(state, 10, 0, 2)
    if x == 3:
        return mt_randrange_stop(state, 0)
    if x == 4:
        return mt_choice_index(state, 0)
    if x == 5:
        return mt_randint(state, 5, 3)
    return mt_getrandbits(state, -1)

def time_seeded(x: int) -> int:
    state = mt_new()
    mt_seed_time(state)
    r = mt_random(state)
    if r >= 0.0 and r < 1.0:
        return 1
    return 0

# The first five random() of mt_seed(seed) itself (negative seeds are seeded by their
# absolute value, i64::MIN's too).
def signed_seed(seed: int) -> str:
    state = mt_new()
    mt_seed(state, seed)
    b = new_builder()
    i = 0
    while i < 5:
        builder_append(b, float_to_str(mt_random(state)))
        builder_append(b, " ")
        i += 1
    return builder_build(b)
