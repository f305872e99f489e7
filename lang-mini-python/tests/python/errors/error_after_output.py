for i in range(5):
    print("line", i)
print("last line without newline", end="")
raise Exception("stopped after output")
