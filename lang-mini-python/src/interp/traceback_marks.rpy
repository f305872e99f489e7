#! traceback_marks.rpy: the position markers under a traceback's source line, as CPython
#! 3.11 prints them (`^^^^` under the failing expression, `~~~^~~~` for a binary
#! operation or a subscript).
#!
#! Each instruction has LOC_WORDS ints in `Code.locs` (written by host/encode.rs from
#! src/location.rs): start column, end line, end column (0-based characters, end
#! exclusive; the start line is `Code.lines`), then the anchor: kind (ANCHOR_*) and two
#! columns. CPython's rules: a span over several lines is marked up to the end of the
#! first line's text; nothing is printed when the span covers the whole stripped line and
#! has no anchor; an operator anchor is the first non-blank text after the left operand
#! (two characters when the next one is not blank either); a subscript's goes from the end
#! of the value to one past the end of the index. Marks are `~` outside the anchor's range
#! and `^` inside it (all `^` without an anchor).

const LOC_WORDS = 6
const ANCHOR_NONE = 0
const ANCHOR_BINOP = 1
const ANCHOR_SUBSCRIPT = 2

def mark_is_blank(c: char) -> bool:
    return c == ' ' or c == '\t' or c == '\n' or c == '\r' or ord(c) == 12

# Prints the markers of the traceback entry at instruction `pc` of `code`, on `line`.
def print_position_marks(code: Code, pc: int, line: int):
    if code.filename != SPACE.filename or line < 1 or line > len(SPACE.source):
        return
    base = pc * LOC_WORDS
    if base + LOC_WORDS > len(code.locs):
        return
    start = code.locs[base]
    end_line = code.locs[base + 1]
    end = code.locs[base + 2]
    kind = code.locs[base + 3]
    src = SPACE.source[line - 1]
    # the line's text: without its indentation and trailing blanks
    indent = 0
    while indent < len(src) and mark_is_blank(src[indent]):
        indent += 1
    text_end = len(src)
    while text_end > indent and mark_is_blank(src[text_end - 1]):
        text_end -= 1
    if end_line < line:
        return
    if end_line != line:
        kind = ANCHOR_NONE
        end = text_end
    if start < indent or end > len(src) or start >= end:
        return
    left = -1
    right = -1
    if kind == ANCHOR_BINOP:
        i = code.locs[base + 4]
        op_end = code.locs[base + 5]
        while i < op_end and mark_is_blank(src[i]):
            i += 1
        if i < op_end:
            left = i
            right = i + 1
            if i + 1 < op_end and not mark_is_blank(src[i + 1]):
                right = i + 2
    elif kind == ANCHOR_SUBSCRIPT:
        left = code.locs[base + 4]
        right = code.locs[base + 5]
    if end - start == text_end - indent and left < 0:
        return
    marks = "    "
    c = indent
    while c < start:
        marks = marks + " "
        c += 1
    while c < end:
        if left < 0:
            marks = marks + "^"
        elif left <= c and c < right:
            marks = marks + "^"
        else:
            marks = marks + "~"
        c += 1
    err_write(marks + "\n")

const TB_RECURSIVE_CUTOFF = 3

# The line standing for the entries of a run of `count` equal ones not printed.
def print_repeated(count: int):
    if count <= TB_RECURSIVE_CUTOFF:
        return
    n = count - TB_RECURSIVE_CUTOFF
    s = ""
    if n > 1:
        s = "s"
    err_write("  [Previous line repeated " + int_to_str(n) + " more time" + s + "]\n")
