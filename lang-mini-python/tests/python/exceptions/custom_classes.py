class AppError(Exception):
    pass
class NotFound(AppError):
    def __init__(self, what):
        super().__init__("not found: " + what)
        self.what = what
class Invalid(AppError):
    def __init__(self, field, value):
        self.field = field
        self.value = value
    def __str__(self):
        return "invalid " + self.field + "=" + repr(self.value)
for exc in [NotFound("page"), Invalid("age", -1), AppError("generic"), AppError()]:
    try:
        raise exc
    except NotFound as e:
        print("NotFound", e, e.what, e.args)
    except AppError as e:
        print(type(e).__name__, str(e), repr(str(e)))
