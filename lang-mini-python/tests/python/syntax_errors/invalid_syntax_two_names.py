print("a")
foo bar
