class Temperature:
    def __init__(self, c):
        self._c = c
    @property
    def kelvin(self):
        if self._c < -273.15:
            raise ValueError("below absolute zero")
        return self._c + 273.15
print(Temperature(20).kelvin)
print(Temperature(-300).kelvin)
