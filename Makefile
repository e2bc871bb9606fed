# The two commands of the README. Everything else is set up by them.
.PHONY: run test bench lint

run:
	@bash scripts/setup.sh run
	@.venv/bin/python scripts/dev.py run

# Extra pytest arguments: make test ARGS="tests/kommunen -x"
test:
	@bash scripts/setup.sh test
	@.venv/bin/python scripts/dev.py test $(ARGS)

# A benchmark from bench/: make bench BENCH=aktenplan ARGS="--einheiten 500"
bench:
	@bash scripts/setup.sh run
	@.venv/bin/python scripts/dev.py bench $(BENCH) $(ARGS)

lint:
	@.venv/bin/ruff check .
