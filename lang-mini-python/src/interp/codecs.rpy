#! codecs.rpy: `str.encode` and `bytes.decode` with the codecs utf-8, ascii and latin-1,
#! and the exceptions `UnicodeEncodeError`/`UnicodeDecodeError` as CPython 3.11 has them.
#!
#! Vocabulary and invariants:
#! - A codec is named as CPython normalizes names (lower case, `-` and ` ` as `_`): the
#!   aliases listed in `codec_id` are known; any other name is a LookupError ("unknown
#!   encoding") unless CPython has such a codec (utf-16, cp1252, ...): those raise
#!   NotImplementedError naming the codec, never a wrong LookupError.
#! - Error handlers: `strict` (the default), `ignore`, `replace` (`?` when encoding, U+FFFD
#!   when decoding); another handler raises NotImplementedError when an error needs it.
#! - UTF-8 decoding follows CPython's decoder exactly, including which bytes an error
#!   covers: an invalid start byte is one byte; a truncated or broken sequence covers the
#!   bytes read before the offending one (so `replace` gives one U+FFFD per error).
#! - A Unicode error is an exception whose `args` are CPython's five (encoding, object,
#!   start, end, reason), also its attributes; its str is CPython's message, built from them.

const CODEC_UTF8 = 0
const CODEC_ASCII = 1
const CODEC_LATIN1 = 2

const ERRORS_STRICT = 0
const ERRORS_IGNORE = 1
const ERRORS_REPLACE = 2
const ERRORS_OTHER = 3

# The name CPython's codec registry looks up.
def normalize_codec(name: str) -> str:
    b = new_builder()
    i = 0
    while i < len(name):
        c = name[i]
        o = ord(c)
        if c == '-' or c == ' ':
            builder_append_char(b, '_')
        elif o >= 65 and o <= 90:
            builder_append_char(b, chr(o + 32))
        else:
            builder_append_char(b, c)
        i += 1
    return builder_build(b)

def codec_id(name: str) -> int:
    n = normalize_codec(name)
    if n == "utf_8" or n == "utf8" or n == "u8" or n == "utf" or n == "utf8_ucs2" or n == "utf8_ucs4" or n == "cp65001":
        return CODEC_UTF8
    if n == "ascii" or n == "us_ascii" or n == "646" or n == "us" or n == "ansi_x3.4_1968" or n == "iso646_us" or n == "cp367" or n == "csascii" or n == "ibm367" or n == "iso_ir_6":
        return CODEC_ASCII
    if n == "latin_1" or n == "latin1" or n == "latin" or n == "l1" or n == "iso_8859_1" or n == "iso8859_1" or n == "8859" or n == "cp819" or n == "iso_ir_100" or n == "ibm819" or n == "csisolatin1" or n == "iso_8859_1:1987":
        return CODEC_LATIN1
    if known_other_codec(n):
        raise not_implemented("the codec '" + name + "'")
    raise guest_error("LookupError", "unknown encoding: " + name)

# Codecs CPython has that are not done here (their families by prefix).
def known_other_codec(n: str) -> bool:
    if str_startswith(n, "utf_16") or str_startswith(n, "utf_32") or str_startswith(n, "utf16") or str_startswith(n, "utf32") or n == "utf_7" or n == "utf7":
        return True
    if str_startswith(n, "cp") or str_startswith(n, "iso8859") or str_startswith(n, "iso_8859") or str_startswith(n, "latin") or str_startswith(n, "mac") or str_startswith(n, "koi8"):
        return True
    if str_startswith(n, "windows") or str_startswith(n, "euc") or str_startswith(n, "shift_jis") or str_startswith(n, "gb") or str_startswith(n, "big5"):
        return True
    return n == "idna" or n == "punycode" or n == "raw_unicode_escape" or n == "unicode_escape" or n == "charmap" or n == "mbcs" or n == "hz" or n == "johab"

# The name a codec's errors show.
def codec_name(c: int) -> str:
    if c == CODEC_UTF8:
        return "utf-8"
    if c == CODEC_ASCII:
        return "ascii"
    return "latin-1"

# An `encoding` argument: a str naming a known codec.
def codec_arg(w: W_Object, fname: str) -> int:
    if w is None:
        return CODEC_UTF8
    if not isinstance(w, W_Str):
        raise type_error(fname + "() argument 'encoding' must be str, not " + type_name(w))
    return codec_id((w as W_Str).value)

def errors_arg(w: W_Object, fname: str) -> int:
    if w is None:
        return ERRORS_STRICT
    if not isinstance(w, W_Str):
        raise type_error(fname + "() argument 'errors' must be str, not " + type_name(w))
    e = (w as W_Str).value
    if e == "strict":
        return ERRORS_STRICT
    if e == "ignore":
        return ERRORS_IGNORE
    if e == "replace":
        return ERRORS_REPLACE
    return ERRORS_OTHER

