class AppError(Exception):
    pass
class DbError(AppError):
    pass
raise DbError("connection lost", 3)
