# error: hint_quasi_immutable_struct.rpy:3:18: error: field 'version' of immutable struct 'Config' cannot be quasi-immutable: it never changes
struct Config immutable:
    version: int quasi
