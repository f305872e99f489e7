# popitem on an empty OrderedDict: KeyError('dictionary is empty'), uncaught.
from collections import OrderedDict

queue = OrderedDict((name, len(name)) for name in ['ab', 'cde', 'f'])
while True:
    print(queue.popitem(last=False))
