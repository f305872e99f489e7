def make_person(name, age, city):
    return (name, age, city)
people = [make_person("Ann", 34, "Oslo"), make_person("Ben", 28, "Rome"), make_person("Cid", 41, "Oslo")]
for name, age, city in people:
    print(name.ljust(4), str(age).rjust(3), city)
by_city = {}
for name, age, city in people:
    by_city.setdefault(city, []).append(name)
print(by_city)
oldest = max(people, key=lambda p: p[1])
print("oldest:", oldest[0])
ages = tuple(p[1] for p in people)
print(ages, sum(ages) / len(ages))
