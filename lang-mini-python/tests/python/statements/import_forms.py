import math
import sys
import random as r
from math import sqrt as root, floor
from sys import argv
print(root(49), floor(2.5), math.ceil(2.5))
print(type(argv).__name__, argv is sys.argv)
r.seed(1)
print(r.randint(1, 10))
