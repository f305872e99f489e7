# A loop `PROMOTE, DEC, JUMP_IF_POS 0, HALT` (opcodes 1, 2, 3, other): `PROMOTE` adds a
# function of `x % 4`, promoted (four values at one site). The fallback tests of
# timeshift/tests/resume.rs (IR interpreter) and backend-llvm/tests/resume.rs (LLVM).
def run(code: array[int], x: int) -> int:
    code = hint(code, deepfreeze=True)
    acc = 0
    pc = 0
    while pc < len(code):
        hint(None, global_merge_point=True)
        op = hint(code[pc], concrete=True)
        pc += 1
        if op == 1:
            k = hint(x % 4, promote=True)
            acc += k * 3 + 1
        elif op == 2:
            x -= 1
        elif op == 3:
            if x > 0:
                pc = code[pc]
            else:
                pc += 1
        else:
            break
    return acc
