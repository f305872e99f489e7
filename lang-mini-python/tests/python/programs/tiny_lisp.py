# A tiny Lisp: tokenizer, reader, environment chain, and evaluator with closures.
def tokenize(src):
    return src.replace("(", " ( ").replace(")", " ) ").split()

def read(tokens):
    if not tokens:
        raise SyntaxError("unexpected EOF")
    tok = tokens.pop(0)
    if tok == "(":
        lst = []
        while tokens[0] != ")":
            lst.append(read(tokens))
        tokens.pop(0)
        return lst
    if tok == ")":
        raise SyntaxError("unexpected )")
    try:
        return int(tok)
    except ValueError:
        try:
            return float(tok)
        except ValueError:
            return tok

class Env:
    def __init__(self, names=(), values=(), outer=None):
        self.vars = dict(zip(names, values))
        self.outer = outer
    def find(self, name):
        env = self
        while env is not None:
            if name in env.vars:
                return env
            env = env.outer
        raise NameError("unbound symbol: " + name)

class Lambda:
    def __init__(self, params, body, env):
        self.params, self.body, self.env = params, body, env
    def __call__(self, *args):
        return evaluate(self.body, Env(self.params, args, self.env))

def standard_env():
    env = Env()
    env.vars.update({
        "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
        "/": lambda a, b: a / b, "<": lambda a, b: a < b, "=": lambda a, b: a == b,
        "list": lambda *xs: list(xs), "car": lambda xs: xs[0], "cdr": lambda xs: xs[1:],
        "null?": lambda xs: xs == [],
    })
    return env

def evaluate(x, env):
    while True:
        if isinstance(x, str):
            return env.find(x).vars[x]
        if not isinstance(x, list):
            return x
        op = x[0]
        if op == "quote":
            return x[1]
        if op == "if":
            x = x[2] if evaluate(x[1], env) else x[3]
            continue
        if op == "define":
            env.vars[x[1]] = evaluate(x[2], env)
            return None
        if op == "lambda":
            return Lambda(x[1], x[2], env)
        if op == "begin":
            for e in x[1:-1]:
                evaluate(e, env)
            x = x[-1]
            continue
        f = evaluate(op, env)
        args = [evaluate(a, env) for a in x[1:]]
        return f(*args)

def to_str(v):
    if isinstance(v, list):
        return "(" + " ".join(to_str(e) for e in v) + ")"
    if v is True:
        return "#t"
    if v is False:
        return "#f"
    return str(v)

env = standard_env()
program = [
    "(define fact (lambda (n) (if (< n 2) 1 (* n (fact (- n 1))))))",
    "(fact 10)",
    "(fact 30)",
    "(define len (lambda (xs) (if (null? xs) 0 (+ 1 (len (cdr xs))))))",
    "(len (list 1 2 3 4))",
    "(define make-adder (lambda (n) (lambda (x) (+ x n))))",
    "((make-adder 5) 37)",
    "(quote (a b (c d)))",
    "(begin (define x 3) (* x x))",
    "(/ 7 2)",
    "(= 1 1)",
    "(undefined 1)",
    "(+ 1",
]
for line in program:
    try:
        result = evaluate(read(tokenize(line)), env)
        if result is not None:
            print(line, "=>", to_str(result))
    except (NameError, SyntaxError, IndexError) as e:
        print(line, "!!", type(e).__name__, e)
