pairs = [(ZeroDivisionError, ArithmeticError), (OverflowError, ArithmeticError),
         (IndexError, LookupError), (KeyError, LookupError), (RecursionError, RuntimeError),
         (NotImplementedError, RuntimeError), (UnboundLocalError, NameError),
         (Exception, BaseException), (KeyboardInterrupt, Exception), (StopIteration, Exception),
         (AssertionError, Exception), (TypeError, ValueError)]
for sub, sup in pairs:
    print(sub.__name__, sup.__name__, issubclass(sub, sup))
try:
    {}[0]
except LookupError as e:
    print("caught as LookupError:", type(e).__name__)
try:
    1 / 0
except ArithmeticError as e:
    print("caught as ArithmeticError:", type(e).__name__)
