class Animal(object):
    legs = 4
    def __init__(self, name):
        self.name = name
    def speak(self):
        return "..."
    def __repr__(self):
        return "Animal(%r)" % self.name

class Dog(Animal):
    def speak(self):
        return super().speak() + " woof " + Animal.speak(self)
    @property
    def shout(self):
        return self.speak().upper()

d = Dog("rex")
print(d.speak(), d.legs, d.shout)
