db = {
    "alice": {"age": 30, "langs": ["python", "rust"]},
    "bob": {"age": 25, "langs": []},
}
db["bob"]["langs"].append("c")
db["carol"] = {"age": 41, "langs": ["go"]}
for name, info in db.items():
    print(name, info["age"], ", ".join(info["langs"]) or "-")
print(sum(v["age"] for v in db.values()))
print(max(db, key=lambda n: db[n]["age"]))
print(db)
