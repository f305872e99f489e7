def level3():
    raise IndexError("deep")
def level2():
    try:
        level3()
    except KeyError:
        print("not here")
def level1():
    try:
        level2()
    except IndexError as e:
        print("level1 caught", e)
        return "recovered"
    finally:
        print("level1 finally")
print(level1())
try:
    try:
        raise ValueError("a")
    finally:
        print("inner finally")
except ValueError as e:
    print("outer", e)
