# Renders nested lists/dicts/scalars as indented JSON-like text and parses it back.
def render(v, indent=0):
    pad = "  " * indent
    if isinstance(v, dict):
        if not v:
            return "{}"
        items = []
        for k, x in v.items():
            items.append(pad + "  " + '"' + k + '": ' + render(x, indent + 1))
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(v, list):
        if not v:
            return "[]"
        return "[" + ", ".join(render(x, indent) for x in v) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, str):
        return '"' + v.replace('"', '\\"') + '"'
    return repr(v)

class Reader:
    def __init__(self, text):
        self.s = text
        self.i = 0
    def skip(self):
        while self.i < len(self.s) and self.s[self.i] in " \n,":
            self.i += 1
    def value(self):
        self.skip()
        c = self.s[self.i]
        if c == "{":
            self.i += 1
            out = {}
            while True:
                self.skip()
                if self.s[self.i] == "}":
                    self.i += 1
                    return out
                key = self.value()
                self.skip()
                assert self.s[self.i] == ":", "expected colon at %d" % self.i
                self.i += 1
                out[key] = self.value()
        if c == "[":
            self.i += 1
            out = []
            while True:
                self.skip()
                if self.s[self.i] == "]":
                    self.i += 1
                    return out
                out.append(self.value())
        if c == '"':
            j = self.i + 1
            buf = ""
            while self.s[j] != '"':
                if self.s[j] == "\\":
                    j += 1
                buf += self.s[j]
                j += 1
            self.i = j + 1
            return buf
        j = self.i
        while j < len(self.s) and self.s[j] not in ",]} \n":
            j += 1
        word = self.s[self.i:j]
        self.i = j
        if word == "true":
            return True
        if word == "false":
            return False
        if word == "null":
            return None
        return float(word) if "." in word or "e" in word else int(word)

doc = {"name": "mini \"py\"", "version": 3.11, "tags": ["jit", "rpy"], "deps": {},
       "ok": True, "none": None, "nested": {"list": [1, [2, 3], {"x": -4.5}], "big": 2 ** 70}}
text = render(doc)
print(text)
back = Reader(text).value()
print(back == doc)
print(back["nested"]["list"][2]["x"], back["nested"]["big"])
try:
    Reader('{"a" 1}').value()
except AssertionError as e:
    print("AssertionError:", e)
