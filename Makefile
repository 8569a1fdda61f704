# Two commands do all set-up: `make build` (PDFs into output/) and `make test` (the whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

.PHONY: build test check bench serve system-deps browser-deps fonts test-fonts clean

# Packs whose fonts the set-up installs: the shipped one, and for the tests the fixture in four scripts.
PACKS      := .
TEST_PACKS := . tests/fixtures/scripts

.PHONY: build test check bench system-deps fonts test-fonts clean

build: $(VENV)/.installed fonts
	$(BIN)/kyr build

test: $(VENV)/.installed-test test-fonts browser-deps
	$(BIN)/ruff check generator tests
	$(BIN)/python -m pytest -q

check: $(VENV)/.installed fonts
	$(BIN)/kyr check

# The fonts each pack names for its languages (pack.yaml's locales.LANG.fonts), from Debian's
# fonts-noto-* packages when missing: as root with apt-get, otherwise the command to run.
# `kyr fonts --packages` prints nothing when all are installed.
define install-fonts
	@pkgs=""; for pack in $(1); do found="$$($(BIN)/kyr fonts --packages --project $$pack)" || exit 1; pkgs="$$pkgs $$found"; done; \
	pkgs="$$(printf '%s\n' $$pkgs | sort -u | xargs)"; \
	if [ -z "$$pkgs" ]; then echo "fonts: ok"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing fonts: $$pkgs"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$pkgs >/dev/null; \
	else echo "missing fonts -- install with: sudo apt-get install $$pkgs"; exit 1; fi
endef

fonts: $(VENV)/.installed
	$(call install-fonts,$(PACKS))

test-fonts: $(VENV)/.installed
	$(call install-fonts,$(TEST_PACKS))

serve: $(VENV)/.installed
	$(BIN)/kyr serve

# WeasyPrint needs Pango; hb-subset makes it 3x faster and its output reproducible.
system-deps:
	@missing=""; for lib in libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0; do \
	  ldconfig -p | grep -q "$$lib" || missing="$$missing $$lib"; done; \
	fc-list | grep -q DejaVuSans || missing="$$missing DejaVuSans"; \
	if [ -z "$$missing" ]; then echo "system libraries: ok"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing system packages for:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	else echo "missing:$$missing -- install with: sudo apt-get install $(SYSTEM_PACKAGES)"; \
	  case "$$missing" in *pango*) exit 1;; esac; fi

# The browser tests drive Debian's chromium through Playwright (Playwright's own browser download
# is not used): installed like the libraries above, only when missing, as root with apt.
browser-deps:
	@if command -v chromium >/dev/null; then echo "chromium: ok"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "missing: chromium -- install with: sudo apt-get install chromium"; exit 1; fi

$(VENV)/bin/python:
	@echo "creating $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Strict editable mode links exactly the package's files (setuptools' lenient modes warn that any
# folder here could shadow an import); a module added to generator/ changes the folder, so it reinstalls.
$(VENV)/.installed: pyproject.toml generator | $(VENV)/bin/python system-deps
	@echo "installing the project into $(VENV)"
	$(BIN)/python -m pip install -q -e . --config-settings editable_mode=strict
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	@echo "installing test dependencies"
	$(BIN)/python -m pip install -q -e '.[test]' --config-settings editable_mode=strict
	@touch $@

clean:
	rm -rf output/*/ output/*.json output/.kyr-manifest.json output/.check output/.cache

bench: $(VENV)/.installed-test browser-deps
	$(BIN)/python tests/bench.py
