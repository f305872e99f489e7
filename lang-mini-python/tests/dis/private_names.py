class Foo:
    __slots__ = ()
    def __init__(self):
        self.__x = 1
        __y = 2
        def g(__z):
            return __y + __z
        return g
    def __secret(self, *, __k=1):
        global __gl
        __gl = self.__x
        return [__y for __y in range(__k)]
    class __Inner:
        def m(self):
            return self.__x

class _:
    def f(self):
        return self.__x
