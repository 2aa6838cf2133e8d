# The two commands of the README; tools/cc.py does the work.
PYTHON ?= python3

.PHONY: test run lint
test:
	$(PYTHON) tools/cc.py test
run:
	$(PYTHON) tools/cc.py run
lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
