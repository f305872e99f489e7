# The TLC interpreter (spec/TLC.md), written in RPy for the JIT generator.
#
# This follows PyPy's 2008 oo-jit `tlc.py`: boxed objects with a class hierarchy, a dispatch
# loop over the bytecode, an explicit frame stack for CALL/SEND/RETURN (no RPy recursion per
# TLC call), and the JIT hints where PyPy put them (TLC.md section 3).
#
# Vocabulary and invariants:
# - The bytecode `code` is a `str`; bytes are signed (`char2int`). The constant pool is a
#   `Pool` built once by `load_pool` from a flat integer encoding (see `load_pool`). Names
#   (attribute and method names, pool strings) are interned to small ints by the loader, so
#   name lookup compares ints; the Rust runner keeps the id -> text table for printing.
# - Classes are memoised per structurally-equal descriptor when the pool is loaded (PyPy's
#   `Class.get(descr)`, a pure function): `pool.classes[i]` is the class of descriptor `i`,
#   and two equal descriptors share one `Class`. With the pool green and deepfrozen, `NEW`
#   reads its class as a constant.
# - The value stack is an immutable linked list of `Cell`s (`None` is the empty stack): push
#   allocates a cell, pop reads one. A JIT keeps such cells virtual, so the stack lives in
#   registers, exactly like PyPy's virtual lists. The frame stack is a linked list of
#   immutable `Frame`s (caller pc, args, stack).
# - Errors: RPy has no exceptions. A failing helper records the error in the prebuilt
#   `ERROR` state (`fail`) and returns `None` (or a sentinel int); every caller checks and
#   returns `None` in turn, up to `interp_eval`, whose `None` result means "see ERROR" (as
#   CPython's C code returns NULL with the error indicator set). `ERROR.kind` is "" while
#   no error happened.
# - Python indexing: negative indexes count from the end wherever PyPy indexes a Python list
#   or string with a signed byte (PICK, PUT, PUSHARGN, pool indexes, the pc); out of range
#   is an IndexError.
#
# JIT hints (no-ops in the IR interpreter), as in PyPy's tlc.py (TLC.md section 3):
# - `interp_eval`: `code` deepfrozen; `pool` concrete and deepfrozen; the global merge point
#   at the top of the dispatch loop; the opcode `concrete` (which makes `pc` green too).
# - Arithmetic and comparisons: `promote_class` on both operands; BR_COND: on the condition;
#   GETATTR: on the object; SETATTR: on the object and the value; SEND: on the receiver.
# - RETURN: the restored pc `promote`d. SEND: the argument count `concrete`, the method pc
#   `promote`d. BR_COND_STK: the popped offset is `promote`d (PyPy wrote `forget` there, whose
#   hint-annotator meaning was "a fresh origin that may become green"; in this framework
#   `forget` means red, and promotion is what keeps the pc green whatever the offset is).
# - Instances: `get_class` promotes and deepfreezes the class pointer (PyPy's `getclass`), so
#   attribute indexes and method pcs found in it are compile-time constants.
# A hint's result is always used (`x = hint(x, ...)`): in SSA the hint's result, not its
# operand, carries the promoted value.

# ---------------------------------------------------------------------------------------------
# Opcodes (TLC.md section 2; lang-tlc/src/opcodes.rs is the table these numbers come from).

const NOP = 1
const PUSH = 2
const POP = 3
const SWAP = 4
const ROLL = 5
const PICK = 6
const PUT = 7
const ADD = 8
const SUB = 9
const MUL = 10
const DIV = 11
const EQ = 12
const NE = 13
const LT = 14
const LE = 15
const GT = 16
const GE = 17
const BR_COND = 18
const BR_COND_STK = 19
const CALL = 20
const RETURN = 21
const PUSHARG = 22
const INVALID = 23
const NIL = 24
const CONS = 25
const CAR = 26
const CDR = 27
const NEW = 28
const GETATTR = 29
const SETATTR = 30
const SEND = 31
const PUSHARGN = 32
const PRINT = 33
const DUMP = 34
const BR = 35

