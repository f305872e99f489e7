# A small stack-machine interpreter: dispatch on opcodes read from a string, with hints.
# run: run_program 0 => 42
# run: loop_sum 100 => 5050

const PUSH = 1
const ADD = 2
const MUL = 3
const HALT = 4

def interpret(code: frozen[int]) -> int:
    hint(code, deepfreeze=True)
    stack = array[int](16)
    sp = 0
    pc = 0
    while True:
        hint(None, global_merge_point=True)
        op = hint(code[pc], concrete=True)
        pc += 1
        if op == PUSH:
            stack[sp] = code[pc]
            sp += 1
            pc += 1
        elif op == ADD:
            sp -= 1
            stack[sp - 1] = stack[sp - 1] + stack[sp]
        elif op == MUL:
            sp -= 1
            stack[sp - 1] = stack[sp - 1] * stack[sp]
        else:
            break
    return stack[sp - 1]

const PROGRAM = [PUSH, 5, PUSH, 3, ADD, PUSH, 5, MUL, PUSH, 2, ADD, HALT]

def run_program(x: int) -> int:
    return interpret(PROGRAM)

def loop_sum(n: int) -> int:
    s = 0
    i = 0
    while True:
        if i > n:
            break
        s += i
        i += 1
        continue
    return s
