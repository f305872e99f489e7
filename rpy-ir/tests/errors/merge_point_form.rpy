# error: merge_point_form.rpy:3:5: error: write the merge point alone: hint(None, global_merge_point=True)
def f(x: int) -> int:
    hint(x, global_merge_point=True)
    return x
