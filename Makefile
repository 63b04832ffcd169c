# Two commands do all set-up: `make run` (install, then run on seeds/) and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

export DO_NOT_TRACK := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export GX_ANALYTICS_ENABLED := false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS := 120

.PHONY: run test bench eval server serve clean browser

INPUT_DIR ?= seeds
DATA_DIR ?= data
# A reviewers' corrections file for `make serve` (see README, "Corrections"); none by default.
CORRECTIONS ?=

$(STAMP): pyproject.toml requirements.lock
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --constraint requirements.lock --editable '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/govreport run seeds

test: $(STAMP) browser
	$(PY) -m pytest

# Headless Chromium and CJK fonts from the distribution, for the tests that open the review
# pages and the quality report in a real browser (skipped where it cannot be installed).
browser:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -q "Noto Sans CJK"; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		command -v apt-get >/dev/null && $$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk \
		|| echo "make: chromium not installed: the browser tests will be skipped"; \
	fi

bench: $(STAMP)
	$(PY) bench/throughput.py

# Where extraction stands: the pipeline on the seed and on the dev set of city and county
# reports, each in its own data folder, scored against its gold by the shared scorer.
SHARED ?= ../shared
EVAL_DIR ?= $(DATA_DIR)/eval
eval: $(STAMP)
	$(PY) -m flows.cli run seeds --data-dir $(EVAL_DIR)-seed --full
	$(PY) -m flows.cli run $(SHARED)/eval/dev/texts --data-dir $(EVAL_DIR)-dev --full
	@echo "seed ($(SHARED)/eval/gold):"
	@$(PY) $(SHARED)/eval/score.py $(SHARED)/eval/gold $(EVAL_DIR)-seed/indicators | tail -2
	@echo "dev ($(SHARED)/eval/dev/gold):"
	@$(PY) $(SHARED)/eval/score.py $(SHARED)/eval/dev/gold $(EVAL_DIR)-dev/indicators | tail -2

# A Prefect server that keeps running: runs started with PREFECT_API_URL set to it skip the
# 20-30 s start of a temporary server (see README, "Start-up").
server: $(STAMP)
	$(VENV)/bin/prefect server start --host 127.0.0.1 --port 4200

# The daily 06:00 Asia/Shanghai schedule of prefect.yaml, served from this shell.
serve: $(STAMP)
	$(PY) -m flows.schedule --input-dir $(INPUT_DIR) --data-dir $(DATA_DIR) $(if $(CORRECTIONS),--corrections $(CORRECTIONS))

clean:
	rm -rf data