# `arg_at` answers this for a byte past either end of the code.
const BAD_ARG = 1000

# ---------------------------------------------------------------------------------------------
# Objects.

struct Obj:
    pass

struct IntObj(Obj) immutable:
    value: int

struct LispObj(Obj) immutable:
    pass

struct NilObj(LispObj) immutable:
    pass

struct ConsObj(LispObj) immutable:
    car: Obj
    cdr: Obj

# A class: attribute name ids in declaration order (an attribute's index is its slot in
# `InstanceObj.values`) and methods as parallel arrays of name ids and entry pcs. Never
# mutated after `load_pool`; the interpreter reads it through a promoted, deepfrozen pointer.
struct Class immutable:
    attributes: array[int]
    method_names: array[int]
    method_pcs: array[int]

struct InstanceObj(Obj) immutable:
    cls: Class
    values: array[Obj]

const NIL_OBJ = NilObj()
const ZERO = IntObj(value = 0)

# The constant pool, after loading: `classes[i]` is `Class.get(classdescrs[i])`, `strings[i]`
# the name id of pool string `i`.
struct Pool immutable:
    classes: array[Class]
    strings: array[int]

# The value stack: `None` is empty; the top is the first cell.
struct Cell immutable:
    value: Obj
    below: Cell

# A suspended caller on the frame stack: where it resumes, its arguments and its stack, and
# how many frames the frame stack holds with this one (the call depth, for `MAX_FRAMES`).
struct Frame immutable:
    pc: int
    args: array[Obj]
    stack: Cell
    caller: Frame
    depth: int

# The deepest the frame stack may grow: a CALL or SEND beyond it is a RuntimeError ("maximum
# recursion depth exceeded", Python's message; Python 2, PyPy's TLC's host, raised it as a
# RuntimeError). Unbounded recursion then fails long before memory runs out (a frame costs
# about 200 bytes), while real programs (the conformance tests and benchmarks recurse a few
# levels deep) never come near it.
const MAX_FRAMES = 100000

# The frame stack with the caller (resuming at `pc` with `args` and `stack`) pushed on
# `caller`, or None after a RuntimeError when that would exceed `MAX_FRAMES`.
def push_frame(pc: int, args: array[Obj], stack: Cell, caller: Frame) -> Frame:
    # Two returns, not one after a join: a caller known to be None (the outermost frame, in
    # the JIT's loops) then makes a frame of constant depth 1, with no check left to run.
    if caller is None:
        return Frame(pc = pc, args = args, stack = stack, caller = None, depth = 1)
    n = caller.depth + 1
    if n > MAX_FRAMES:
        fail("RuntimeError", "maximum recursion depth exceeded")
        return None
    return Frame(pc = pc, args = args, stack = stack, caller = caller, depth = n)

# ---------------------------------------------------------------------------------------------
# Errors.

struct ErrorState:
    kind: str       # "TypeError", "IndexError", "KeyError", "ZeroDivisionError",
                    # "RuntimeError"; "" while no error happened
    message: str
    name: int       # the name id a KeyError is about, else -1
    opcode: int     # the byte a RuntimeError is about, else -1

const ERROR = ErrorState(kind = "", message = "", name = -1, opcode = -1)

def clear_error():
    ERROR.kind = ""
    ERROR.message = ""
    ERROR.name = -1
    ERROR.opcode = -1

# Records an error; returns None so that callers can write `return fail(...)`.
def fail(kind: str, message: str) -> Obj:
    ERROR.kind = kind
    ERROR.message = message
    return None

def type_error(message: str) -> Obj:
    return fail("TypeError", message)

def index_error(message: str) -> Obj:
    return fail("IndexError", message)

def key_error(message: str, name: int) -> Obj:
    ERROR.name = name
    return fail("KeyError", message)

def underflow() -> Obj:
    return index_error("pop from an empty stack")

def bad_arg() -> Obj:
    return index_error("the bytecode ends inside an instruction")

# ---------------------------------------------------------------------------------------------
# Bytes and indexes.

