def safe_div(a, b):
    try:
        r = a / b
    except ZeroDivisionError as e:
        print("error", e)
        return None
    except (TypeError, ValueError):
        raise
    else:
        return r
    finally:
        print("done")
