class Managed:
    def __enter__(self):
        print("enter")
        return self
    def __exit__(self, t, v, tb):
        print("exit with", t.__name__ if t else None)
        return False
with Managed():
    print("inside")
    raise KeyError("inside with")
