# Float arithmetic and conversions.
# run: newton 2 => 1414213
# run: mixed 7 => 3

def sqrt(x: float) -> float:
    guess = x / 2.0
    i = 0
    while i < 30:
        guess = (guess + x / guess) / 2.0
        i += 1
    return guess

def newton(n: int) -> int:
    return int(sqrt(float(n)) * 1000000.0)

def mixed(n: int) -> int:
    f = float(n) / 2.0
    return int(f)
