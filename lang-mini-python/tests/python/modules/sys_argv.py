import sys
print(len(sys.argv))
print(sys.argv[1:])
for a in sys.argv[1:]:
    print(a.upper())
print(sys.argv[0].endswith("sys_argv.py"))
