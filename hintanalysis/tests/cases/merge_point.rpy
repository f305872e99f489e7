# portal: run greens: code
# A small interpreter: the bytecode is green and deepfrozen, the pc green by the concrete
# opcode, the accumulator red.
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
