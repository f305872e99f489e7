# error: hint_quasi_marker_word.rpy:3:18: error: expected newline, found name 'quasy'
struct Config:
    version: int quasy
