# Two commands do all set-up: `make run` (install, then run on seeds/) and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

export DO_NOT_TRACK := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export GX_ANALYTICS_ENABLED := false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS := 120

.PHONY: run test bench server serve clean

$(STAMP): pyproject.toml requirements.lock
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --constraint requirements.lock --editable '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/govreport run seeds

test: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) bench/throughput.py

clean:
	rm -rf data
