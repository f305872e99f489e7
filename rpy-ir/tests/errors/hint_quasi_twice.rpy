# error: hint_quasi_twice.rpy:3:24: error: expected newline, found name 'quasi'
struct Config:
    version: int quasi quasi