def char2int(b: int) -> int:
    if b >= 128:
        return b - 256
    return b

# The byte at `pc` with Python string indexing (negative counts from the end); -1 outside.
def byte_at(code: str, pc: int) -> int:
    n = len(code)
    if pc < 0:
        pc += n
    if pc < 0 or pc >= n:
        return -1
    return ord(code[pc])

# The signed argument byte at `pc`, or BAD_ARG outside the code.
def arg_at(code: str, pc: int) -> int:
    b = byte_at(code, pc)
    if b < 0:
        return BAD_ARG
    return char2int(b)

# Python list indexing: `i` (negative counts from the end) as an index into `n` items, or -1.
def py_index(i: int, n: int) -> int:
    if i < 0:
        i += n
    if i < 0 or i >= n:
        return -1
    return i

# ---------------------------------------------------------------------------------------------
# The value stack.

def push(s: Cell, v: Obj) -> Cell:
    return Cell(value = v, below = s)

# Whether the stack holds at least `n` values.
def has_depth(s: Cell, n: int) -> bool:
    while n > 0:
        # The count comes from the instruction's argument: the JIT unrolls the walk, which on
        # a virtual stack folds away.
        hint(n, concrete=True)
        if s is None:
            return False
        s = s.below
        n -= 1
    return True

def depth(s: Cell) -> int:
    n = 0
    while s is not None:
        s = s.below
        n += 1
    return n

# Python index `k` into the stack as a list (0 = bottom, -1 = top), as a distance from the
# top; -1 when out of range.
def from_top(s: Cell, k: int) -> int:
    if k < 0:
        d = -k - 1
        if has_depth(s, d + 1):
            return d
        return -1
    # The depth is promoted: asking for it green instead (the callers need the distance
    # concrete) would make the JIT unroll `depth`'s walk by its counter, endlessly when the
    # stack's bottom is a real object (the walk's end unknown at compile time).
    n = hint(depth(s), promote=True)
    if k >= n:
        return -1
    return n - 1 - k

# The value `d` places below the top (0 = top); the stack holds more than `d` values.
def stack_get(s: Cell, d: int) -> Obj:
    while d > 0:
        hint(d, concrete=True)
        s = s.below
        d -= 1
    return s.value

# `s` with the value `d` places below the top replaced by `v` (the cells above it are
# rebuilt: cells are immutable). The stack holds more than `d` values. Here and in the ROLLs,
# the counters come from the instruction's argument: the JIT unrolls the loops, so `above`
# stays a virtual array with constant indexes and the rebuilt cells stay virtual.
def stack_set(s: Cell, d: int, v: Obj) -> Cell:
    above = array[Obj](d)
    i = 0
    while i < d:
        hint(i, concrete=True)
        above[i] = s.value
        s = s.below
        i += 1
    s = push(s.below, v)
    while i > 0:
        hint(i, concrete=True)
        i -= 1
        s = push(s, above[i])
    return s

# ROLL r with r > 1: moves the value `d = r - 1` places below the top to the top. The stack
# holds more than `d` values.
def roll_up(s: Cell, d: int) -> Cell:
    above = array[Obj](d)
    i = 0
    while i < d:
        hint(i, concrete=True)
        above[i] = s.value
        s = s.below
        i += 1
    x = s.value
    s = s.below
    while i > 0:
        hint(i, concrete=True)
        i -= 1
        s = push(s, above[i])
    return push(s, x)

# ROLL r with r < -1: moves the top value `d = -r - 1` places down. The stack holds more
# than `d` values.
def roll_down(s: Cell, d: int) -> Cell:
    x = s.value
    s = s.below
    above = array[Obj](d)
    i = 0
    while i < d:
        hint(i, concrete=True)
        above[i] = s.value
        s = s.below
        i += 1
    s = push(s, x)
    while i > 0:
        hint(i, concrete=True)
        i -= 1
        s = push(s, above[i])
    return s

