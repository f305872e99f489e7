# A text adventure as a state machine driven by a fixed list of commands.
rooms = {
    "hall": {"desc": "a long hall", "exits": {"north": "library", "east": "kitchen"}, "items": ["lamp"]},
    "library": {"desc": "dusty shelves", "exits": {"south": "hall"}, "items": ["book", "key"]},
    "kitchen": {"desc": "smells of bread", "exits": {"west": "hall", "down": "cellar"}, "items": []},
    "cellar": {"desc": "dark and damp", "exits": {"up": "kitchen"}, "items": ["treasure"]},
}

class Game:
    def __init__(self):
        self.room = "hall"
        self.inventory = []
        self.moves = 0
        self.state = "playing"
    def look(self):
        r = rooms[self.room]
        items = ", ".join(r["items"]) if r["items"] else "nothing"
        exits = ", ".join(sorted(r["exits"]))
        return "%s: %s. You see %s. Exits: %s." % (self.room, r["desc"], items, exits)
    def go(self, direction):
        exits = rooms[self.room]["exits"]
        if direction not in exits:
            return "You can't go " + direction + "."
        target = exits[direction]
        if target == "cellar" and "lamp" not in self.inventory:
            return "It is too dark to go down without a lamp."
        self.room = target
        return self.look()
    def take(self, item):
        here = rooms[self.room]["items"]
        if item not in here:
            return "There is no " + item + " here."
        if item == "treasure" and "key" not in self.inventory:
            return "The treasure chest is locked."
        here.remove(item)
        self.inventory.append(item)
        if item == "treasure":
            self.state = "won"
        return "Taken: " + item
    def handle(self, line):
        self.moves += 1
        words = line.split()
        if not words:
            return "Say something."
        verb, args = words[0], words[1:]
        if verb == "look":
            return self.look()
        if verb == "go" and args:
            return self.go(args[0])
        if verb == "take" and args:
            return self.take(args[0])
        if verb == "inv":
            return "You carry: " + (", ".join(self.inventory) or "nothing")
        return "I don't understand " + repr(line) + "."

game = Game()
script = ["look", "go down", "go east", "go down", "go west", "take lamp", "dance",
          "go east", "go down", "take treasure", "go up", "go west", "go north",
          "take key", "take sword", "inv", "go south", "go east", "go down", "", "take treasure"]
for cmd in script:
    print("> " + cmd)
    print(game.handle(cmd))
    if game.state == "won":
        print("You won in %d moves!" % game.moves)
        break
