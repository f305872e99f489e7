# error: bad_indent.rpy:4:3: error: unindent does not match any outer indentation level
def f(x: int) -> int:
    if x > 0:
  return x
    return 0
