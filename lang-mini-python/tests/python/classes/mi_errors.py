# Multiple inheritance errors, caught: duplicate bases, layout conflicts, inconsistent
# orders, super() with an unrelated object.


class A:
    pass


class B(A):
    pass


class X:
    pass


class Y:
    pass


class P(X, Y):
    pass


class Q(Y, X):
    pass


def attempt(label, make):
    try:
        make()
        print(label, "ok")
    except TypeError as e:
        print(label, "TypeError:", e)


def dup():
    class C(A, A):
        pass


def order():
    class C(A, B):
        pass


def crossed():
    class C(P, Q):
        pass


def obj_first():
    class C(object, A):
        pass


def layout():
    class C(list, dict):
        pass


def layout2():
    class C(int, str):
        pass


def fine():
    class C(B, A):
        pass
    print([k.__name__ for k in C.__mro__])


def exc_ok():
    class C(ValueError, KeyError):
        pass
    print([k.__name__ for k in C.__mro__])


attempt("dup", dup)
attempt("order", order)
attempt("crossed", crossed)
attempt("obj_first", obj_first)
attempt("layout", layout)
attempt("layout2", layout2)
attempt("fine", fine)
attempt("exc_ok", exc_ok)
try:
    super(A, 3)
except TypeError as e:
    print(e)
try:
    super(P, Q())
except TypeError as e:
    print(e)
