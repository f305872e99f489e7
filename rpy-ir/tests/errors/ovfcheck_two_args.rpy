# error: ovfcheck_two_args.rpy:3:12: error: 'ovfcheck' takes 1 argument, 2 given
def f(x: int) -> int:
    return ovfcheck(x, 2)
