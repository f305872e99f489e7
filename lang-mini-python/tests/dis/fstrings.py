name = "world"
pi = 3.14159
n = 42
print(f"hello {name}!", f"{pi:.2f}", f"{n:5d}|{name:>8}|{name!r}", f"{{literal}}", f"{n:{n}}")
print("%d %s %r %.2f %x" % (n, name, name, pi, n), "%s" % name)
