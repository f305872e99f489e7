class Config:
    name = "cfg"
    size = len(name) * 2
    ratio = size / (len(name) - 3)
print(Config.size)
