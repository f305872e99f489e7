# The generic list: `list[T]`, written once and specialised per element type by the front
# end (front/lower/generic.rs). `T` is the element type and `List` the instance's struct;
# every function here is renamed per instance (`list_append` -> `list_append__int`).
# Invariants: 0 <= length <= len(items); items[0:length] are the elements; the slots past
# `length` hold stale values (never read). Growth doubles the capacity (at least 4).

struct List:
    length: int
    items: array[T]

def list_new(cap: int) -> List:
    return List(0, array[T](cap))

# The position of index `i` (negative counts from the end), or IndexError.
def list_pos(l: List, i: int) -> int:
    n = l.length
    if i < 0:
        i = i + n
    if i < 0 or i >= n:
        raise IndexError("list index out of range")
    return i

# The fast paths below are inlined by LLVM (`@always_inline`). The raise is in line too:
# after it the helper returns at once, so no path of the slow case comes back into the
# caller's loop, and LLVM can hoist the loop-invariant reads and checks out of it.
# `@in_bounds` (the prelude's alone): their array accesses are within `length` (tested here)
# or within the capacity `list_reserve` made, so translated code tests no array bounds again.
@always_inline
@in_bounds
def list_getitem(l: List, i: int) -> T:
    n = l.length
    items = l.items
    if i < 0:
        i = i + n
    if i < 0 or i >= n:
        raise IndexError("list index out of range")
    return items[i]

@always_inline
@in_bounds
def list_setitem(l: List, i: int, v: T):
    n = l.length
    items = l.items
    if i < 0:
        i = i + n
    if i < 0 or i >= n:
        raise IndexError("list assignment index out of range")
    items[i] = v

# Makes room for at least `need` items (the slow path of `list_append`).
@dont_inline
@in_bounds
def list_reserve(l: List, need: int):
    cap = len(l.items)
    if need <= cap:
        return
    newcap = cap * 2
    if newcap < 4:
        newcap = 4
    if newcap < need:
        newcap = need
    items = array[T](newcap)
    i = 0
    n = l.length
    old = l.items
    while i < n:
        items[i] = old[i]
        i += 1
    l.items = items

@always_inline
@in_bounds
def list_append(l: List, v: T):
    n = l.length
    if n == len(l.items):
        list_reserve(l, n + 1)
    l.items[n] = v
    l.length = n + 1

def list_pop_last(l: List) -> T:
    n = l.length
    if n == 0:
        raise IndexError("pop from empty list")
    l.length = n - 1
    return l.items[n - 1]

def list_pop(l: List, i: int) -> T:
    n = l.length
    if n == 0:
        raise IndexError("pop from empty list")
    if i < 0:
        i = i + n
    if i < 0 or i >= n:
        raise IndexError("pop index out of range")
    items = l.items
    v = items[i]
    while i + 1 < n:
        items[i] = items[i + 1]
        i += 1
    l.length = n - 1
    return v

def list_delitem(l: List, i: int):
    n = l.length
    if i < 0:
        i = i + n
    if i < 0 or i >= n:
        raise IndexError("list assignment index out of range")
    items = l.items
    while i + 1 < n:
        items[i] = items[i + 1]
        i += 1
    l.length = n - 1

def list_insert(l: List, i: int, v: T):
    n = l.length
    if i < 0:
        i = i + n
        if i < 0:
            i = 0
    if i > n:
        i = n
    if n == len(l.items):
        list_reserve(l, n + 1)
    items = l.items
    k = n
    while k > i:
        items[k] = items[k - 1]
        k -= 1
    items[i] = v
    l.length = n + 1

# Python's clamping of a slice bound to [0, n].
def list_clamp(i: int, n: int) -> int:
    if i < 0:
        i = i + n
        if i < 0:
            i = 0
    if i > n:
        i = n
    return i

def list_getslice(l: List, lo: int, hi: int) -> List:
    n = l.length
    lo = list_clamp(lo, n)
    hi = list_clamp(hi, n)
    if hi < lo:
        hi = lo
    r = List(hi - lo, array[T](hi - lo))
    i = lo
    while i < hi:
        r.items[i - lo] = l.items[i]
        i += 1
    return r

def list_extend(l: List, other: List):
    m = other.length
    n = l.length
    list_reserve(l, n + m)
    i = 0
    src = other.items
    dst = l.items
    while i < m:
        dst[n + i] = src[i]
        i += 1
    l.length = n + m

def list_concat(a: List, b: List) -> List:
    r = list_new(a.length + b.length)
    list_extend(r, a)
    list_extend(r, b)
    return r

def list_contains(l: List, v: T) -> bool:
    i = 0
    while i < l.length:
        if l.items[i] == v:
            return True
        i += 1
    return False

def list_index(l: List, v: T) -> int:
    i = 0
    while i < l.length:
        if l.items[i] == v:
            return i
        i += 1
    raise ValueError("value is not in list")

def list_count(l: List, v: T) -> int:
    i = 0
    c = 0
    while i < l.length:
        if l.items[i] == v:
            c += 1
        i += 1
    return c

def list_reverse(l: List):
    i = 0
    j = l.length - 1
    items = l.items
    while i < j:
        t = items[i]
        items[i] = items[j]
        items[j] = t
        i += 1
        j -= 1

def list_copy(l: List) -> List:
    return list_getslice(l, 0, l.length)

def list_clear(l: List):
    l.length = 0

# Stable merge sort of items[0:n] by keys[0:n] (moved together), bottom-up, through the
# scratch arrays `tk`/`ti`.
def list_msort_by_key(keys: array[int], items: array[T], n: int):
    tk = array[int](n)
    ti = array[T](n)
    width = 1
    while width < n:
        lo = 0
        while lo < n:
            mid = lo + width
            if mid > n:
                mid = n
            hi = mid + width
            if hi > n:
                hi = n
            a = lo
            b = mid
            k = lo
            while k < hi:
                if a < mid and (b >= hi or keys[b] >= keys[a]):
                    tk[k] = keys[a]
                    ti[k] = items[a]
                    a += 1
                else:
                    tk[k] = keys[b]
                    ti[k] = items[b]
                    b += 1
                k += 1
            lo = hi
        k = 0
        while k < n:
            keys[k] = tk[k]
            items[k] = ti[k]
            k += 1
        width = width * 2

def list_sort_key(l: List, key: fn(T) -> int):
    n = l.length
    keys = array[int](n)
    i = 0
    while i < n:
        keys[i] = key(l.items[i])
        i += 1
    list_msort_by_key(keys, l.items, n)

# Stable merge sort by the element order `list_lt` (given per element type).
def list_sort(l: List):
    n = l.length
    items = l.items
    tmp = array[T](n)
    width = 1
    while width < n:
        lo = 0
        while lo < n:
            mid = lo + width
            if mid > n:
                mid = n
            hi = mid + width
            if hi > n:
                hi = n
            a = lo
            b = mid
            k = lo
            while k < hi:
                if a < mid and (b >= hi or not list_lt(items[b], items[a])):
                    tmp[k] = items[a]
                    a += 1
                else:
                    tmp[k] = items[b]
                    b += 1
                k += 1
            lo = hi
        k = 0
        while k < n:
            items[k] = tmp[k]
            k += 1
        width = width * 2
