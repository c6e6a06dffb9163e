# The two commands: `make run` (install, migrate, demo data, serve; `PORT=…` to choose the port) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000

.PHONY: run test install lint check fuzz clean clients clients-check

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

run: install
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py createcachetable
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

# Typed clients (docs/clients.md): the schema, a Python and a TypeScript client, in clients/build/.
CLIENTS_VENV := .venv-clients
CLIENTS_STAMP := $(CLIENTS_VENV)/.installed-stamp
NODE_STAMP := clients/node_modules/.installed-stamp

$(CLIENTS_STAMP): clients/requirements.txt
	$(PYTHON) -m venv $(CLIENTS_VENV)
	$(CLIENTS_VENV)/bin/python -m pip install --quiet -r clients/requirements.txt
	touch $(CLIENTS_STAMP)

$(NODE_STAMP): clients/package.json clients/package-lock.json
	cd clients && npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

clients: install $(CLIENTS_STAMP) $(NODE_STAMP)
	mkdir -p clients/build
	DJANGO_DEBUG=1 $(PY) manage.py spectacular --validate --fail-on-warn --format openapi-json \
		--file clients/build/openapi.json
	rm -rf clients/build/python clients/build/ts
	$(CLIENTS_VENV)/bin/openapi-python-client generate --path clients/build/openapi.json \
		--config clients/openapi-python-client.yaml --meta none \
		--output-path clients/build/python/hospital_api_client
	cd clients && npx openapi-typescript build/openapi.json --output build/ts/schema.d.ts

# Lint the schema, type-check the TypeScript usage, drive the Python client against a live server.
clients-check: clients
	clients/check

clean:
	rm -rf $(VENV) $(CLIENTS_VENV) clients/node_modules clients/build db.sqlite3 staticfiles
