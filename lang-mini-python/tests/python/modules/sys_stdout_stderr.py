import sys
sys.stdout.write("written ")
sys.stdout.write("directly\n")
n = sys.stdout.write("abc\n")
print(n)
print("to stderr", file=sys.stderr)
print("to stdout", file=sys.stdout)
print("err", 1, 2, sep="-", file=sys.stderr)
print("done")
