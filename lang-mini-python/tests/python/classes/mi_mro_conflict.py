# An inconsistent method resolution order is a TypeError at the class statement (its
# message spans two lines, as CPython 3.11 words it); here it ends the program uncaught as
# the cause of another error.


class Animal:
    def speak(self):
        return "..."


class Dog(Animal):
    def speak(self):
        return "woof"


print(Dog().speak())


def make_confused():
    class Confused(Animal, Dog):
        pass
    return Confused


try:
    make_confused()
except TypeError as e:
    raise RuntimeError("cannot build the hierarchy") from e
print("not reached")
