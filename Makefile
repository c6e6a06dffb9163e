# The two commands: `make run` (install, migrate, demo data, serve; `PORT=…` to choose the port) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000

.PHONY: run test install lint check fuzz clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

run: install
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo
	@echo ""
	@echo "  API docs:     http://127.0.0.1:$(PORT)/api/docs/"
	@echo "  ReDoc:        http://127.0.0.1:$(PORT)/api/redoc/"
	@echo "  Django admin: http://127.0.0.1:$(PORT)/admin/"
	@echo ""
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .

# A long, random fuzzing campaign with the boundary-value phase (CI runs a short, fixed one).
fuzz: install
	FUZZ_MAX_EXAMPLES=$${FUZZ_MAX_EXAMPLES:-100} FUZZ_PHASES=examples,coverage,fuzzing FUZZ_RANDOM=1 \
		$(PY) -m pytest tests/test_fuzz.py -p no:randomly

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
