# Methods: dispatch by class, overriding, the parent's version, methods calling methods,
# void methods, a function-pointer field called like a method, and a null receiver.
# run: total 0 => 300
# run: total 1 => 301
# run: one 0 => 1
# run: one 1 => 122
# run: one 2 => 53
# run: one 3 => 124
# run: one 4 => 7
# run: counter 5 => 15
# run: apply 4 => 9
# run: on_null 0 => error: null dereference
# run: static_call 3 => 12
# output: 12
# run: logs 3 => 3
# output: shape
# output: rect 6
# output: square
# output: rect 4
# run: bounds 1 => 22

struct Shape:
    name: int
    def area(self) -> int:
        return 0
    def describe(self, k: int) -> int:
        return self.area() * k + self.name

struct Rect(Shape):
    w: int
    h: int
    def area(self) -> int:
        return self.w * self.h

struct Square(Rect):
    def area(self) -> int:
        return Rect.area(self) + 1

struct Circle(Shape):
    r: int
    def area(self) -> int:
        return 3 * self.r * self.r

struct Dot(Circle):
    pass

struct Counter:
    n: int
    step: fn(int) -> int
    def bump(self):
        self.n = self.step(self.n)
    def get(self) -> int:
        return self.n

def make(k: int) -> Shape:
    if k == 1:
        return Rect(name=2, w=3, h=4)
    if k == 2:
        return Square(name=3, w=2, h=2)
    if k == 3:
        return Circle(name=4, r=2)
    if k == 4:
        return Dot(name=7, r=0)
    return Shape(name=1)

def one(k: int) -> int:
    return make(k).describe(10)

def total(extra: int) -> int:
    s = extra
    k = 0
    while k < 4:
        s += make(k).describe(10)
        k += 1
    return s

def add3(x: int) -> int:
    return x + 3

def counter(n: int) -> int:
    c = Counter(n=0, step=add3)
    i = 0
    while i < n:
        c.bump()
        i += 1
    return c.get()

def apply(x: int) -> int:
    c = Counter(n=x, step=add3)
    return c.step(x) + 2

def on_null(k: int) -> int:
    s: Shape = None
    return s.describe(k)

def static_call(k: int) -> int:
    r = Rect(name=0, w=k, h=4)
    a = Shape.describe(r, 1)
    print_int(a)
    print_newline()
    return a

struct Logger:
    n: int
    def log(self, s: Shape):
        print_str("shape")
        print_newline()
        self.n += 1

struct RectLogger(Logger):
    def log(self, s: Shape):
        if isinstance(s, Square):
            print_str("square")
            print_newline()
        if isinstance(s, Rect):
            r = s as Rect
            print_str("rect ")
            print_int(r.w * r.h)
            print_newline()
        self.n += 1

def logs(k: int) -> int:
    loggers: array[Logger] = [Logger(n=0), RectLogger(n=0), RectLogger(n=0)]
    shapes = [Shape(name=0), Rect(name=0, w=2, h=k), Square(name=0, w=2, h=2)]
    for i in range(3):
        loggers[i].log(shapes[i])
    count = 0
    for lg in loggers:
        count += lg.n
    return count

struct Box:
    lo: int
    hi: int
    def span(self) -> tuple[int, int]:
        return self.lo, self.hi

struct WideBox(Box):
    def span(self) -> tuple[int, int]:
        a, b = Box.span(self)
        return a - 10, b + 10

def bounds(k: int) -> int:
    b: Box = WideBox(lo=k, hi=k + 2)
    lo, hi = b.span()
    return hi - lo
