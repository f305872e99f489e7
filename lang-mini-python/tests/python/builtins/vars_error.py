# vars() of an object without a __dict__: TypeError, uncaught.
class P:
    def __init__(self):
        self.v = 1


print(vars(P()))
for obj in [1, 'text', [1]]:
    try:
        vars(obj)
    except TypeError as e:
        print('TypeError:', e)
print(vars(3.5))
