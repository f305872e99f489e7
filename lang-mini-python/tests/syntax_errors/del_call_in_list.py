del (a, b), [c, d()]
