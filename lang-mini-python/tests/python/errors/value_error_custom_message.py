def set_age(age):
    if age < 0:
        raise ValueError("age must be non-negative, got " + str(age))
    return age
set_age(5)
set_age(-3)
