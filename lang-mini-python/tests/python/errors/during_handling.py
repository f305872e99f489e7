def cleanup():
    return {}["missing"]
try:
    1 / 0
except ZeroDivisionError:
    cleanup()
