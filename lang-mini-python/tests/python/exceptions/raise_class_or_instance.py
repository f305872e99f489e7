for thing in [ValueError, ValueError("with message"), KeyError, IndexError(3)]:
    try:
        raise thing
    except Exception as e:
        print(type(e).__name__, repr(str(e)), e.args)
try:
    raise 5
except TypeError as e:
    print("TypeError:", e)
