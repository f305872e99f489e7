def work():
    try:
        [].pop()
    except IndexError:
        print("logging the error")
        raise
work()
