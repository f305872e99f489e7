# The builtin exception classes beyond the common ones: OSError and its family (aliases
# IOError, EnvironmentError), warnings, and the rest of the hierarchy.
for cls in [FileNotFoundError, PermissionError, TimeoutError, BrokenPipeError,
            ConnectionResetError, IsADirectoryError]:
    print(cls.__name__, issubclass(cls, OSError), issubclass(cls, Exception))
print(IOError is OSError, EnvironmentError is OSError, issubclass(ConnectionError, OSError))
print(issubclass(UserWarning, Warning), issubclass(DeprecationWarning, Warning),
      issubclass(Warning, Exception), issubclass(FloatingPointError, ArithmeticError),
      issubclass(UnicodeError, ValueError), issubclass(TabError, IndentationError),
      issubclass(IndentationError, SyntaxError), issubclass(MemoryError, Exception))


def load(name):
    if not name.endswith('.cfg'):
        raise PermissionError('not a config: ' + name)
    raise FileNotFoundError(name)


for name in ['a.cfg', 'b.txt']:
    try:
        load(name)
    except FileNotFoundError as e:
        print('missing', e, repr(e), e.errno, e.strerror, e.filename)
    except OSError as e:
        print('os error', type(e).__name__, e)


class ConfigWarning(UserWarning):
    pass


try:
    raise ConfigWarning('odd value')
except Warning as w:
    print(type(w).__name__, w, isinstance(w, UserWarning))
try:
    raise MemoryError()
except MemoryError as e:
    print('MemoryError', repr(e))
print(isinstance(1, complex), isinstance('s', bytes), isinstance([], bytearray))
load('settings.cfg')
