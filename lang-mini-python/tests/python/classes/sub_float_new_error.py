# An uncaught ValueError raised by float.__new__ called through super() in a float
# subclass's own __new__.


class Reading(float):
    def __new__(cls, text, unit):
        value = super().__new__(cls, text.strip())
        value.unit = unit
        return value


print(Reading(" 2.5 ", "V"), Reading("3", "A").unit)
print(Reading("hot", "C"))
