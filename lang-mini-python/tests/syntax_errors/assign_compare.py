a < b = 2
