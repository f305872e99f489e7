class A:
    items = [(y := 1) for i in [1]]
