# The two commands of the README. Everything else is set up by them.
.PHONY: run test lint

run:
	@bash scripts/setup.sh run
	@.venv/bin/python scripts/dev.py run

# Extra pytest arguments: make test ARGS="tests/kommunen -x"
test:
	@bash scripts/setup.sh test
	@.venv/bin/python scripts/dev.py test $(ARGS)

lint:
	@.venv/bin/ruff check .
