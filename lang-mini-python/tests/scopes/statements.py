import math
import sys as system
from random import randint, choice as pick

def work(path):
    total = 0
    for i, (p, q) in enumerate(path):
        total += p * q
    try:
        value = int(path)
    except ValueError as err:
        print(err)
    with open(path) as fh, ctx() as (m, n):
        data = fh
    del data
    while total > 0:
        total -= 1
    assert total == 0, "msg"
    return math.sqrt(total) + randint(1, 2) + pick([1]) + system.maxsize
