class Base:
    def run(self):
        raise NotImplementedError("Base.run")
class Impl(Base):
    pass
Impl().run()
