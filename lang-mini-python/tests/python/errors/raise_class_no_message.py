def fail():
    raise RuntimeError
fail()
