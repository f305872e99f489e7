s = "xxhello worldxx"
print(s.strip("x"), s.lstrip("x"), s.rstrip("x"))
print("  pad  ".strip() + "|", "  pad  ".lstrip() + "|", "  pad  ".rstrip() + "|")
print("aaa".replace("a", "bb"))
print("one two one".replace("one", "1"))
print("one two one".replace("one", "1", 1))
print("abc".replace("", "-"))
print("\t\n x \n".strip())
