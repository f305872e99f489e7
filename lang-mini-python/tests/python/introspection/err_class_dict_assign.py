# a class's __dict__ is read-only
class Point:
    x = 0

ns = vars(Point)
print(ns['x'])
ns['x'] = 1
