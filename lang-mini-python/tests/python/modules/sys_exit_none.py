import sys
print("exiting")
sys.exit()
