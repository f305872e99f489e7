class HttpError(Exception):
    def __init__(self, code, reason):
        super().__init__(code, reason)
        self.code = code
        self.reason = reason
    def is_client(self):
        return 400 <= self.code < 500
class NotFoundError(HttpError):
    def __init__(self, path):
        super().__init__(404, "Not Found")
        self.path = path
errors = [HttpError(500, "Oops"), NotFoundError("/x"), HttpError(403, "Forbidden")]
for e in errors:
    try:
        raise e
    except HttpError as h:
        print(h.code, h.reason, h.is_client(), h.args, str(h))
