# The stack VM of vm.rpy with boxed values, as a Python interpreter has them: the frame's
# locals and stack hold objects (IntObj), every operation makes a new box. The JIT keeps the
# frame in registers and the boxes virtual: a counting loop allocates nothing.
const LOAD_FAST = 1
const STORE_FAST = 2
const LOAD_CONST = 3
const BINARY_ADD = 4
const POP_JUMP_IF_NOT_LT = 5
const JUMP = 6
const CALL_HELPER = 7
const RETURN_VALUE = 8

struct Obj:
    pass

struct IntObj(Obj) immutable:
    value: int

struct Code immutable:
    ops: frozen[int]
    nlocals: int
    stacksize: int

struct Frame virtualizable(depth, locals[*], stack[*]):
    locals: array[Obj]
    stack: array[Obj]
    depth: int

def new_frame(code: Code, n: int) -> Frame:
    f = Frame(locals=array[Obj](code.nlocals), stack=array[Obj](code.stacksize), depth=0)
    i = 0
    while i < code.nlocals:
        f.locals[i] = IntObj(value=0)
        i += 1
    f.locals[1] = IntObj(value=n)
    return f

def int_of(o: Obj) -> int:
    hint(o, promote_class=True)
    return (o as IntObj).value

def helper(x: int) -> int:
    if x < 7:
        return x
    return x % 7 + helper(x // 7)

def run(code: Code, f: Frame) -> int:
    code = hint(code, deepfreeze=True)
    ops = code.ops
    pc = 0
    sp = 0
    while True:
        hint(None, global_merge_point=True)
        op = hint(ops[pc], concrete=True)
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
            f.stack[sp] = IntObj(value=ops[pc])
            sp += 1
            f.depth = sp
            pc += 1
        elif op == BINARY_ADD:
            sp -= 1
            f.stack[sp - 1] = IntObj(value=int_of(f.stack[sp - 1]) + int_of(f.stack[sp]))
            f.depth = sp
        elif op == POP_JUMP_IF_NOT_LT:
            sp -= 2
            f.depth = sp
            if int_of(f.stack[sp]) < int_of(f.stack[sp + 1]):
                pc += 1
            else:
                pc = ops[pc]
        elif op == JUMP:
            pc = ops[pc]
        elif op == CALL_HELPER:
            f.stack[sp - 1] = IntObj(value=helper(int_of(f.stack[sp - 1])))
        else:
            sp -= 1
            f.depth = sp
            return int_of(f.stack[sp])

def digest(f: Frame) -> int:
    s = f.depth
    i = 0
    while i < len(f.locals):
        s = s * 31 + int_of(f.locals[i])
        i += 1
    return s

# i = 0; acc = 0
# while i < n:
#     acc = acc + helper(i)
#     i = i + 1
# return acc
const HELPER_LOOP = Code(ops=[
    LOAD_FAST, 0, LOAD_FAST, 1, POP_JUMP_IF_NOT_LT, 23,
    LOAD_FAST, 2, LOAD_FAST, 0, CALL_HELPER, BINARY_ADD, STORE_FAST, 2,
    LOAD_FAST, 0, LOAD_CONST, 1, BINARY_ADD, STORE_FAST, 0,
    JUMP, 0,
    LOAD_FAST, 2, RETURN_VALUE], nlocals=3, stacksize=4)
