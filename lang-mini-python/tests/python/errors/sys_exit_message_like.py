import sys
def main(args):
    if len(args) < 5:
        raise SystemExit(2)
    return 0
print("checking")
main(sys.argv)
