values = [(y := i) for i in (z := [1, 2])]
