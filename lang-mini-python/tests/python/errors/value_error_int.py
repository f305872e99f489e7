data = ["12", "7", "x4", "9"]
total = 0
for item in data:
    total += int(item)
    print("running total", total)
