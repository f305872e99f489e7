# a name a class's __dict__ does not hold (inherited names are not its own)
class Base:
    shared = 1

class Derived(Base):
    own = 2

print(vars(Derived)['own'])
print(vars(Derived)['shared'])