# ---------------------------------------------------------------------------------------------
# Operations on objects (PyPy's `Obj` methods). The caller has promoted the operands' classes,
# so with a JIT the `isa` tests below fold away.

def is_true(o: Obj) -> bool:
    if o isa IntObj:
        return (o as IntObj).value != 0
    if o isa NilObj:
        return False
    return True

# `o.int_o()`: the IntObj, or None after a TypeError.
def int_o(o: Obj) -> IntObj:
    if o isa IntObj:
        return o as IntObj
    type_error("an int is needed")
    return None

# `b.add(a)`: int addition or list concatenation `b ++ a`.
def obj_add(b: Obj, a: Obj) -> Obj:
    if b isa IntObj:
        ai = int_o(a)
        if ai is None:
            return None
        return IntObj(value = (b as IntObj).value + ai.value)
    if b isa LispObj:
        if not (a isa LispObj):
            return type_error("only a list can be added to a list")
        return concat(b, a)
    return type_error("unsupported operand for ADD")

# `b._concat(a)`: b's cells rebuilt in front of `a`; TypeError if b's chain of cdrs does not
# end in nil. Iterative, so long lists need no deep recursion.
def concat(b: Obj, a: Obj) -> Obj:
    n = 0
    p = b
    while p isa ConsObj:
        p = (p as ConsObj).cdr
        n += 1
    if not (p isa NilObj):
        return type_error("cannot concatenate an improper list")
    cars = array[Obj](n)
    i = 0
    p = b
    while i < n:
        c = p as ConsObj
        cars[i] = c.car
        p = c.cdr
        i += 1
    r = a
    while i > 0:
        i -= 1
        r = ConsObj(car = cars[i], cdr = r)
    return r

def obj_sub(b: Obj, a: Obj) -> Obj:
    if not (b isa IntObj):
        return type_error("unsupported operand for SUB")
    ai = int_o(a)
    if ai is None:
        return None
    return IntObj(value = (b as IntObj).value - ai.value)

def obj_mul(b: Obj, a: Obj) -> Obj:
    if not (b isa IntObj):
        return type_error("unsupported operand for MUL")
    ai = int_o(a)
    if ai is None:
        return None
    return IntObj(value = (b as IntObj).value * ai.value)

