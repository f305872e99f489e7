word = "abc"
i = 0
while True:
    print(word[i])
    i += 1
