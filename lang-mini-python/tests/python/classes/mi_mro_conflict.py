# An inconsistent method resolution order is an uncaught TypeError at the class statement.


class Animal:
    def speak(self):
        return "..."


class Dog(Animal):
    def speak(self):
        return "woof"


print(Dog().speak())


class Confused(Animal, Dog):
    pass


print("not reached")
