# error: str_bad_escape.rpy:3:13: error: escape '\ud800' is not a Unicode scalar value (0..=0x10FFFF, no surrogate)
def f() -> str:
    return "\ud800"
