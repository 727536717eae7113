# s75 — every target creates .venv and installs on first use.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
FONTS   := templates/static/fonts/.installed
ARIMO   := 5.3.0
WEBKIT  := templates/static/vendor/.installed
GOVUK   := 6.6.0
HTMX    := 2.0.11
AXE     := 4.14.1

.PHONY: demo test lint typecheck pytest serve bench fonts web-assets browser clean migration screenshots

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# Arimo (metric-compatible with Arial, SIL OFL), pinned, from the npm registry.
$(FONTS):
	mkdir -p templates/static/fonts templates/static/vendor
	cd templates/static/fonts && tmp=$$(mktemp -d) && \
	  npm pack --silent --pack-destination $$tmp @fontsource/arimo@$(ARIMO) >/dev/null && \
	  tar -xzf $$tmp/fontsource-arimo-$(ARIMO).tgz -C $$tmp && \
	  cp $$tmp/package/files/arimo-latin-400-normal.woff $$tmp/package/files/arimo-latin-700-normal.woff \
	     $$tmp/package/files/arimo-latin-400-italic.woff $$tmp/package/files/arimo-latin-700-italic.woff \
	     $$tmp/package/LICENSE . && rm -rf $$tmp
	touch $@

fonts: $(FONTS)

# GOV.UK Frontend (built CSS/JS, without the crown images or the GDS Transport typeface: its
# @font-face rules are removed so text falls back to Arial), htmx and axe-core (for the
# accessibility tests only), pinned, from the npm registry.
$(WEBKIT):
	rm -rf templates/static/vendor && mkdir -p templates/static/vendor
	cd templates/static/vendor && tmp=$$(mktemp -d) && \
	  npm pack --silent --pack-destination $$tmp govuk-frontend@$(GOVUK) htmx.org@$(HTMX) \
	    axe-core@$(AXE) >/dev/null && \
	  for f in $$tmp/*.tgz; do mkdir -p $${f%.tgz}; tar -xzf $$f -C $${f%.tgz}; done && \
	  g=$$tmp/govuk-frontend-$(GOVUK)/package && \
	  sed -E 's/@font-face\{[^}]*\}//g' $$g/dist/govuk/govuk-frontend.min.css > govuk-frontend.min.css && \
	  cp $$g/dist/govuk/govuk-frontend.min.js . && \
	  cp $$tmp/htmx.org-$(HTMX)/package/dist/htmx.min.js . && \
	  cp $$tmp/axe-core-$(AXE)/package/axe.min.js . && \
	  cp $$tmp/axe-core-$(AXE)/package/LICENSE LICENSE-axe-core && \
	  cp $$tmp/htmx.org-$(HTMX)/package/LICENSE LICENSE-htmx && rm -rf $$tmp
	touch $@

web-assets: $(WEBKIT)

demo: $(STAMP) $(FONTS) $(WEBKIT)
	$(BIN)/s75 demo

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

# In parallel (pytest-xdist): one worker per core (PYTEST_WORKERS=0 runs in this process);
# a module's tests stay in one worker, in order (module fixtures built once), modules in order.
PYTEST_WORKERS ?= auto
pytest: $(STAMP) $(FONTS) $(WEBKIT)
	$(BIN)/pytest -q -rs -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder

test: lint typecheck pytest

# The browser journeys, writing their screenshots into docs/img (a plain test run writes them
# to a temporary folder and leaves the working tree alone).
screenshots: $(STAMP) $(FONTS) $(WEBKIT)
	S75_SCREENSHOTS=docs/img $(BIN)/pytest -q -n 0 -m browser tests/web

serve: $(STAMP) $(FONTS) $(WEBKIT)
	$(BIN)/s75 serve

bench: $(STAMP) $(FONTS)
	$(BIN)/python -m bench

migration: $(STAMP)
	$(BIN)/python scripts/regen_migration.py

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache templates/static/fonts templates/static/vendor
