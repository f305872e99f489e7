def f():
    try:
        return "try"
    finally:
        print("finally runs")
print(f())
def g():
    try:
        return "try"
    finally:
        return "finally wins"
print(g())
for i in range(3):
    try:
        if i == 1:
            continue
        print("body", i)
    finally:
        print("cleanup", i)
for i in range(5):
    try:
        if i == 2:
            break
    finally:
        print("fin", i)
def h():
    for i in range(3):
        try:
            return i
        finally:
            print("h finally", i)
print(h())
