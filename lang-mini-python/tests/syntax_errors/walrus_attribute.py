ok = (a := 1)
bad = (a.b := 1)
