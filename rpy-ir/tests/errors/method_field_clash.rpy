# error: method_field_clash.rpy:4:5: error: 'size' is a field of 'A': a method cannot have the same name
struct A:
    size: int
    def size(self) -> int:
        return 1
