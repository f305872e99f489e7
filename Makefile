# The two commands of README.md: `make demo` and `make test`. Both install what is missing first.
export LLVM_SYS_191_PREFIX := /usr/lib/llvm-19
CARGO ?= cargo

.PHONY: setup demo test
setup:
	./scripts/setup.sh

demo: setup
	$(CARGO) run --release -q -p rpy-ir -- run rpy-ir/examples/demo.rpy main 25
	$(CARGO) run --release -q -p lang-tlc
	$(CARGO) run --release -q -p lang-mini-python < /dev/null

test: setup
	$(CARGO) test --workspace --release
