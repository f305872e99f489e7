#! settable.rpy: the slot table that gives a set CPython's iteration order.
#!
#! A `W_Set` answers membership and size from its `rdict` (`d`); its `table` mirrors
#! CPython 3.11's `setobject.c` layout so that iteration, `repr` and `pop` visit the items in
#! the order CPython would: open addressing over a power-of-two array of slots (8 at least);
#! a probe looks at the home slot `hash & mask` and, when they fit, the 9 slots after it
#! (LINEAR_PROBES), then jumps to `(i * 5 + 1 + perturb) & mask` with `perturb` (the hash as
#! an unsigned word) shifted right by 5 each round; a deleted item leaves a *dummy* slot,
#! and an insertion that meets no equal item goes into the last dummy its probe passed
#! (else the empty slot that ended it); the table grows when `fill * 5 >= mask * 3`
#! to the smallest size above `used * 4` (`used * 2` past 50000 items), reinserting the items
#! in slot order; `set_merge` copies or reinserts another set's slots as CPython does.
#!
#! Invariants: `table.used == len(d)`; each item of `d` sits in exactly one slot; a slot is
#! None (never used), `SET_TABLES.dummy` (deleted) or an item with its hash in `hashes`.
#! Only for ints (and other objects whose hash CPython does not randomise) is the order
#! CPython's; strs hash differently from CPython, whose str hashes change per process anyway.

const SET_MINSIZE = 8
const LINEAR_PROBES = 9

struct SetTable:
    slots: array[W_Object]
    hashes: array[int]
    fill: int
    used: int
    finger: int

struct SetTables:
    dummy: W_Object

const SET_TABLES = SetTables(dummy=None)

def new_set_table(size: int) -> SetTable:
    slots = array[W_Object](size)
    hashes = array[int](size)
    i = 0
    while i < size:
        slots[i] = None
        hashes[i] = 0
        i += 1
    return SetTable(slots=slots, hashes=hashes, fill=0, used=0, finger=0)

# perturb >>= 5 on an unsigned machine word.
def perturb_shift(p: int) -> int:
    if p >= 0:
        return p >> 5
    return (p >> 5) & 576460752303423487

def table_place(t: SetTable, i: int, w: W_Object, h: int):
    t.slots[i] = w
    t.hashes[i] = h

# Inserts into a table with no dummies and no equal item (CPython's set_insert_clean).
def table_insert_clean(t: SetTable, w: W_Object, h: int):
    mask = len(t.slots) - 1
    i = h & mask
    perturb = h
    while True:
        if t.slots[i] is None:
            table_place(t, i, w, h)
            return
        if i + LINEAR_PROBES <= mask:
            j = 1
            while j <= LINEAR_PROBES:
                if t.slots[i + j] is None:
                    table_place(t, i + j, w, h)
                    return
                j += 1
        perturb = perturb_shift(perturb)
        i = (i * 5 + 1 + perturb) & mask

# A fresh table for at least `minused` items holding the items of `s`, in slot order.
def table_resize(s: W_Set, minused: int):
    newsize = SET_MINSIZE
    while newsize <= minused:
        newsize = newsize << 1
    old = s.table
    nt = new_set_table(newsize)
    k = 0
    while k < len(old.slots):
        w = old.slots[k]
        if w is not None and w is not SET_TABLES.dummy:
            table_insert_clean(nt, w, old.hashes[k])
        k += 1
    nt.fill = old.used
    nt.used = old.used
    nt.finger = old.finger
    s.table = nt

# Adds `w` (hash `h`), known not to be in `s` yet (CPython's set_add_entry).
def table_add(s: W_Set, w: W_Object, h: int):
    t = s.table
    mask = len(t.slots) - 1
    i = h & mask
    perturb = h
    free = -1
    while True:
        probes = 0
        if i + LINEAR_PROBES <= mask:
            probes = LINEAR_PROBES
        j = i
        k = 0
        while k <= probes:
            e = t.slots[j]
            if e is None:
                if free >= 0:
                    table_place(t, free, w, h)
                    t.used += 1
                    return
                table_place(t, j, w, h)
                t.fill += 1
                t.used += 1
                if t.fill * 5 >= mask * 3:
                    if t.used > 50000:
                        table_resize(s, t.used * 2)
                    else:
                        table_resize(s, t.used * 4)
                return
            if e is SET_TABLES.dummy:
                free = j
            j += 1
            k += 1
        perturb = perturb_shift(perturb)
        i = (i * 5 + 1 + perturb) & mask

