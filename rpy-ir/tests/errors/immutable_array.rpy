# error: immutable_array.rpy:3:6: error: cannot assign into an item of str: it is immutable
def f(s: str):
    s[0] = 'a'
