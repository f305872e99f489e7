lines = []
while True:
    line = input()
    if line == "END":
        break
    lines.append(line)
print(len(lines))
for l in lines:
    print(l[::-1], len(l))
