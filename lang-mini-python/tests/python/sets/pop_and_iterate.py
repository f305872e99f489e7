s = {10, 20, 30}
total = 0
while s:
    total += s.pop()
print(total, s)
try:
    s.pop()
except KeyError as e:
    print("KeyError:", e)
nums = {n % 7 for n in range(30)}
print(nums)
print(sorted(x * x for x in nums))
