# I/O at the edges: stderr and the exit status (rpy-ir/src/externs/io.rs; reading stdin is
# tested with input fed by `externs::io::with_input`, not here, where stdin is the terminal's).
# run: status 7 => 7

def status(n: int) -> int:
    write_stderr("a message for stderr\n")
    set_exit_status(n)
    set_exit_status(0)
    set_exit_status(n)
    return n
