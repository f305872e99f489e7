# portal: run greens: code
# A small interpreter: the dispatch loop with the global merge point, a concrete opcode,
# deep-frozen bytecode.
const INC = 1
const DOUBLE = 2

def run(code: frozen[int], acc: int) -> int:
    code = hint(code, deepfreeze=True)
    pc = 0
    while pc < len(code):
        hint(None, global_merge_point=True)
        op = hint(code[pc], concrete=True)
        pc += 1
        if op == INC:
            acc += 1
        elif op == DOUBLE:
            acc *= 2
    return acc
