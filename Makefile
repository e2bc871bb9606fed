# The two commands of the README. Everything else is set up by them.
.PHONY: run test test-schnell test-uhrzeiten bench lint

run:
	@bash scripts/setup.sh run
	@.venv/bin/python scripts/dev.py run

# Extra pytest arguments: make test ARGS="tests/kommunen -x"
test:
	@bash scripts/setup.sh test
	@.venv/bin/python scripts/dev.py test $(ARGS)

# For local work: everything except the browser tests and the tests with a real Celery worker
# (about a third of the time of `make test`). CI and `make test` always run the whole suite.
test-schnell:
	@bash scripts/setup.sh run
	@.venv/bin/python scripts/dev.py test tests -m "not e2e and not worker" $(ARGS)

# The suite (without browser tests) under libfaketime at the hours where date code mixing UTC
# and German time breaks: New Year's night, after the clock change, late evening, early morning.
# About an hour (14 minutes an instant on a 2-core machine); not part of CI: run it after
# changing date or deadline code.
test-uhrzeiten:
	@bash scripts/setup.sh uhrzeiten
	@.venv/bin/python scripts/dev.py uhrzeiten $(ARGS)

# A benchmark from bench/: make bench BENCH=aktenplan ARGS="--einheiten 500"
bench:
	@bash scripts/setup.sh run
	@.venv/bin/python scripts/dev.py bench $(BENCH) $(ARGS)

lint:
	@.venv/bin/ruff check .
