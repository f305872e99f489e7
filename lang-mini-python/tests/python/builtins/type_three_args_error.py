# type() with two arguments: TypeError, uncaught.
Shape = type('Shape', (), {'sides': 0})
Square = type('Square', (Shape,), {'sides': 4})
print(Square.sides, Shape.sides, Square.__name__)
print(type(Square(), Shape))
