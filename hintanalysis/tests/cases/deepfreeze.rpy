# portal: f greens: code, pc
# Reads through a deepfrozen green pointer with a green index are green, and stay frozen.
def f(code: array[int], pc: int, x: int) -> int:
    code = hint(code, deepfreeze=True)
    op = code[pc]
    n = len(code)
    if op == 1:
        return x + n
    return x
