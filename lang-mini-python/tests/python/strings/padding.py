for w in ["a", "abc", "abcdef"]:
    print("[" + w.ljust(5) + "]", "[" + w.rjust(5) + "]", "[" + w.center(5) + "]")
print("x".center(6, "*"), "7".rjust(3, "0"), "ab".ljust(4, "."))
print("42".zfill(5), "-42".zfill(6), "abc".zfill(2))
print("hello world of python".title())
