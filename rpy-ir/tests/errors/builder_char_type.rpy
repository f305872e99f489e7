# error: builder_char_type.rpy:4:28: error: argument 2 of 'builder_append_char' has type char, found str
def f(x: int) -> str:
    b = new_builder()
    builder_append_char(b, "ab")
    return builder_build(b)
