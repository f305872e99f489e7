def compute():
    return undefined_variable_qq + 1
print("before")
compute()
