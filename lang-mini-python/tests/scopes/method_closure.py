class Outer:
    def method(self):
        helper = 1
        class Inner:
            def get(self):
                return helper + self.value
            value = helper
        return Inner