# `b.div(a)`: floor division of ints, or the a-th element of the list b.
def obj_div(b: Obj, a: Obj) -> Obj:
    if b isa IntObj:
        ai = int_o(a)
        if ai is None:
            return None
        if ai.value == 0:
            return fail("ZeroDivisionError", "integer division by zero")
        return IntObj(value = (b as IntObj).value // ai.value)
    if b isa LispObj:
        ni = int_o(a)
        if ni is None:
            return None
        return nth(b, ni.value)
    return type_error("unsupported operand for DIV")

# The n-th element (0-based) of the list `l`.
def nth(l: Obj, n: int) -> Obj:
    if n < 0:
        return index_error("negative list index")
    while l isa ConsObj:
        c = l as ConsObj
        if n == 0:
            return c.car
        l = c.cdr
        n -= 1
    if l isa NilObj:
        return index_error("list index out of range")
    return type_error("not a list")

# `b.eq(a)`: ints by value, conses structurally, nil and instances by identity.
def obj_eq(b: Obj, a: Obj) -> bool:
    if b isa ConsObj:
        return cons_eq(b as ConsObj, a)
    return atom_eq(b, a)

# `b.eq(a)` for a `b` that is not a cons.
def atom_eq(b: Obj, a: Obj) -> bool:
    if b isa IntObj:
        return a isa IntObj and (b as IntObj).value == (a as IntObj).value
    return b is a

# A pair of objects `cons_eq` has still to compare, on a linked stack.
struct EqWork immutable:
    b: Obj
    a: Obj
    below: EqWork

# `b.eq(a)` for a cons `b`: walks along the cdrs, comparing cars that are not conses at once
# and keeping the others on an explicit stack of pairs still to compare, so that any depth
# (nesting in the car as in the cdr) takes no RPy recursion and time linear in the size.
# Conses are immutable, so the walk ends (cycles go through instances, compared by identity).
def cons_eq(b: ConsObj, a: Obj) -> bool:
    work: EqWork = None
    x: Obj = b
    while True:
        while x isa ConsObj:
            if not (a isa ConsObj):
                return False
            xc = x as ConsObj
            ac = a as ConsObj
            if xc.car isa ConsObj:
                work = EqWork(b = xc.car, a = ac.car, below = work)
            elif not atom_eq(xc.car, ac.car):
                return False
            x = xc.cdr
            a = ac.cdr
        if not atom_eq(x, a):
            return False
        if work is None:
            return True
        x = work.b
        a = work.a
        work = work.below

# `b.lt(a)` as 1 or 0; -1 after a TypeError (both must be ints).
def obj_lt(b: Obj, a: Obj) -> int:
    if not (b isa IntObj):
        type_error("only ints can be compared")
        return -1
    ai = int_o(a)
    if ai is None:
        return -1
    if (b as IntObj).value < ai.value:
        return 1
    return 0

def bool_obj(b: bool) -> Obj:
    return IntObj(value = int(b))

# ---------------------------------------------------------------------------------------------
# Classes and instances.

# The class of an instance, promoted and deepfrozen: with a JIT, lookups in it fold to
# constants (PyPy's `InstanceObj.getclass`).
def get_class(o: InstanceObj) -> Class:
    cls = hint(o.cls, promote=True)
    return hint(cls, deepfreeze=True)

# The index of `name` in `names`, or -1.
def find_name(names: array[int], name: int) -> int:
    i = 0
    while i < len(names):
        # With the class known (promoted, deep-frozen) and the name from the constant pool,
        # the JIT unrolls the lookup to a constant index.
        hint(i, concrete=True)
        if names[i] == name:
            return i
        i += 1
    return -1

def new_instance(cls: Class) -> InstanceObj:
    frozen_cls = hint(cls, deepfreeze=True)
    n = len(frozen_cls.attributes)
    values = array[Obj](n)
    i = 0
    while i < n:
        # n is the class's attribute count, a constant for the JIT: the loop unrolls and the
        # array stays virtual.
        hint(i, concrete=True)
        values[i] = NIL_OBJ
        i += 1
    return InstanceObj(cls = cls, values = values)

def obj_getattr(o: Obj, name: int) -> Obj:
    if not (o isa InstanceObj):
        return type_error("GETATTR on a non-object")
    inst = o as InstanceObj
    i = find_name(get_class(inst).attributes, name)
    if i < 0:
        return key_error("no such attribute", name)
    return inst.values[i]

# `o.setattr(name, v)`: returns `v`, or None after an error.
def obj_setattr(o: Obj, name: int, v: Obj) -> Obj:
    if not (o isa InstanceObj):
        return type_error("SETATTR on a non-object")
    inst = o as InstanceObj
    i = find_name(get_class(inst).attributes, name)
    if i < 0:
        return key_error("no such attribute", name)
    inst.values[i] = v
    return v

# ---------------------------------------------------------------------------------------------
# The pool.

# Builds the pool from its flat encoding:
#   [nstrings, string name ids...,
#    ndescrs, then per descriptor: nattrs, attribute name ids..., nmethods, (name id, pc)...]
# Equal descriptors get one Class (PyPy's `Class.get`, memoised per structurally-equal
# descriptor).
def load_pool(data: array[int]) -> Pool:
    nstrings = data[0]
    strings = array[int](nstrings)
    pos = 1
    i = 0
    while i < nstrings:
        strings[i] = data[pos]
        pos += 1
        i += 1
    ndescrs = data[pos]
    pos += 1
    classes = array[Class](ndescrs)
    i = 0
    while i < ndescrs:
        nattrs = data[pos]
        pos += 1
        attributes = array[int](nattrs)
        j = 0
        while j < nattrs:
            attributes[j] = data[pos]
            pos += 1
            j += 1
        nmeths = data[pos]
        pos += 1
        method_names = array[int](nmeths)
        method_pcs = array[int](nmeths)
        j = 0
        while j < nmeths:
            method_names[j] = data[pos]
            method_pcs[j] = data[pos + 1]
            pos += 2
            j += 1
        cls = Class(attributes = attributes, method_names = method_names, method_pcs = method_pcs)
        classes[i] = class_get(classes, i, cls)
        i += 1
    return Pool(classes = classes, strings = strings)

# The first of `classes[0..n]` structurally equal to `cls`, or `cls` itself.
def class_get(classes: array[Class], n: int, cls: Class) -> Class:
    i = 0
    while i < n:
        c = classes[i]
        if same_ints(c.attributes, cls.attributes) and same_ints(c.method_names, cls.method_names) and same_ints(c.method_pcs, cls.method_pcs):
            return c
        i += 1
    return cls

def same_ints(a: array[int], b: array[int]) -> bool:
    if len(a) != len(b):
        return False
    i = 0
    while i < len(a):
        if a[i] != b[i]:
            return False
        i += 1
    return True

# The words of `s`, read as little-endian 64-bit two's complement integers (the multiplication
# wraps, so the top byte gives the sign).
def decode_words(s: str) -> array[int]:
    n = len(s) // 8
    words = array[int](n)
    i = 0
    while i < n:
        w = 0
        k = 7
        while k >= 0:
            w = w * 256 + ord(s[i * 8 + k])
            k -= 1
        words[i] = w
        i += 1
    return words

# ---------------------------------------------------------------------------------------------
# The interpreter.

# Runs `code` from `pc` with arguments `args` until it falls off the end of the code or
# returns from the outermost frame; the result is the top of the current stack. None means
# an error, described by ERROR.
def interp_eval(code: str, pc: int, args: array[Obj], pool: Pool) -> Obj:
    code = hint(code, deepfreeze=True)
    pool = hint(hint(pool, concrete=True), deepfreeze=True)
    stack: Cell = None
    framestack: Frame = None
    while pc < len(code):
        hint(None, global_merge_point=True)
        opcode = hint(byte_at(code, pc), concrete=True)
        if opcode < 0:
            return index_error("the pc is before the start of the code")
        # The signed byte after the opcode, for the opcodes that take one.
        arg = arg_at(code, pc + 1)
        pc += 1

        if opcode == NOP:
            pass

        elif opcode == PUSH:
            if arg == BAD_ARG:
                return bad_arg()
            stack = push(stack, IntObj(value = arg))
            pc += 1

        elif opcode == POP:
            if stack is None:
                return underflow()
            stack = stack.below

        elif opcode == SWAP:
            if stack is None or stack.below is None:
                return underflow()
            a = stack.value
            b = stack.below.value
            stack = push(push(stack.below.below, a), b)

        elif opcode == ROLL:
            if arg == BAD_ARG:
                return bad_arg()
            if arg > 1:
                if not has_depth(stack, arg):
                    return index_error("ROLL deeper than the stack")
                stack = roll_up(stack, arg - 1)
            elif arg < -1:
                if not has_depth(stack, -arg):
                    return index_error("ROLL deeper than the stack")
                stack = roll_down(stack, -arg - 1)
            pc += 1

        elif opcode == PICK:
            if arg == BAD_ARG:
                return bad_arg()
            d = from_top(stack, -1 - arg)
            if d < 0:
                return index_error("PICK outside the stack")
            stack = push(stack, stack_get(stack, d))
            pc += 1

        elif opcode == PUT:
            if stack is None:
                return underflow()
            if arg == BAD_ARG:
                return bad_arg()
            x = stack.value
            stack = stack.below
            d = from_top(stack, -1 - arg)
            if d < 0:
                return index_error("PUT outside the stack")
            stack = stack_set(stack, d, x)
            pc += 1

        elif opcode >= ADD and opcode <= GE:
            if stack is None or stack.below is None:
                return underflow()
            a = hint(stack.value, promote_class=True)
            b = hint(stack.below.value, promote_class=True)
            stack = stack.below.below
            r: Obj = None
            if opcode == ADD:
                r = obj_add(b, a)
            elif opcode == SUB:
                r = obj_sub(b, a)
            elif opcode == MUL:
                r = obj_mul(b, a)
            elif opcode == DIV:
                r = obj_div(b, a)
            elif opcode == EQ:
                r = bool_obj(obj_eq(b, a))
            elif opcode == NE:
                r = bool_obj(not obj_eq(b, a))
            else:
                # LT: b.lt(a); LE: not a.lt(b); GT: a.lt(b); GE: not b.lt(a).
                t = 0
                if opcode == LT or opcode == GE:
                    t = obj_lt(b, a)
                else:
                    t = obj_lt(a, b)
                if t < 0:
                    return None
                if opcode == LE or opcode == GE:
                    t = 1 - t
                r = IntObj(value = t)
            if r is None:
                return None
            stack = push(stack, r)

        elif opcode == BR_COND:
            if stack is None:
                return underflow()
            cond = hint(stack.value, promote_class=True)
            stack = stack.below
            if is_true(cond):
                if arg == BAD_ARG:
                    return bad_arg()
                pc += arg
            pc += 1

        elif opcode == BR_COND_STK:
            if stack is None:
                return underflow()
            offset = int_o(stack.value)
            if offset is None:
                return None
            stack = stack.below
            if stack is None:
                return underflow()
            cond = stack.value
            stack = stack.below
            if is_true(cond):
                pc += hint(offset.value, promote=True)

        elif opcode == CALL:
            if arg == BAD_ARG:
                return bad_arg()
            pc += 1
            framestack = push_frame(pc, args, stack, framestack)
            if framestack is None:
                return None
            pc += arg
            args = [ZERO]
            stack = None

        elif opcode == RETURN:
            if framestack is None:
                break
            res: Obj = None
            if stack is not None:
                res = stack.value
            frame = framestack
            framestack = frame.caller
            args = frame.args
            stack = frame.stack
            pc = hint(frame.pc, promote=True)
            if res is not None:
                stack = push(stack, res)

        elif opcode == PUSHARG:
            stack = push(stack, args[0])

        elif opcode == PUSHARGN:
            if arg == BAD_ARG:
                return bad_arg()
            i = py_index(arg, len(args))
            if i < 0:
                return index_error("PUSHARGN: no such argument")
            stack = push(stack, args[i])
            pc += 1

        elif opcode == NIL:
            stack = push(stack, NIL_OBJ)

        elif opcode == CONS:
            if stack is None or stack.below is None:
                return underflow()
            car = stack.value
            cdr = stack.below.value
            stack = push(stack.below.below, ConsObj(car = car, cdr = cdr))

        elif opcode == CAR or opcode == CDR:
            if stack is None:
                return underflow()
            o = stack.value
            if not (o isa ConsObj):
                return type_error("CAR or CDR of a non-cons")
            c = o as ConsObj
            stack = push(stack.below, c.car if opcode == CAR else c.cdr)

        elif opcode == NEW:
            if arg == BAD_ARG:
                return bad_arg()
            i = py_index(arg, len(pool.classes))
            if i < 0:
                return index_error("NEW: no such class descriptor")
            stack = push(stack, new_instance(pool.classes[i]))
            pc += 1

        elif opcode == GETATTR:
            if arg == BAD_ARG:
                return bad_arg()
            i = py_index(arg, len(pool.strings))
            if i < 0:
                return index_error("GETATTR: no such pool string")
            pc += 1
            if stack is None:
                return underflow()
            o = hint(stack.value, promote_class=True)
            stack = stack.below
            r = obj_getattr(o, hint(pool.strings[i], concrete=True))
            if r is None:
                return None
            stack = push(stack, r)

        elif opcode == SETATTR:
            if arg == BAD_ARG:
                return bad_arg()
            i = py_index(arg, len(pool.strings))
            if i < 0:
                return index_error("SETATTR: no such pool string")
            pc += 1
            if stack is None or stack.below is None:
                return underflow()
            a = hint(stack.value, promote_class=True)
            b = hint(stack.below.value, promote_class=True)
            stack = stack.below.below
            if obj_setattr(b, hint(pool.strings[i], concrete=True), a) is None:
                return None

        elif opcode == SEND:
            if arg == BAD_ARG:
                return bad_arg()
            nbyte = arg_at(code, pc + 1)
            if nbyte == BAD_ARG:
                return bad_arg()
            pc += 2
            i = py_index(arg, len(pool.strings))
            if i < 0:
                return index_error("SEND: no such pool string")
            name = hint(pool.strings[i], concrete=True)
            num_args = hint(nbyte + 1, concrete=True)
            if num_args <= 0:
                return index_error("SEND without a receiver")
            meth_args = array[Obj](num_args)
            while num_args > 0:
                num_args -= 1
                if stack is None:
                    return underflow()
                meth_args[num_args] = stack.value
                stack = stack.below
                num_args = hint(num_args, concrete=True)
            receiver = hint(meth_args[0], promote_class=True)
            if not (receiver isa InstanceObj):
                return type_error("SEND to a non-object")
            cls = get_class(receiver as InstanceObj)
            m = find_name(cls.method_names, name)
            if m < 0:
                return key_error("no such method", name)
            meth_pc = hint(cls.method_pcs[m], promote=True)
            framestack = push_frame(pc, args, stack, framestack)
            if framestack is None:
                return None
            pc = meth_pc
            args = meth_args
            stack = None

        elif opcode == PRINT or opcode == DUMP:
            # Debugging output in untranslated PyPy; a no-op for the program (translated).
            pass

        elif opcode == BR:
            if arg == BAD_ARG:
                return bad_arg()
            pc += arg + 1

        else:
            ERROR.opcode = opcode
            return fail("RuntimeError", "unknown opcode")

    if stack is None:
        return index_error("the program's result: the stack is empty")
    return stack.value

# ---------------------------------------------------------------------------------------------
# Entry points for the runner.

# Loads the pool and runs `code` from pc 0 with the single argument `inputarg`. None means an
# error, described by `error_kind` and friends. `pool_data` is `load_pool`'s flat encoding as
# little-endian 64-bit words (`decode_words`): a string, so that every execution mode passes
# the program's inputs the same way, as two strings and an int.
def run(code: str, pool_data: str, inputarg: int) -> Obj:
    pool = prepare_pool(pool_data)
    return interp_eval(code, 0, make_args(inputarg), pool)

# The two halves of `run` before the portal, for a caller that calls `interp_eval` itself
# (the JIT driver, whose green key is the bytecode, the pc and the pool).
def prepare_pool(pool_data: str) -> Pool:
    clear_error()
    return load_pool(decode_words(pool_data))

def make_args(inputarg: int) -> array[Obj]:
    args: array[Obj] = [IntObj(value = inputarg)]
    return args

def error_kind() -> str:
    return ERROR.kind

def error_message() -> str:
    return ERROR.message

def error_name() -> int:
    return ERROR.name

def error_opcode() -> int:
    return ERROR.opcode

# Accessors for the result printer (in Rust): what an object is and what it holds.
const KIND_INT = 0
const KIND_NIL = 1
const KIND_CONS = 2
const KIND_INSTANCE = 3

def obj_kind(o: Obj) -> int:
    if o isa IntObj:
        return KIND_INT
    if o isa NilObj:
        return KIND_NIL
    if o isa ConsObj:
        return KIND_CONS
    return KIND_INSTANCE

def int_value(o: Obj) -> int:
    return (o as IntObj).value

def cons_car(o: Obj) -> Obj:
    return (o as ConsObj).car

def cons_cdr(o: Obj) -> Obj:
    return (o as ConsObj).cdr

def instance_size(o: Obj) -> int:
    return len((o as InstanceObj).values)

def instance_attr_name(o: Obj, i: int) -> int:
    return (o as InstanceObj).cls.attributes[i]

def instance_value(o: Obj, i: int) -> Obj:
    return (o as InstanceObj).values[i]
