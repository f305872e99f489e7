lines = []
while True:
    try:
        lines.append(input())
    except EOFError:
        break
print(len(lines))
for l in lines:
    print(l[::-1])
