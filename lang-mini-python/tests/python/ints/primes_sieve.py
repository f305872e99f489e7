N = 200
sieve = [True] * (N + 1)
sieve[0] = sieve[1] = False
i = 2
while i * i <= N:
    if sieve[i]:
        for j in range(i * i, N + 1, i):
            sieve[j] = False
    i += 1
primes = [k for k in range(N + 1) if sieve[k]]
print(len(primes))
print(primes[:10], primes[-3:])
print(sum(primes))
