from __future__ import annotations
import math
import sys as system
from random import seed, randint as ri
print(math.sqrt(16), system.argv, ri(1, 1))
