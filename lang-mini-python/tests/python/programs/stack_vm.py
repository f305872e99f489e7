# A small stack machine: assemble text, run it, report.
PROGRAM = """
    push 10
    store n
    push 1
    store acc
loop:
    load n
    jz end
    load acc
    load n
    mul
    store acc
    load n
    push 1
    sub
    store n
    jmp loop
end:
    load acc
    print
    halt
"""
def assemble(text):
    code = []
    labels = {}
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.endswith(":"):
            labels[line[:-1]] = len(code)
            continue
        parts = line.split()
        code.append((parts[0], parts[1] if len(parts) > 1 else None))
    return code, labels
def run(code, labels, limit=10000):
    stack = []
    mem = {}
    pc = 0
    steps = 0
    while steps < limit:
        steps += 1
        op, arg = code[pc]
        pc += 1
        if op == "push":
            stack.append(int(arg))
        elif op == "store":
            mem[arg] = stack.pop()
        elif op == "load":
            stack.append(mem[arg])
        elif op in ("add", "sub", "mul"):
            b = stack.pop()
            a = stack.pop()
            stack.append(a + b if op == "add" else a - b if op == "sub" else a * b)
        elif op == "jz":
            if stack.pop() == 0:
                pc = labels[arg]
        elif op == "jmp":
            pc = labels[arg]
        elif op == "print":
            print("out:", stack[-1])
        elif op == "halt":
            return steps, mem
        else:
            raise ValueError("bad op " + op)
    raise RuntimeError("step limit exceeded")
code, labels = assemble(PROGRAM)
print(len(code), labels)
steps, mem = run(code, labels)
print(steps, mem)
code2, labels2 = assemble(PROGRAM.replace("push 10", "push 30"))
print(run(code2, labels2)[1]["acc"])
try:
    run(*assemble("top:\n push 1\n jmp top"))
except RuntimeError as e:
    print("RuntimeError:", e)
