total = 0.0
for i in range(1, 1001):
    total += 1.0 / i
print(total)
x = 1.0
for i in range(60):
    x = x / 2
print(x)
pi_est = 0.0
sign = 1.0
for k in range(10000):
    pi_est += sign * 4.0 / (2 * k + 1)
    sign = -sign
print(pi_est)
