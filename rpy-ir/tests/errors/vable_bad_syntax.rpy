# error: vable_bad_syntax.rpy:2:34: error: expected '*', found ']'
struct Frame virtualizable(stack[]):
    stack: array[int]
