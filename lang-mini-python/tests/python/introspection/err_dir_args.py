# dir() takes at most one argument
class Empty:
    pass

names = dir(Empty)
print(len(names), names[0], names[-1])
print(dir(Empty, Empty()))
