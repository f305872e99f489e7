# Strings at the edges: building, comparing, slicing with steps, searching, splitting, joining,
# stripping, case and classes, at native speed through externs (rpy-ir/src/externs/strings.rs).
# run: compare 0 => 7
# run: repeat 3 => "ab-ab-ab-"
# run: repeat -2 => ""
# run: slices 0 => "ell|hlo|olleh|ol|olleh|lo|he|hello|"
# run: slice_step 2 => "02468"
# run: slice_step -3 => "9630"
# run: slice_step 0 => ""
# run: search 0 => 2360
# run: words 0 => "one|two|three"
# run: fields 0 => "a,b,,c:4"
# run: cleanup 0 => "[HELLO WÖRLD] [straße] [STRASSE]"
# run: classes 0 => 63
# run: from_chars 5 => "abcde"
# run: unicode 0 => "é😀:2"

def compare(x: int) -> int:
    n = 0
    if "abc" < "abd":
        n += 1
    if "ab" < "abc":
        n += 2
    if "b" > "abc" and "b" >= "b" and "a" <= "a":
        n += 4
    if "é" < "e":
        n += 8
    return n

def repeat(n: int) -> str:
    return "ab-" * n

def slices(x: int) -> str:
    s = "hello"
    parts = array[str](9)
    parts[0] = s[1:4]
    parts[1] = s[::2]
    parts[2] = s[::-1]
    parts[3] = s[-1:-4:-2]
    parts[4] = s[10:-10:-1]
    parts[5] = s[3:]
    parts[6] = s[:2]
    parts[7] = s[:]
    parts[8] = s[4:1]
    return str_join("|", parts)

def slice_step(k: int) -> str:
    return "0123456789"[::k]

def search(x: int) -> int:
    s = "the cat sat on the mat"
    return str_find(s, "the") * 0 + str_rfind(s, "the") * 200 + str_find(s, "dog") * -1 + str_count(s, "at") * 25 - 725 + str_find_from(s, "at", 6)

def words(x: int) -> str:
    return str_join("|", str_split("  one\ttwo\n three  "))

def fields(x: int) -> str:
    parts = str_split("a,b,,c", ",")
    return str_concat(str_join(",", parts), ":") + int_to_str(len(parts))

def cleanup(x: int) -> str:
    a = str_upper(str_strip("  hello wörld \n"))
    b = str_lower("STRASSE")
    b = str_replace(b, "ss", "ß")
    return "[" + a + "] [" + b + "] [" + str_upper(b) + "]"

def classes(x: int) -> int:
    n = 0
    if str_isdigit("123"):
        n += 1
    if str_isalpha("héllo"):
        n += 2
    if str_isspace(" \t\n"):
        n += 4
    if str_isalnum("abc123"):
        n += 8
    if str_startswith("hello", "he") and str_endswith("hello", "lo"):
        n += 16
    if char_isdigit('7') and not char_isalpha('7'):
        n += 32
    if str_isdigit(""):
        n += 64
    return n

def from_chars(n: int) -> str:
    cs = array[char](n)
    i = 0
    while i < n:
        cs[i] = chr(ord('a') + i)
        i += 1
    return str_from_chars(cs)

def unicode(x: int) -> str:
    s = "héllo😀"
    cs = str_chars(s)
    return str_from_chars(cs)[1:2] + s[5:] + ":" + int_to_str(str_find(s, "l"))
