import sys
counts = {}
total = 0
n_lines = int(input())
for _ in range(n_lines):
    line = input()
    for raw in line.split():
        word = raw.strip(".,;:!?\"'()").lower()
        if not word:
            continue
        counts[word] = counts.get(word, 0) + 1
        total += 1
print("words:", total, "distinct:", len(counts))
for word, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:8]:
    print(word.ljust(10), n, "#" * n)
longest = max(counts, key=len)
print("longest:", longest)
