# Module constants: ints, strings, prebuilt structs holding global state, constant arrays.
# run: bump 5 => 5
# run: table_sum 0 => 30
# run: name_len 0 => 5

const LIMIT = 10
const SCALE = LIMIT * 2 + 1
const NAME = "hello"
const TABLE = [2, 4, 6, 8, 10]

struct Counter:
    count: int

const COUNTER = Counter(count = 0)

def bump(n: int) -> int:
    i = 0
    while i < n:
        COUNTER.count += 1
        i += 1
    return COUNTER.count

def table_sum(x: int) -> int:
    s = 0
    i = 0
    while i < len(TABLE):
        s += TABLE[i]
        i += 1
    return s + SCALE - 21

def name_len(x: int) -> int:
    return len(NAME)
