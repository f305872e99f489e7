greeting = "Grüße, Zoë — ça va?"
print(greeting)
print(len(greeting))
words = greeting.split()
print(words)
print(greeting.lower())
# a comment with ñ and 日本
name = "日本語"
for ch in name:
    print(ch, ord(ch))
print(name * 2)
