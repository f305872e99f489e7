import sys
def main():
    print("working")
    return 3
sys.exit(main())
