doc = """this string
never ends
x = 1
