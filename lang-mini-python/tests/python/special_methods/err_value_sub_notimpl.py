# an operator of a subclass returning NotImplemented leaves no answer
class Strict(int):
    def __sub__(self, other):
        if type(other) is not int:
            return NotImplemented
        return Strict(int(self) - other)

print(Strict(5) - 2)
print(Strict(5) - Strict(2))
