import sys
def shutdown(code):
    try:
        print("shutting down with", code)
        sys.exit(code)
    finally:
        print("finally runs before exit")
try:
    print("try body")
except ValueError:
    print("never")
shutdown(5)
print("not reached")
