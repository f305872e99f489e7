for s in ["123", "abc", "a1", "", "   ", " \t", "ABC", "\u00e9t\u00e9", "12.5"]:
    print(repr(s), s.isdigit(), s.isalpha(), s.isspace())
