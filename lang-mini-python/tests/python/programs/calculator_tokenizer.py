# A tokenizer and recursive-descent evaluator for arithmetic expressions.
class Token:
    def __init__(self, kind, value):
        self.kind = kind
        self.value = value
    def __repr__(self):
        return "Token(%s, %r)" % (self.kind, self.value)

class LexError(Exception):
    pass

def tokenize(text):
    tokens = []
    i = 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
        elif c.isdigit() or c == ".":
            start = i
            while i < len(text) and (text[i].isdigit() or text[i] == "."):
                i += 1
            s = text[start:i]
            tokens.append(Token("num", float(s) if "." in s else int(s)))
        elif c.isalpha():
            start = i
            while i < len(text) and text[i].isalpha():
                i += 1
            tokens.append(Token("name", text[start:i]))
        elif c in "+-*/()^%":
            tokens.append(Token("op", c))
            i += 1
        else:
            raise LexError("unexpected character %r at %d" % (c, i))
    tokens.append(Token("end", None))
    return tokens

class Parser:
    def __init__(self, tokens, env):
        self.tokens = tokens
        self.pos = 0
        self.env = env
    def peek(self):
        return self.tokens[self.pos]
    def take(self):
        t = self.tokens[self.pos]
        self.pos += 1
        return t
    def expr(self):
        value = self.term()
        while self.peek().kind == "op" and self.peek().value in "+-":
            op = self.take().value
            rhs = self.term()
            value = value + rhs if op == "+" else value - rhs
        return value
    def term(self):
        value = self.factor()
        while self.peek().kind == "op" and self.peek().value in "*/%":
            op = self.take().value
            rhs = self.factor()
            if op == "*":
                value *= rhs
            elif op == "/":
                value /= rhs
            else:
                value %= rhs
        return value
    def factor(self):
        base = self.unary()
        if self.peek().kind == "op" and self.peek().value == "^":
            self.take()
            return base ** self.factor()
        return base
    def unary(self):
        t = self.peek()
        if t.kind == "op" and t.value == "-":
            self.take()
            return -self.unary()
        return self.atom()
    def atom(self):
        t = self.take()
        if t.kind == "num":
            return t.value
        if t.kind == "name":
            if t.value not in self.env:
                raise NameError("unknown variable " + t.value)
            return self.env[t.value]
        if t.kind == "op" and t.value == "(":
            v = self.expr()
            closing = self.take()
            if closing.value != ")":
                raise SyntaxError("expected )")
            return v
        raise SyntaxError("unexpected " + repr(t))

env = {"x": 3, "pi": 3.14159, "big": 10 ** 20}
cases = ["1 + 2 * 3", "(1 + 2) * 3", "2 ^ 3 ^ 2", "-x ^ 2", "10 / 4", "7 % 3 + x",
         "big * big", "pi * x ^ 2", "1 / 0", "2 * y", "3 $ 4", "(1 + 2", "1.5 * 4"]
print(tokenize("x + 12*(3.5)"))
for src in cases:
    try:
        result = Parser(tokenize(src), env).expr()
        print(src.ljust(12) + " = " + str(result))
    except ZeroDivisionError as e:
        print(src.ljust(12) + " ! ZeroDivisionError: %s" % e)
    except (NameError, SyntaxError, LexError) as e:
        print(src.ljust(12) + " ! %s: %s" % (type(e).__name__, e))
