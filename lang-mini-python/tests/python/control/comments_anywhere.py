# comment at column 0
x = 1  # trailing comment
    # comment indented deeper than code
if x:
        # comment at odd indentation
    print("in if")  # another
# between statements
def f():
    # inside function
    return 2
  # weird indentation comment
print(f())
