# Points of a size x size grid in the Mandelbrot set: float arithmetic in nested loops.

def bench(size: int) -> int:
    max_iter = 100
    count = 0
    y = 0
    while y < size:
        ci = 2.0 * float(y) / float(size) - 1.0
        x = 0
        while x < size:
            cr = 2.0 * float(x) / float(size) - 1.5
            zr = 0.0
            zi = 0.0
            i = 0
            while i < max_iter and zr * zr + zi * zi <= 4.0:
                t = zr * zr - zi * zi + cr
                zi = 2.0 * zr * zi + ci
                zr = t
                i += 1
            if i == max_iter:
                count += 1
            x += 1
        y += 1
    return count
