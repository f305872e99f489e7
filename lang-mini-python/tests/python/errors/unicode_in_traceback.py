def greet(name):
    return "Grüß " + name + undefined_name_qq
print(greet("Zoë"))
