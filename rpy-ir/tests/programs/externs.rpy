# Externs: printing and formatting.
# run: show 42 => 0
# output: 42
# output: 2.5
# output: x=42
# run: fmt_float 0 => "0.1"

def show(n: int) -> int:
    print_int(n)
    print_newline()
    print_float(2.5)
    print_newline()
    print_str("x=" + int_to_str(n))
    print_newline()
    return 0

def fmt_float(x: int) -> str:
    return float_to_str(0.1)
