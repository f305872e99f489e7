# A small stack-based bytecode interpreter written in RPy, in the style the JIT generator
# targets: boxed values with a class hierarchy, a dispatch loop with JIT hints (no-ops in the
# IR interpreter), and a bytecode program computing fibonacci numbers iteratively.
#
#   cargo run -p rpy-ir -- run rpy-ir/examples/demo.rpy main 25

struct Obj:
    pass

struct IntObj(Obj) immutable:
    value: int

struct NilObj(Obj) immutable:
    pass

const NIL = NilObj()

struct Frame:
    stack: array[Obj]
    sp: int

const PUSH = 1       # PUSH k: push the int k (next byte)
const PICK = 2       # PICK i: push a copy of the i-th value from the top
const ADD = 3
const SUB = 4
const SWAP = 5
const POP = 6
const JUMP_IF = 7    # JUMP_IF t: pop; if non-zero, jump to t
const JUMP = 8
const RETURN = 9
const ARG = 10       # push the argument

def push(f: Frame, o: Obj):
    f.stack[f.sp] = o
    f.sp += 1

def pop(f: Frame) -> Obj:
    f.sp -= 1
    return f.stack[f.sp]

def int_of(o: Obj) -> int:
    hint(o, promote_class=True)
    if o isa IntObj:
        return (o as IntObj).value
    return 0

def interpret(code: frozen[int], arg: int) -> Obj:
    hint(code, deepfreeze=True)
    f = Frame(stack = array[Obj](32), sp = 0)
    pc = 0
    while pc < len(code):
        hint(None, global_merge_point=True)
        op = hint(code[pc], concrete=True)
        pc += 1
        if op == PUSH:
            push(f, IntObj(value = code[pc]))
            pc += 1
        elif op == ARG:
            push(f, IntObj(value = arg))
        elif op == PICK:
            push(f, f.stack[f.sp - 1 - code[pc]])
            pc += 1
        elif op == ADD or op == SUB:
            b = int_of(pop(f))
            a = int_of(pop(f))
            push(f, IntObj(value = a + b if op == ADD else a - b))
        elif op == SWAP:
            top = pop(f)
            below = pop(f)
            push(f, top)
            push(f, below)
        elif op == POP:
            pop(f)
        elif op == JUMP_IF:
            if int_of(pop(f)) != 0:
                pc = code[pc]
            else:
                pc += 1
        elif op == JUMP:
            pc = code[pc]
        elif op == RETURN:
            return pop(f)
        else:
            return NIL
    return NIL

def fib_native(n: int) -> int:
    a = 0
    b = 1
    while n > 0:
        t = a + b
        a = b
        b = t
        n -= 1
    return a

def main(n: int) -> int:
    print_str("fib(" + int_to_str(n) + ") = " + int_to_str(fib_native(n)))
    print_newline()
    r = interpret(COUNTDOWN, n)
    print_str("countdown interpreter: sum 1.." + int_to_str(n) + " = " + int_to_str(int_of(r)))
    print_newline()
    return int_of(r)

# sum = 0; while n != 0: sum += n; n -= 1.  Stack: [n, sum].
const COUNTDOWN = [ARG, PUSH, 0,            # 0: [n, sum]
                   PICK, 1, JUMP_IF, 9,     # 3: if n != 0 goto 9
                   RETURN, 0,               # 7: return sum
                   PICK, 1, ADD,            # 9: [n, sum + n]
                   SWAP, PUSH, 1, SUB,      # 12: [sum', n - 1]
                   SWAP, JUMP, 3]           # 16: [n - 1, sum']
