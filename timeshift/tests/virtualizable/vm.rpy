# A small stack bytecode interpreter with a virtualizable frame, shaped like a Python one:
# code objects with their own number of locals and stack size, a frame made per call,
# LOAD_FAST / STORE_FAST, a value stack whose depth is a green of the dispatch loop (known at
# each instruction from the bytecode) and a field of the frame. `run` is the portal (green: the
# code object); the frame is red, and virtualizable: the JIT keeps its depth, locals and stack
# items in registers. Used by timeshift/tests/virtualizable.rs and
# backend-llvm/tests/virtualizable.rs; the start of the Python-shaped example interpreter.
const LOAD_FAST = 1
const STORE_FAST = 2
const LOAD_CONST = 3
const BINARY_ADD = 4
const BINARY_LT = 5
const BINARY_MOD = 6
const POP_JUMP_IF_FALSE = 7
const JUMP = 8
const CALL_HELPER = 9
const CALL_PROBE = 10
const PROMOTE = 11
const RETURN_VALUE = 12
const LOAD_LOCAL_AT = 13

struct Code immutable:
    ops: frozen[int]
    nlocals: int
    stacksize: int

struct Frame virtualizable(depth, locals[*], stack[*]):
    code: Code
    locals: array[int]
    stack: array[int]
    depth: int

def new_frame(code: Code, n: int) -> Frame:
    f = Frame(code=code, locals=array[int](code.nlocals), stack=array[int](code.stacksize), depth=0)
    f.locals[1] = n
    return f

# A helper the JIT calls residually (it is recursive) and that cannot reach a frame: the sum
# of x's digits in base 7.
def helper(x: int) -> int:
    if x < 7:
        return x
    return x % 7 + helper(x // 7)

# A residual helper that reads the frame (every local and the top of the stack) and writes it
# (bumps local 0, the loop counter).
def probe(f: Frame, i: int) -> int:
    if i == 0:
        f.locals[0] = f.locals[0] + 1
    if i >= len(f.locals):
        return f.stack[f.depth - 1]
    return f.locals[i] + probe(f, i + 1)

def run(code: Code, f: Frame) -> int:
    code = hint(code, deepfreeze=True)
    ops = code.ops
    pc = 0
    sp = 0
    while True:
        hint(None, global_merge_point=True)
        op = hint(ops[pc], concrete=True)
        # The stack depth at each instruction is known from the bytecode: a green.
        sp = hint(sp, concrete=True)
        pc += 1
        if op == LOAD_FAST:
            f.stack[sp] = f.locals[ops[pc]]
            sp += 1
            f.depth = sp
            pc += 1
        elif op == STORE_FAST:
            sp -= 1
            f.locals[ops[pc]] = f.stack[sp]
            f.depth = sp
            pc += 1
        elif op == LOAD_CONST:
            f.stack[sp] = ops[pc]
            sp += 1
            f.depth = sp
            pc += 1
        elif op == BINARY_ADD:
            sp -= 1
            f.stack[sp - 1] = f.stack[sp - 1] + f.stack[sp]
            f.depth = sp
        elif op == BINARY_LT:
            sp -= 1
            r = 0
            if f.stack[sp - 1] < f.stack[sp]:
                r = 1
            f.stack[sp - 1] = r
            f.depth = sp
        elif op == BINARY_MOD:
            sp -= 1
            f.stack[sp - 1] = f.stack[sp - 1] % f.stack[sp]
            f.depth = sp
        elif op == POP_JUMP_IF_FALSE:
            sp -= 1
            f.depth = sp
            if f.stack[sp] == 0:
                pc = ops[pc]
            else:
                pc += 1
        elif op == JUMP:
            pc = ops[pc]
        elif op == CALL_HELPER:
            f.stack[sp - 1] = helper(f.stack[sp - 1])
        elif op == CALL_PROBE:
            x = probe(f, 0)
            f.stack[sp] = x
            sp += 1
            f.depth = sp
        elif op == PROMOTE:
            f.stack[sp - 1] = hint(f.stack[sp - 1], promote=True)
        elif op == LOAD_LOCAL_AT:
            # A local chosen at run time: an index the JIT does not know.
            f.stack[sp - 1] = f.locals[f.stack[sp - 1]]
        else:
            sp -= 1
            f.depth = sp
            return f.stack[sp]

# A digest of a frame's contents: its depth, locals and stack.
def digest(f: Frame) -> int:
    s = f.depth
    i = 0
    while i < len(f.locals):
        s = s * 31 + f.locals[i]
        i += 1
    i = 0
    while i < len(f.stack):
        s = s * 31 + f.stack[i]
        i += 1
    return s

# i = 0; acc = 0
# while i < n:
#     acc = acc + helper(i)
#     i = i + 1
# return acc
const HELPER_LOOP = Code(ops=[
    LOAD_FAST, 0, LOAD_FAST, 1, BINARY_LT, POP_JUMP_IF_FALSE, 24,
    LOAD_FAST, 2, LOAD_FAST, 0, CALL_HELPER, BINARY_ADD, STORE_FAST, 2,
    LOAD_FAST, 0, LOAD_CONST, 1, BINARY_ADD, STORE_FAST, 0,
    JUMP, 0,
    LOAD_FAST, 2, RETURN_VALUE], nlocals=3, stacksize=4)

# while i < n:
#     acc = acc + probe(frame)    (probe also bumps i, reading every local and the stack top)
#     i = i + 1
const PROBE_LOOP = Code(ops=[
    LOAD_FAST, 0, LOAD_FAST, 1, BINARY_LT, POP_JUMP_IF_FALSE, 22,
    LOAD_FAST, 2, CALL_PROBE, BINARY_ADD, STORE_FAST, 2,
    LOAD_FAST, 0, LOAD_CONST, 1, BINARY_ADD, STORE_FAST, 0,
    JUMP, 0,
    LOAD_FAST, 2, RETURN_VALUE], nlocals=3, stacksize=4)

# while i < n:
#     acc = acc + promote(i % 3)
#     i = i + 1
const PROMOTE_LOOP = Code(ops=[
    LOAD_FAST, 0, LOAD_FAST, 1, BINARY_LT, POP_JUMP_IF_FALSE, 27,
    LOAD_FAST, 2, LOAD_FAST, 0, LOAD_CONST, 3, BINARY_MOD, PROMOTE, BINARY_ADD, STORE_FAST, 2,
    LOAD_FAST, 0, LOAD_CONST, 1, BINARY_ADD, STORE_FAST, 0,
    JUMP, 0,
    LOAD_FAST, 2, RETURN_VALUE], nlocals=3, stacksize=4)

# while i < n:
#     acc = acc + locals[i % 3]
#     i = i + 1
const DYNAMIC_LOOP = Code(ops=[
    LOAD_FAST, 0, LOAD_FAST, 1, BINARY_LT, POP_JUMP_IF_FALSE, 27,
    LOAD_FAST, 2, LOAD_FAST, 0, LOAD_CONST, 3, BINARY_MOD, LOAD_LOCAL_AT, BINARY_ADD,
    STORE_FAST, 2,
    LOAD_FAST, 0, LOAD_CONST, 1, BINARY_ADD, STORE_FAST, 0,
    JUMP, 0,
    LOAD_FAST, 2, RETURN_VALUE], nlocals=3, stacksize=4)
