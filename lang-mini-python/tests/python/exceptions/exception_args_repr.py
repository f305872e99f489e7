e = ValueError("bad", 42)
print(e.args, str(e), repr(e))
print(repr(KeyError("k")), str(KeyError("k")), str(KeyError()))
print(repr(Exception()), str(Exception("x")))
class MyErr(Exception):
    pass
print(repr(MyErr("m")), str(MyErr(1, 2)))
print(isinstance(e, Exception), isinstance(e, BaseException))
