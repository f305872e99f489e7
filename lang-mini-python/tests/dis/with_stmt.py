class Ctx:
    def __enter__(self):
        return self
    def __exit__(self, t, v, tb):
        return True

def use():
    with Ctx() as c, Ctx():
        return c
