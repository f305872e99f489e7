class Plugin:
    registry = {}
    def __init__(self, name):
        self.name = name
        Plugin.registry[name] = self
    @classmethod
    def get(cls, name):
        return cls.registry.get(name)
    def __repr__(self):
        return type(self).__name__ + "(" + repr(self.name) + ")"
class Fancy(Plugin):
    def __init__(self, name, level):
        super().__init__(name)
        self.level = level
Plugin("basic")
Fancy("shiny", 3)
print(Plugin.registry)
print(Plugin.get("shiny").level, Plugin.get("none"))
print(Fancy.registry is Plugin.registry)
