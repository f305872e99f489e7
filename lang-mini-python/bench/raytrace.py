# Object-oriented code with floats: a small ray tracer (vectors as objects with operator
# methods, spheres and a plane, diffuse lighting with shadows, one reflection); prints a
# checksum of the image's grey levels.
# Usage: raytrace.py [SIZE]  (default 250)
import sys
import math


class Vec:
    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y, self.z + o.z)

    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y, self.z - o.z)

    def scale(self, k):
        return Vec(self.x * k, self.y * k, self.z * k)

    def dot(self, o):
        return self.x * o.x + self.y * o.y + self.z * o.z

    def norm(self):
        return self.scale(1.0 / math.sqrt(self.dot(self)))


class Ray:
    def __init__(self, origin, direction):
        self.origin = origin
        self.direction = direction


class Sphere:
    def __init__(self, center, radius, shade):
        self.center = center
        self.radius = radius
        self.shade = shade

    def intersect(self, ray):
        oc = ray.origin - self.center
        b = oc.dot(ray.direction)
        c = oc.dot(oc) - self.radius * self.radius
        disc = b * b - c
        if disc < 0.0:
            return -1.0
        s = math.sqrt(disc)
        t = -b - s
        if t > 1e-6:
            return t
        t = -b + s
        if t > 1e-6:
            return t
        return -1.0

    def normal_at(self, p):
        return (p - self.center).norm()


class Plane:
    def __init__(self, point, normal, shade):
        self.point = point
        self.normal = normal.norm()
        self.shade = shade

    def intersect(self, ray):
        d = self.normal.dot(ray.direction)
        if abs(d) < 1e-9:
            return -1.0
        t = (self.point - ray.origin).dot(self.normal) / d
        return t if t > 1e-6 else -1.0

    def normal_at(self, p):
        return self.normal


class Scene:
    def __init__(self):
        self.objects = [
            Sphere(Vec(0.0, 1.0, 5.0), 1.0, 0.9),
            Sphere(Vec(-1.8, 0.6, 6.0), 0.6, 0.6),
            Sphere(Vec(1.7, 0.8, 4.2), 0.8, 0.75),
            Plane(Vec(0.0, 0.0, 0.0), Vec(0.0, 1.0, 0.0), 0.5),
        ]
        self.light = Vec(-4.0, 6.0, -2.0)

    def closest(self, ray):
        best = None
        best_t = 1e30
        for obj in self.objects:
            t = obj.intersect(ray)
            if 0.0 < t < best_t:
                best_t = t
                best = obj
        return best, best_t

    def trace(self, ray, depth):
        obj, t = self.closest(ray)
        if obj is None:
            return 0.1
        p = ray.origin + ray.direction.scale(t)
        n = obj.normal_at(p)
        to_light = (self.light - p).norm()
        shadow, st = self.closest(Ray(p, to_light))
        lambert = n.dot(to_light)
        if lambert < 0.0 or shadow is not None:
            lambert = 0.0
        colour = 0.1 + obj.shade * lambert
        if depth < 1:
            r = ray.direction - n.scale(2.0 * ray.direction.dot(n))
            colour = colour * 0.7 + 0.3 * self.trace(Ray(p, r), depth + 1)
        return colour


def render(size):
    scene = Scene()
    eye = Vec(0.0, 1.2, -1.0)
    checksum = 0
    total = 0.0
    for y in range(size):
        for x in range(size):
            d = Vec((x - size / 2) / size, (size / 2 - y) / size, 1.0).norm()
            c = scene.trace(Ray(eye, d), 0)
            grey = int(min(c, 1.0) * 255)
            checksum = (checksum * 31 + grey) % 1000000007
            total += c
    return checksum, round(total, 6)


def main():
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 250
    print("raytrace", size, render(size))


main()
