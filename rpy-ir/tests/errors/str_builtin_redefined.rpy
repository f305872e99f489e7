# error: str_builtin_redefined.rpy:2:1: error: 'str_split' is a builtin and cannot be redefined
def str_split(s: str) -> str:
    return s
