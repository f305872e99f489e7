class Broken:
    def __str__(self):
        return "value: " + self.missing_attr_qq
b = Broken()
print("about to print")
print(b)
