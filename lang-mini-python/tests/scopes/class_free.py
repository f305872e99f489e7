def make():
    x = 1
    y = 2
    class C:
        x = 3
        def get_x(self):
            return x
        def get_y(self):
            return y
        z = y
    return C