def unicode_error(kind: str, encoding: str, obj: W_Object, start: int, end: int, reason: str) -> GuestError:
    vals = array[W_Object](5)
    vals[0] = W_Str(value=encoding)
    vals[1] = obj
    vals[2] = W_Int(value=start)
    vals[3] = W_Int(value=end)
    vals[4] = W_Str(value=reason)
    e = call_type(builtin_type(kind), make_args(vals)) as W_BaseException
    return GuestError(message=reason, w=e, reraise=False)

def handler_error(errors: int):
    if errors == ERRORS_OTHER:
        raise not_implemented("this codec error handler")

# The limit of each codec's characters (exclusive): 128 ascii, 256 latin-1, none for utf-8.
def codec_limit(c: int) -> int:
    if c == CODEC_ASCII:
        return 128
    if c == CODEC_LATIN1:
        return 256
    return 1114112

def put_utf8(b: strbuilder, o: int):
    if o < 128:
        builder_append_char(b, chr(o))
    elif o < 2048:
        builder_append_char(b, chr(192 | (o >> 6)))
        builder_append_char(b, chr(128 | (o & 63)))
    elif o < 65536:
        builder_append_char(b, chr(224 | (o >> 12)))
        builder_append_char(b, chr(128 | ((o >> 6) & 63)))
        builder_append_char(b, chr(128 | (o & 63)))
    else:
        builder_append_char(b, chr(240 | (o >> 18)))
        builder_append_char(b, chr(128 | ((o >> 12) & 63)))
        builder_append_char(b, chr(128 | ((o >> 6) & 63)))
        builder_append_char(b, chr(128 | (o & 63)))

# `s` encoded: the bytes as a str of characters below 256.
def encode_str(s: str, codec: int, errors: int) -> str:
    limit = codec_limit(codec)
    b = new_builder()
    i = 0
    while i < len(s):
        o = ord(s[i])
        if o < limit:
            if codec == CODEC_UTF8:
                put_utf8(b, o)
            else:
                builder_append_char(b, s[i])
            i += 1
            continue
        j = i
        while j < len(s) and ord(s[j]) >= limit:
            j += 1
        if errors == ERRORS_STRICT:
            reason = "ordinal not in range(" + int_to_str(limit) + ")"
            raise unicode_error("UnicodeEncodeError", codec_name(codec), W_Str(value=s), i, j, reason)
        handler_error(errors)
        if errors == ERRORS_REPLACE:
            builder_append(b, str_repeat("?", j - i))
        i = j
    return builder_build(b)

# The length of the UTF-8 sequence a start byte begins (0: not a start byte).
def utf8_seq_len(o: int) -> int:
    if o < 128:
        return 1
    if o >= 194 and o <= 223:
        return 2
    if o >= 224 and o <= 239:
        return 3
    if o >= 240 and o <= 244:
        return 4
    return 0

# Whether byte `o` may follow the start byte `first` as byte number `k` (1-based) of its
# sequence (the second byte's range is narrower after E0, ED, F0 and F4).
def utf8_cont_ok(first: int, k: int, o: int) -> bool:
    if o < 128 or o > 191:
        return False
    if k != 1:
        return True
    if first == 224:
        return o >= 160
    if first == 237:
        return o < 160
    if first == 240:
        return o >= 144
    if first == 244:
        return o < 144
    return True

# `s` (bytes as characters below 256) decoded.
def decode_bytes(s: str, codec: int, errors: int, w: W_Object) -> str:
    if codec == CODEC_LATIN1:
        return s
    b = new_builder()
    i = 0
    while i < len(s):
        o = ord(s[i])
        if o < 128:
            builder_append_char(b, s[i])
            i += 1
            continue
        end = i + 1
        reason = "ordinal not in range(128)"
        if codec == CODEC_UTF8:
            n = utf8_seq_len(o)
            reason = "invalid start byte"
            if n > 0:
                k = 1
                while k < n and i + k < len(s) and utf8_cont_ok(o, k, ord(s[i + k])):
                    k += 1
                if k == n:
                    v = o & (127 >> n)
                    m = 1
                    while m < n:
                        v = (v << 6) | (ord(s[i + m]) & 63)
                        m += 1
                    builder_append_char(b, chr(v))
                    i += n
                    continue
                end = i + k
                if i + k >= len(s):
                    reason = "unexpected end of data"
                else:
                    reason = "invalid continuation byte"
        if errors == ERRORS_STRICT:
            raise unicode_error("UnicodeDecodeError", codec_name(codec), w, i, end, reason)
        handler_error(errors)
        if errors == ERRORS_REPLACE:
            builder_append_char(b, chr(65533))
        i = end
    return builder_build(b)

