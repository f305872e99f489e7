data = [1, 2]
x := 5
