words = ["straße", "ÉCOLE", "naïve", "Ωmega", "ǅ", "i̇"]
for w in words:
    print(w, w.upper(), w.lower(), len(w), len(w.upper()))
print("ß".upper(), "İ".lower() == "i̇", len("İ".lower()))
print("café".title(), "ÅNGSTRÖM".lower().title())
print("ΑΒΓ".isalpha(), "٣".isdigit(), "\u2003".isspace())
print(sorted(["é", "e", "z", "É", "a"]))
print("é" < "f", ord("é") > ord("z"))
print("日本語テキスト"[2:5], "日本語".find("語"), "日本語".replace("本", "-"))
