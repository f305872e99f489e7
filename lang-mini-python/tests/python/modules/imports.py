import math
import sys as system
from math import sqrt, pi
from random import seed, randint
import random as rnd
print(sqrt(25), pi == math.pi)
print(system.getrecursionlimit() > 0)
seed(3)
a = randint(1, 100)
rnd.seed(3)
print(a == rnd.randint(1, 100))
print(math.floor(pi))
