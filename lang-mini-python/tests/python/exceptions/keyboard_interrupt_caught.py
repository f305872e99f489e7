try:
    raise KeyboardInterrupt
except Exception:
    print("not an Exception")
except BaseException as e:
    print("BaseException caught:", type(e).__name__)
try:
    raise KeyboardInterrupt("stop")
except KeyboardInterrupt as e:
    print("KeyboardInterrupt", e)
