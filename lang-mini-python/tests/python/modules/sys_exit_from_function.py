import sys
def main(args):
    if len(args) < 5:
        sys.exit(2)
    return 0
print("checking")
main(sys.argv)
