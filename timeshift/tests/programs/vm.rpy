# A small bytecode VM with a stack of immutable cells: the portal of the JIT's tests.
const PUSH_X = 1
const ADD = 2
const MUL = 3
const JUMP_IF_POS = 4
const DEC = 5
const HALT = 6
const DIV_X = 7

struct Cell immutable:
    value: int
    below: Cell

def run(code: array[int], x: int) -> int:
    code = hint(code, deepfreeze=True)
    stack: Cell = None
    acc = 0
    pc = 0
    while pc < len(code):
        hint(None, global_merge_point=True)
        op = hint(code[pc], concrete=True)
        pc += 1
        if op == PUSH_X:
            stack = Cell(value = x, below = stack)
        elif op == ADD:
            acc += stack.value
            stack = stack.below
        elif op == MUL:
            acc *= code[pc]
            pc += 1
        elif op == DEC:
            x -= 1
        elif op == DIV_X:
            acc = acc // x
        elif op == JUMP_IF_POS:
            if x > 0:
                pc = code[pc]
            else:
                pc += 1
        else:
            break
    return acc
