# A bytecode interpreter with boxed integers (the demo's), counting down from n: dispatch,
# allocation, isinstance tests and downcasts.

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

const PUSH = 1
const PICK = 2
const ADD = 3
const SUB = 4
const SWAP = 5
const POP = 6
const JUMP_IF = 7
const JUMP = 8
const RETURN = 9
const ARG = 10

def push(f: Frame, o: Obj):
    f.stack[f.sp] = o
    f.sp += 1

def pop(f: Frame) -> Obj:
    f.sp -= 1
    return f.stack[f.sp]

def int_of(o: Obj) -> int:
    if o isa IntObj:
        return (o as IntObj).value
    return 0

def interpret(code: frozen[int], arg: int) -> Obj:
    f = Frame(stack = array[Obj](32), sp = 0)
    pc = 0
    while pc < len(code):
        op = code[pc]
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

# sum = 0; while n != 0: sum += n; n -= 1.  Stack: [n, sum].
const COUNTDOWN = [ARG, PUSH, 0, PICK, 1, JUMP_IF, 9, RETURN, 0, PICK, 1, ADD,
                   SWAP, PUSH, 1, SUB, SWAP, JUMP, 3]

def bench(n: int) -> int:
    return int_of(interpret(COUNTDOWN, n))
