# An uncaught error from str.translate: the mapping gives a value of the wrong type.

table = {ord("a"): "A", ord("b"): 2.5}
print("aaa".translate(table))
print("abc".translate(table))
