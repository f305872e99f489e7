# Float loops: the Mandelbrot set on a SIZE x SIZE grid, 50 iterations per point; prints the
# number of points inside and a checksum of the escape counts.
# Usage: mandelbrot.py [SIZE]  (default 400)
import sys


def mandel(size, limit):
    inside = 0
    checksum = 0
    for y in range(size):
        ci = 2.0 * y / size - 1.0
        for x in range(size):
            cr = 2.0 * x / size - 1.5
            zr = 0.0
            zi = 0.0
            k = 0
            while k < limit:
                tr = zr * zr - zi * zi + cr
                zi = 2.0 * zr * zi + ci
                zr = tr
                if zr * zr + zi * zi > 4.0:
                    break
                k += 1
            if k == limit:
                inside += 1
            checksum = (checksum * 31 + k) % 1000000007
    return inside, checksum


def main():
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    inside, checksum = mandel(size, 50)
    print("mandelbrot", size, inside, checksum)


main()
