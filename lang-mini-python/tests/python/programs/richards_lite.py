# A task scheduler in the spirit of the Richards benchmark: tasks with priorities
# exchanging packets through a scheduler loop.
class Packet:
    def __init__(self, link, ident, kind):
        self.link = link
        self.ident = ident
        self.kind = kind
        self.datum = 0
class Task:
    def __init__(self, name, priority, scheduler):
        self.name = name
        self.priority = priority
        self.scheduler = scheduler
        self.queue = []
        self.runs = 0
    def ready(self):
        return len(self.queue) > 0
    def run(self):
        raise NotImplementedError
class Worker(Task):
    def run(self):
        p = self.queue.pop(0)
        p.datum += self.priority
        self.runs += 1
        target = "printer" if p.datum % 3 == 0 else "counter"
        self.scheduler.send(target, p)
class Counter(Task):
    def __init__(self, name, priority, scheduler):
        super().__init__(name, priority, scheduler)
        self.total = 0
    def run(self):
        p = self.queue.pop(0)
        self.total += p.datum
        self.runs += 1
        if p.datum < 50:
            self.scheduler.send("worker", p)
class Printer(Task):
    def __init__(self, name, priority, scheduler):
        super().__init__(name, priority, scheduler)
        self.lines = []
    def run(self):
        p = self.queue.pop(0)
        self.runs += 1
        self.lines.append("packet %d datum %d" % (p.ident, p.datum))
class Scheduler:
    def __init__(self):
        self.tasks = {}
        self.switches = 0
    def add(self, task):
        self.tasks[task.name] = task
    def send(self, name, packet):
        self.tasks[name].queue.append(packet)
    def schedule(self):
        while True:
            ready = [t for t in self.tasks.values() if t.ready()]
            if not ready:
                return
            ready.sort(key=lambda t: -t.priority)
            ready[0].run()
            self.switches += 1
s = Scheduler()
s.add(Worker("worker", 3, s))
s.add(Counter("counter", 2, s))
s.add(Printer("printer", 1, s))
for i in range(12):
    s.send("worker", Packet(None, i, "work"))
s.schedule()
print("switches", s.switches)
for name in ["worker", "counter", "printer"]:
    print(name, s.tasks[name].runs)
print("total", s.tasks["counter"].total)
for line in s.tasks["printer"].lines:
    print(line)
