def validate(fn):
    def wrapper(x):
        if x < 0:
            raise ValueError("negative input")
        return fn(x)
    return wrapper
@validate
def root(x):
    return x ** 0.5
print(root(9))
print(root(-1))
