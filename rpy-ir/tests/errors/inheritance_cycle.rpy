# error: inheritance_cycle.rpy:2:1: error: inheritance cycle through 'A'
struct A(B):
    pass
struct B(A):
    pass
