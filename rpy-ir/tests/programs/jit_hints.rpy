# JIT hints: decorated functions and a quasi-immutable field run as ordinary code in every
# mode (the write hook is called after each store to the quasi-immutable field).
# run: main 5 => 75
# run: lookup 3 => 9

struct Config:
    name: str
    version: int quasi

struct Derived(Config):
    extra: int

const CONFIG = Config(name = "c", version = 1)

@elidable
def lookup(x: int) -> int:
    return x * x

@dont_look_inside
def bump(c: Config) -> int:
    c.version += 1
    return c.version

def main(n: int) -> int:
    d = Derived(name = "d", version = 10, extra = 0)
    total = 0
    i = 0
    while i < n:
        total += lookup(i) + CONFIG.version
        d.version = d.version + bump(CONFIG)
        i += 1
    return total + d.version
