# The generic insertion-ordered dict: `dict[K, V]` and `rdict[K, V]`, written once and
# specialised per key and value type by the front end (front/lower/generic.rs). `Dict` is the
# instance's struct; `dict_hash`, `dict_eq` and `dict_new` come per key kind (int, char, str,
# struct identity, or the user's functions for rdict).
# Layout, as CPython's compact dict: `keys`/`values`/`live` are the entries in insertion order
# (`filled` of them used, `live[e]` False for a deleted one); `index` is the open-addressing
# hash table (a power of two long) of entry numbers: -1 empty, -2 a deleted entry's slot.
# Invariants: used <= filled <= len(keys) = len(values) = len(live) < len(index); at least
# one slot of `index` is empty (capacity is 2/3 of the table), so probing ends. A resize
# compacts the entries (drops the deleted ones) and rebuilds the table.

struct Dict:
    used: int
    filled: int
    index: array[int]
    keys: array[K]
    values: array[V]
    live: array[bool]

# The table slot holding `k`'s entry, or the empty slot where it would go. Unroll-safe: on a
# frozen dict and a constant key the JIT runs the whole probe at compile time (the probe ends
# at an empty slot, which the table always has).
@unroll_safe
def dict_find(d: Dict, k: K) -> int:
    index = d.index
    mask = len(index) - 1
    i = dict_hash(d, k) & mask
    while True:
        e = index[i]
        if e == -1:
            return i
        if e >= 0:
            if dict_eq(d, d.keys[e], k):
                return i
        i = (i + 1) & mask

# Fresh storage for `n` live entries with room to grow, the entries copied in order.
def dict_resize(d: Dict):
    n = d.used
    size = 8
    while size * 2 // 3 <= n * 2:
        size = size * 2
    cap = size * 2 // 3
    keys = array[K](cap)
    values = array[V](cap)
    live = array[bool](cap)
    j = 0
    i = 0
    while i < d.filled:
        if d.live[i]:
            keys[j] = d.keys[i]
            values[j] = d.values[i]
            live[j] = True
            j += 1
        i += 1
    index = array[int](size)
    i = 0
    while i < size:
        index[i] = -1
        i += 1
    d.keys = keys
    d.values = values
    d.live = live
    d.index = index
    d.filled = j
    i = 0
    while i < j:
        index[dict_find(d, keys[i])] = i
        i += 1

def dict_getitem(d: Dict, k: K) -> V:
    e = d.index[dict_find(d, k)]
    if e < 0:
        raise KeyError("key not found")
    return d.values[e]

def dict_get(d: Dict, k: K, default: V) -> V:
    e = d.index[dict_find(d, k)]
    if e < 0:
        return default
    return d.values[e]

def dict_contains(d: Dict, k: K) -> bool:
    return d.index[dict_find(d, k)] >= 0

def dict_setitem(d: Dict, k: K, v: V):
    s = dict_find(d, k)
    e = d.index[s]
    if e >= 0:
        d.values[e] = v
        return
    if d.filled == len(d.keys):
        dict_resize(d)
        s = dict_find(d, k)
    e = d.filled
    d.keys[e] = k
    d.values[e] = v
    d.live[e] = True
    d.index[s] = e
    d.filled = e + 1
    d.used = d.used + 1

# Removes `k`'s entry (which exists at table slot `s`) and returns its value.
def dict_remove(d: Dict, s: int) -> V:
    e = d.index[s]
    d.index[s] = -2
    d.live[e] = False
    d.used = d.used - 1
    return d.values[e]

def dict_delitem(d: Dict, k: K):
    s = dict_find(d, k)
    if d.index[s] < 0:
        raise KeyError("key not found")
    dict_remove(d, s)

def dict_pop(d: Dict, k: K) -> V:
    s = dict_find(d, k)
    if d.index[s] < 0:
        raise KeyError("key not found")
    return dict_remove(d, s)

def dict_pop_default(d: Dict, k: K, default: V) -> V:
    s = dict_find(d, k)
    if d.index[s] < 0:
        return default
    return dict_remove(d, s)

def dict_clear(d: Dict):
    d.used = 0
    d.filled = 0
    dict_resize(d)

def dict_keys(d: Dict) -> list[K]:
    r: list[K] = []
    i = 0
    while i < d.filled:
        if d.live[i]:
            r.append(d.keys[i])
        i += 1
    return r

def dict_values(d: Dict) -> list[V]:
    r: list[V] = []
    i = 0
    while i < d.filled:
        if d.live[i]:
            r.append(d.values[i])
        i += 1
    return r


# For `for` loops (front/lower/container_walks.rs): the first live entry at or after entry
# `e`, or -1 past the last; RuntimeError when the dict's size is no longer `used`.
def dict_next(d: Dict, e: int, used: int) -> int:
    if d.used != used:
        raise RuntimeError("dictionary changed size during iteration")
    n = d.filled
    live = d.live
    while e < n:
        if live[e]:
            return e
        e += 1
    return -1
