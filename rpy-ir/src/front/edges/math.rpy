# Math that raises (rpy-ir/src/front/edges.rs): CPython's math module over math_status.

def math_check(r: float, x: float, y: float) -> float:
    st = math_status(r, x, y)
    if st == 1:
        raise ValueError(message="math domain error")
    if st == 2:
        raise OverflowError(message="math range error")
    return r

def sqrt(x: float) -> float:
    return math_check(math_sqrt(x), x, x)

def exp(x: float) -> float:
    return math_check(math_exp(x), x, x)

def log_check(r: float, x: float) -> float:
    if math_status(r, x, x) != 0:
        raise ValueError(message="math domain error")
    return r

def log(x: float) -> float:
    return log_check(math_log(x), x)

def log10(x: float) -> float:
    return log_check(math_log10(x), x)

def pow(x: float, y: float) -> float:
    r = math_pow(x, y)
    if x == 0.0 and y < 0.0:
        raise ValueError(message="math domain error")
    return math_check(r, x, y)

def fmod(x: float, y: float) -> float:
    return math_check(math_fmod(x, y), x, y)

def hypot(x: float, y: float) -> float:
    return math_check(math_hypot(x, y), x, y)

def sin(x: float) -> float:
    return math_check(math_sin(x), x, x)

def cos(x: float) -> float:
    return math_check(math_cos(x), x, x)

def tan(x: float) -> float:
    return math_check(math_tan(x), x, x)
