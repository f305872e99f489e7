text = """line one
line two
    indented"""
print(text)
print(len(text.splitlines()))
t = '''single 'quoted' triple'''
print(t)
doc = """
starts with newline
"""
print(repr(doc))
