# Exceptions: raise, try/except/else/finally, re-raise, user subclasses, propagation
# through several calls, loops with break/continue inside try/finally, uncaught ones.
# run: catch_simple 5 => 5
# run: catch_simple -1 => -100
# run: nested 0 => 1111
# run: nested 1 => 1112
# run: nested 2 => 3010
# run: reraise 3 => 30
# run: deep 0 => 0
# run: deep 7 => -7
# run: user_fields 4 => 47
# run: loops 10 => 8325
# run: tuple_handler 0 => 1
# run: tuple_handler 1 => 2
# run: tuple_handler 2 => 3
# run: finally_return 0 => 10
# output: finally 0
# run: finally_return 1 => -1
# output: finally 1
# run: uncaught 3 => error: ValueError: bad value 3
# run: uncaught_user 1 => error: AppError: custom
# run: uncaught_empty 1 => error: KeyError
# run: through_pointer 4 => 40
# run: through_pointer -4 => -400
# run: raise_null 0 => error: null dereference
# run: no_raise 6 => 12

struct AppError(ValueError):
    code: int

struct Holder:
    err: Exception

def check(x: int) -> int:
    if x < 0:
        raise ValueError(message="negative")
    return x

def catch_simple(x: int) -> int:
    try:
        return check(x)
    except ValueError:
        return -100

def stage(n: int) -> int:
    if n == 1:
        raise KeyError(message="one")
    if n == 2:
        raise IndexError(message="two")
    return n

def nested(n: int) -> int:
    r = 0
    try:
        try:
            stage(n)
            r += 1
        except KeyError:
            r += 2
        finally:
            r += 10
        r += 100
    except IndexError as e:
        r += 3000
    else:
        r += 1000
    finally:
        r += 0
    return r

def inner(x: int) -> int:
    try:
        return check(x)
    except ValueError as e:
        raise

def reraise(x: int) -> int:
    try:
        return inner(0 - x)
    except Exception as e:
        if e isa ValueError:
            return 10 * x
        return 0

def level3(x: int) -> int:
    if x > 0:
        raise AppError(message="deep", code=x)
    return 0

def level2(x: int) -> int:
    return level3(x) + 1

def level1(x: int) -> int:
    return level2(x) + 1

def deep(x: int) -> int:
    try:
        return level1(x) - 2
    except AppError as e:
        return 0 - e.code

def user_fields(x: int) -> int:
    try:
        raise AppError(message="m", code=x)
    except ValueError as e:
        a = e as AppError
        return a.code * 10 + 7

def loops(n: int) -> int:
    total = 0
    i = 0
    while i < n:
        i += 1
        try:
            if i == 3:
                continue
            if i == 8:
                break
            total += i
            if i % 2 == 0:
                raise ValueError(message="even")
        except ValueError:
            total += 100
        finally:
            total += 1000
    return total * 1 + 0 * i

def pick(n: int) -> Exception:
    if n == 0:
        return KeyError(message="k")
    if n == 1:
        return IndexError(message="i")
    return TypeError(message="t")

def tuple_handler(n: int) -> int:
    try:
        raise pick(n)
    except (KeyError, IndexError) as e:
        if e isa KeyError:
            return 1
        return 2
    except:
        return 3

def finally_return(n: int) -> int:
    try:
        if n == 1:
            raise RuntimeError(message="r")
        return 10
    except RuntimeError:
        return -1
    finally:
        print_str("finally " + int_to_str(n))
        print_newline()

def uncaught(x: int) -> int:
    raise ValueError(message="bad value " + int_to_str(x))

def uncaught_user(x: int) -> int:
    if x > 0:
        raise AppError(message="custom", code=x)
    return x

def uncaught_empty(x: int) -> int:
    raise KeyError()

def scale(x: int) -> int:
    if x < 0:
        raise ValueError(message="neg")
    return x * 10

def through_pointer(x: int) -> int:
    f: fn(int) -> int = scale
    try:
        return f(x)
    except ValueError:
        return x * 100

def raise_null(x: int) -> int:
    h = Holder()
    raise h.err

def twice(x: int) -> int:
    return x * 2

def no_raise(x: int) -> int:
    return twice(x)