# str.encode(encoding='utf-8', errors='strict')
def str_encode_m(a: Args) -> W_Object:
    check_args(a, "encode", 1, 3)
    s = str_arg(a, 0, "encode")
    enc = kwarg(a, "encoding")
    if npos(a) > 1:
        enc = a.vals[1]
    errs = kwarg(a, "errors")
    if npos(a) > 2:
        errs = a.vals[2]
    return W_Bytes(value=encode_str(s, codec_arg(enc, "encode"), errors_arg(errs, "encode")))

# bytes.decode(encoding='utf-8', errors='strict')
def bytes_decode_m(a: Args) -> W_Object:
    check_args(a, "decode", 1, 3)
    s = bytes_self(a, "decode")
    enc = kwarg(a, "encoding")
    if npos(a) > 1:
        enc = a.vals[1]
    errs = kwarg(a, "errors")
    if npos(a) > 2:
        errs = a.vals[2]
    return W_Str(value=decode_bytes(s, codec_arg(enc, "decode"), errors_arg(errs, "decode"), a.vals[0]))

# str(object, encoding='utf-8', errors='strict'): bytes decoded.
def str_of_encoded(a: Args) -> W_Object:
    check_args(a, "str", 0, 3)
    obj = kwarg(a, "object")
    if npos(a) > 0:
        obj = a.vals[0]
    enc = kwarg(a, "encoding")
    if npos(a) > 1:
        enc = a.vals[1]
    errs = kwarg(a, "errors")
    if npos(a) > 2:
        errs = a.vals[2]
    if obj is None:
        return W_Str(value="")
    if enc is None and errs is None:
        return W_Str(value=str_of(obj))
    if isinstance(obj, W_Str):
        raise type_error("decoding str is not supported")
    if not isinstance(obj, W_Bytes):
        raise type_error("decoding to str: need a bytes-like object, " + type_name(obj) + " found")
    return W_Str(value=decode_bytes((obj as W_Bytes).value, codec_arg(enc, "str"), errors_arg(errs, "str"), obj))

# UnicodeEncodeError/UnicodeDecodeError(encoding, object, start, end, reason).
def unicode_error_init(a: Args) -> W_Object:
    e = a.vals[0] as W_BaseException
    if npos(a) != 6:
        raise type_error("function takes exactly 5 arguments (" + int_to_str(npos(a) - 1) + " given)")
    exc_init(a)
    instance_set(e, intern("encoding"), a.vals[1])
    instance_set(e, intern("object"), a.vals[2])
    instance_set(e, intern("start"), a.vals[3])
    instance_set(e, intern("end"), a.vals[4])
    instance_set(e, intern("reason"), a.vals[5])
    return W_NONE

# A character as an encode error shows it: `'\xe9'`, `'\u20ac'`, `'\U0001f600'`.
def char_escape(o: int) -> str:
    if o < 256:
        return "\\x" + hex2(o)
    if o < 65536:
        return "\\u" + hex2(o >> 8) + hex2(o & 255)
    return "\\U" + hex2(o >> 24) + hex2((o >> 16) & 255) + hex2((o >> 8) & 255) + hex2(o & 255)

def unicode_error_str(a: Args) -> W_Object:
    e = a.vals[0] as W_BaseException
    items = e.args.items
    if len(items) != 5 or not isinstance(items[1], W_Str) and not isinstance(items[1], W_Bytes):
        return W_Str(value=exception_str(e))
    enc = str_of(items[0])
    start = int_of(items[2])
    end = int_of(items[3])
    reason = str_of(items[4])
    pre = "'" + enc + "' codec can't "
    if isinstance(items[1], W_Str):
        s = (items[1] as W_Str).value
        if end == start + 1 and start >= 0 and start < len(s):
            return W_Str(value=pre + "encode character '" + char_escape(ord(s[start])) + "' in position " + int_to_str(start) + ": " + reason)
        return W_Str(value=pre + "encode characters in position " + int_to_str(start) + "-" + int_to_str(end - 1) + ": " + reason)
    bs = (items[1] as W_Bytes).value
    if end == start + 1 and start >= 0 and start < len(bs):
        return W_Str(value=pre + "decode byte 0x" + hex2(ord(bs[start])) + " in position " + int_to_str(start) + ": " + reason)
    return W_Str(value=pre + "decode bytes in position " + int_to_str(start) + "-" + int_to_str(end - 1) + ": " + reason)

def setup_codecs():
    add_method(TYPES_BY_KIND.str_type, "encode", str_encode_m)
    ue = builtin_type("UnicodeError")
    enc = add_exception("UnicodeEncodeError", ue)
    add_method(enc, "__init__", unicode_error_init)
    add_method(enc, "__str__", unicode_error_str)
    dec = add_exception("UnicodeDecodeError", ue)
    add_method(dec, "__init__", unicode_error_init)
    add_method(dec, "__str__", unicode_error_str)
