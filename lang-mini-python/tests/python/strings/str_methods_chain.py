raw = "  Hello, World!  "
print(raw.strip().lower().replace("world", "there").title())
print(raw.count("l"), raw.find("World"), raw.rstrip().endswith("!"))
csv = "name;age;city\nann;30;oslo\nbob;25;rome"
rows = [line.split(";") for line in csv.splitlines()]
header, body = rows[0], rows[1:]
for r in body:
    print(dict(zip(header, r)))
print("|".join(h.upper().center(6) for h in header))
print("a-b-c".split("-", 1), "a b".split(" "), "x".split("x"))
