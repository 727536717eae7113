# s75 — every target creates .venv and installs on first use.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
FONTS   := templates/static/fonts/.installed
ARIMO   := 5.3.0

.PHONY: demo test lint typecheck pytest serve bench fonts browser clean migration

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# Arimo (metric-compatible with Arial, SIL OFL), pinned, from the npm registry.
$(FONTS):
	mkdir -p templates/static/fonts
	cd templates/static/fonts && tmp=$$(mktemp -d) && \
	  npm pack --silent --pack-destination $$tmp @fontsource/arimo@$(ARIMO) >/dev/null && \
	  tar -xzf $$tmp/fontsource-arimo-$(ARIMO).tgz -C $$tmp && \
	  cp $$tmp/package/files/arimo-latin-400-normal.woff $$tmp/package/files/arimo-latin-700-normal.woff \
	     $$tmp/package/files/arimo-latin-400-italic.woff $$tmp/package/files/arimo-latin-700-italic.woff \
	     $$tmp/package/LICENSE . && rm -rf $$tmp
	touch $@

fonts: $(FONTS)

demo: $(STAMP) $(FONTS)
	$(BIN)/s75 demo

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) $(FONTS)
	$(BIN)/pytest -q -rs

test: lint typecheck pytest

serve: $(STAMP) $(FONTS)
	$(BIN)/s75 serve

bench: $(STAMP) $(FONTS)
	$(BIN)/python -m bench

migration: $(STAMP)
	$(BIN)/python scripts/regen_migration.py

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache templates/static/fonts
