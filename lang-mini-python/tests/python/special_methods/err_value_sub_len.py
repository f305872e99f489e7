# __len__ of a str subclass must return an int
class Odd(str):
    def __len__(self):
        return 'long'

print(len(Odd('abc')))
