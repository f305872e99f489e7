class Temp:
    unit = "C"
    def __init__(self, deg):
        self.deg = deg
    @staticmethod
    def c_to_f(c):
        return c * 9 / 5 + 32
    @classmethod
    def from_f(cls, f):
        return cls((f - 32) * 5 / 9)
    @classmethod
    def unit_name(cls):
        return cls.__name__ + " in " + cls.unit
print(Temp.c_to_f(100), Temp(0).c_to_f(37))
t = Temp.from_f(212)
print(t.deg, type(t).__name__)
class Kelvin(Temp):
    unit = "K"
print(Kelvin.unit_name(), type(Kelvin.from_f(32)).__name__)
