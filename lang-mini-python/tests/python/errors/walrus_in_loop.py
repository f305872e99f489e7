def parse(tokens):
    while (tok := tokens.pop()) != "end":
        print("token", tok, (size := len(tok)), size // (size - 3))

parse(["end", "abc", "xy"])
