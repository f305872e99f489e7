class Animal:
    def __init__(self, name):
        self.name = name
    def speak(self):
        return "..."
    def describe(self):
        return self.name + " says " + self.speak()
class Dog(Animal):
    def speak(self):
        return "Woof"
class Puppy(Dog):
    def __init__(self, name, age):
        super().__init__(name)
        self.age = age
    def speak(self):
        return super().speak() + " (squeaky)"
class Cat(Animal):
    def __init__(self, name):
        Animal.__init__(self, name.upper())
    def speak(self):
        return "Meow"
for a in [Animal("thing"), Dog("rex"), Puppy("bit", 1), Cat("tom")]:
    print(a.describe())
p = Puppy("x", 2)
print(isinstance(p, Dog), isinstance(p, Animal), isinstance(p, Cat))
print(issubclass(Puppy, Animal), issubclass(Animal, Dog), issubclass(Dog, object))
