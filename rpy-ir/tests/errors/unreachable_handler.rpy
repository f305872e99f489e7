# error: unreachable_handler.rpy:11:12: error: this handler is unreachable: 'SubError' is caught by the handler for 'ValueError' above
struct SubError(ValueError):
    pass

def f(x: int) -> int:
    try:
        if x > 0:
            raise SubError(message="s")
    except (KeyError, ValueError):
        return 1
    except SubError:
        return 2
    return 0
