import math
print(math.gcd(12, 18), math.factorial(10), math.isnan(1.0), math.isinf(math.inf))
print(math.floor(-0.5), math.ceil(-0.5), math.floor(5), math.ceil(7))
print(math.sqrt(0.25), math.fabs(-0.0), math.exp(0), math.log(1))
print(math.copysign(1, -3), math.hypot(5, 12), math.atan2(0, -1))
print(round(math.sin(math.pi), 10), round(math.cos(math.pi), 10))
print(math.floor(2 ** 70 + 0.0) == 2 ** 70)
print(-math.inf < -10 ** 300)
