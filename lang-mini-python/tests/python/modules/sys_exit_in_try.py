import sys
try:
    sys.exit(4)
except SystemExit as e:
    print("caught SystemExit", e.code)
try:
    print("exit from finally")
    sys.exit(5)
finally:
    print("finally runs before exit")
