def attempt(x):
    try:
        r = 10 // x
    except ZeroDivisionError:
        print("zero!")
        r = None
    else:
        print("ok", r)
    finally:
        print("finally", x)
    return r
print(attempt(2))
print(attempt(0))
