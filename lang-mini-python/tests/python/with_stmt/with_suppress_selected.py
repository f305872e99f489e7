class Suppress:
    def __init__(self, *kinds):
        self.kinds = kinds
        self.caught = []
    def __enter__(self):
        return self
    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and issubclass(exc_type, self.kinds):
            self.caught.append(type(exc).__name__ + ": " + str(exc))
            return True
        return False
s = Suppress(KeyError, IndexError)
for action in range(4):
    with s:
        if action == 0:
            {}["missing"]
        elif action == 1:
            [][0]
        elif action == 2:
            print("no error in action 2")
print(s.caught)
try:
    with s:
        int("oops")
except ValueError as e:
    print("not suppressed:", e)
