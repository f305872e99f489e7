def loop(xs):
    out = []
    for x in xs:
        try:
            if x < 0:
                continue
            if x > 10:
                break
            out.append(x)
        finally:
            out.append(-1)
    return out
