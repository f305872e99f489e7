RAW = """widget,4,2.50,tools
gadget,10,1.25,toys
doohickey,0,9.99,tools
thingamajig,3,4.00,misc
whatsit,7,0.75,toys
gizmo,2,12.50,tools"""
class Item:
    def __init__(self, name, qty, price, category):
        self.name = name
        self.qty = qty
        self.price = price
        self.category = category
    @property
    def value(self):
        return self.qty * self.price
def parse(text):
    items = []
    for lineno, line in enumerate(text.splitlines(), 1):
        name, qty, price, cat = line.split(",")
        items.append(Item(name, int(qty), float(price), cat))
    return items
items = parse(RAW)
by_cat = {}
for it in items:
    by_cat.setdefault(it.category, []).append(it)
print("name".ljust(12), "qty".rjust(4), "value".rjust(8))
for cat in sorted(by_cat):
    print("[" + cat + "]")
    for it in sorted(by_cat[cat], key=lambda i: -i.value):
        print(f"{it.name:<12} {it.qty:4d} {it.value:8.2f}")
    subtotal = sum(i.value for i in by_cat[cat])
    print(f"{'subtotal':<12} {len(by_cat[cat]):4d} {subtotal:8.2f}")
out_of_stock = [i.name for i in items if i.qty == 0]
print("out of stock:", out_of_stock)
print("total value: %.2f" % sum(i.value for i in items))
print("most expensive:", max(items, key=lambda i: i.price).name)
