from random import seed,# randint