# Turns the slot holding an item equal to `w` (in `s`) into a dummy.
def table_discard(s: W_Set, w: W_Object, h: int):
    t = s.table
    mask = len(t.slots) - 1
    i = h & mask
    perturb = h
    while True:
        probes = 0
        if i + LINEAR_PROBES <= mask:
            probes = LINEAR_PROBES
        j = i
        k = 0
        while k <= probes:
            e = t.slots[j]
            if e is None:
                return
            if e is not SET_TABLES.dummy and t.hashes[j] == h and (e is w or eq_of(e, w)):
                t.slots[j] = SET_TABLES.dummy
                t.hashes[j] = -1
                t.used -= 1
                return
            j += 1
            k += 1
        perturb = perturb_shift(perturb)
        i = (i * 5 + 1 + perturb) & mask

# The items of `s` in slot order (CPython's iteration order).
def table_items(s: W_Set) -> list[W_Object]:
    out: list[W_Object] = []
    t = s.table
    k = 0
    while k < len(t.slots):
        w = t.slots[k]
        if w is not None and w is not SET_TABLES.dummy:
            out.append(w)
        k += 1
    return out

# Adds `w` to `s` unless an equal item is there.
def set_insert(s: W_Set, w: W_Object):
    if w in s.d:
        return
    s.d[w] = W_NONE
    table_add(s, w, hash_of(w))

# Removes the item equal to `w` if there is one.
def set_delete(s: W_Set, w: W_Object):
    if not (w in s.d):
        return
    del s.d[w]
    table_discard(s, w, hash_of(w))

def set_clear(s: W_Set):
    keys = s.d.keys()
    i = 0
    while i < len(keys):
        del s.d[keys[i]]
        i += 1
    s.table = new_set_table(SET_MINSIZE)

# Removes and returns an item the way CPython's set.pop does (from the finger on).
def set_pop_item(s: W_Set) -> W_Object:
    t = s.table
    mask = len(t.slots) - 1
    k = t.finger & mask
    while t.slots[k] is None or t.slots[k] is SET_TABLES.dummy:
        k += 1
        if k > mask:
            k = 0
    w = t.slots[k]
    t.slots[k] = SET_TABLES.dummy
    t.hashes[k] = -1
    t.used -= 1
    t.finger = k + 1
    del s.d[w]
    return w

# Adds the items of `other` to `s` (CPython's set_merge).
def set_merge(s: W_Set, other: W_Set):
    if other is s or other.table.used == 0:
        return
    ot = other.table
    t = s.table
    if (t.fill + ot.used) * 5 >= (len(t.slots) - 1) * 3:
        table_resize(s, (t.used + ot.used) * 2)
        t = s.table
    if t.fill == 0 and len(t.slots) == len(ot.slots) and ot.fill == ot.used:
        k = 0
        while k < len(ot.slots):
            w = ot.slots[k]
            if w is not None:
                table_place(t, k, w, ot.hashes[k])
                s.d[w] = W_NONE
            k += 1
        t.fill = ot.fill
        t.used = ot.used
        return
    if t.fill == 0:
        k = 0
        while k < len(ot.slots):
            w = ot.slots[k]
            if w is not None and w is not SET_TABLES.dummy:
                table_insert_clean(t, w, ot.hashes[k])
                s.d[w] = W_NONE
            k += 1
        t.fill = ot.used
        t.used = ot.used
        return
    k = 0
    while k < len(ot.slots):
        w = ot.slots[k]
        if w is not None and w is not SET_TABLES.dummy and not (w in s.d):
            s.d[w] = W_NONE
            table_add(s, w, ot.hashes[k])
        k += 1

# Removes each of `items` from `s`, then rebuilds the table when more than a quarter of
# it is dummies (CPython's set_difference_update_internal).
def set_discard_all(s: W_Set, items: list[W_Object]):
    i = 0
    while i < len(items):
        set_delete(s, items[i])
        i += 1
    t = s.table
    if t.fill - t.used <= (len(t.slots) - 1) // 4:
        return
    if t.used > 50000:
        table_resize(s, t.used * 2)
    else:
        table_resize(s, t.used * 4)

# An iterator over a set: a snapshot of its slot order, checked against the set's size on
# every step (CPython's "Set changed size during iteration", raised again on every later
# step, as CPython's iterator does).
struct W_SetIter(W_Iter):
    set: W_Set
    items: list[W_Object]
    index: int
    size: int

    def next_or_none(self) -> W_Object:
        if len(self.set.d) != self.size:
            self.size = -1
            raise guest_error("RuntimeError", "Set changed size during iteration")
        i = self.index
        if i >= len(self.items):
            return None
        self.index = i + 1
        return self.items[i]

def set_iter(s: W_Set) -> W_Object:
    return W_SetIter(set=s, items=table_items(s), index=0, size=len(s.d))
