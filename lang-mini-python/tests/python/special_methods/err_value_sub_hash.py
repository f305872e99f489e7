# an int subclass that defines __eq__ without __hash__ is unhashable
class Approx(int):
    def __eq__(self, other):
        return abs(int(self) - int(other)) <= 1

print(Approx(3) == 4, Approx(3) == 5)
seen = {Approx(3)}
