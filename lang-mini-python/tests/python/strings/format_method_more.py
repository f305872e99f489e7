print("{}{}{}".format("a", 1, 2.5))
print("[{:>6}] [{:<6}] [{:^6}]".format("r", "l", "c"))
print("{0}-{0}-{1}".format("x", "y"))
print("{:d} {:.3f} {}".format(10, 2.0, None))
row = "{name:<6}|{qty:>4}|{price:.2f}"
print(row.format(name="pen", qty=3, price=1.5))
print(row.format(name="book", qty=12, price=12.25))
print("{} {}".format([1, 2], (3,)))
