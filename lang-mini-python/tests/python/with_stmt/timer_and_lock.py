log = []
class Lock:
    def __init__(self):
        self.held = False
    def __enter__(self):
        assert not self.held
        self.held = True
        log.append("acquire")
    def __exit__(self, t, v, tb):
        self.held = False
        log.append("release")
lock = Lock()
def critical(n):
    with lock:
        if n < 0:
            raise ValueError(n)
        return n * 2
print(critical(4))
try:
    critical(-1)
except ValueError as e:
    print("error", e)
print(lock.held, log)
