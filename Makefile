# Two commands for a fresh machine with Python 3.11+: `make demo` and `make test`.
# Debian packages the node needs (Chromium for the browser tests, a Japanese font for receipt PDFs,
# CJK fonts so Chromium draws the campaign pages' Chinese and Korean, npm for the vendored browser
# libraries) are installed on demand, with sudo when not root.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
WEB := node/web
CHROMIUM := /usr/bin/chromium
JP_FONT := /usr/share/fonts/opentype/ipafont-gothic/ipag.ttf
# Noto Sans CJK: Simplified and Traditional Chinese and Korean glyphs (IPA Gothic has no Hangul
# and misses many hanzi), which the pages in five languages and their screenshots need.
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
SYSTEM_TEST_PACKAGES := chromium fonts-ipafont-gothic fonts-noto-cjk

# Playwright drives the system Chromium above; it must never fetch a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

# $(call apt_install,PACKAGES): apt-get install them (via sudo unless root). A fresh machine often has
# no package lists yet, so if the install fails, refresh the lists once and try again.
apt_install = as_root=; [ "$$(id -u)" = 0 ] || as_root=sudo; \
	echo "Installing Debian packages: $(1)"; \
	$$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=300 $(1) \
	|| { $$as_root apt-get update \
	&& $$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=300 $(1); }

.PHONY: demo test test-core lint typecheck pytest bench catalogs clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Kippu needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Chromium, the Japanese font and the CJK fonts, for the browser and receipt tests. The stamp
# depends on the Makefile, so a machine stamped before a package was added here installs it too.
$(VENV)/.system-test: Makefile | $(BIN)/python
	@[ -x $(CHROMIUM) ] && [ -f $(JP_FONT) ] && [ -f $(CJK_FONT) ] \
	|| { $(call apt_install,$(SYSTEM_TEST_PACKAGES)); } \
	|| { echo "Could not install $(SYSTEM_TEST_PACKAGES): as root, run" \
	"apt-get install $(SYSTEM_TEST_PACKAGES)" >&2; exit 1; }
	touch $@

# The browser libraries the web pages use, served by the node from node_modules (never from a CDN).
$(WEB)/node_modules/.installed: $(WEB)/package.json $(WEB)/package-lock.json
	@command -v npm >/dev/null || { $(call apt_install,nodejs npm); } \
	|| { echo "Could not install npm: as root, run apt-get install nodejs npm" >&2; exit 1; }
	npm ci --prefix $(WEB) --omit=dev --no-audit --no-fund
	touch $@

# The test-only packages too (axe-core, which the browser tests inject into each page).
$(WEB)/node_modules/.installed-test: $(WEB)/package.json $(WEB)/package-lock.json
	@command -v npm >/dev/null || { $(call apt_install,nodejs npm); } \
	|| { echo "Could not install npm: as root, run apt-get install nodejs npm" >&2; exit 1; }
	npm ci --prefix $(WEB) --no-audit --no-fund
	touch $(WEB)/node_modules/.installed $@

demo: $(VENV)/.installed $(WEB)/node_modules/.installed
	@[ -f $(JP_FONT) ] || { $(call apt_install,fonts-ipafont-gothic); } \
	|| echo "Note: receipt PDFs need the Japanese font from the Debian package fonts-ipafont-gothic."
	$(BIN)/kippu demo

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy node cli.py

pytest: $(VENV)/.installed-test $(VENV)/.system-test $(WEB)/node_modules/.installed-test
	$(BIN)/python -m pytest --durations=30

test: lint typecheck pytest

# The pure tier alone (no SQLite file, no socket, no child process): seconds, for the edit-test loop.
# Tiers are explained in docs/architecture.md, "Test tiers"; `-m node`, `-m process`, `-m browser` pick others.
test-core: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m core -q

bench: $(VENV)/.installed-test
	$(BIN)/python bench/redeem_local.py
	$(BIN)/python bench/purchase.py
	$(BIN)/python bench/claims.py
	$(BIN)/python bench/audit.py
	$(BIN)/python bench/slowloris.py
	$(BIN)/python bench/backup.py
	$(BIN)/python bench/reads.py
	$(BIN)/python bench/lockout.py
	$(BIN)/python bench/points.py
	$(BIN)/python bench/rush.py
	$(BIN)/python bench/analytics.py

# The campaign pages' message catalogues (docs/operations.md, "自治体キャンペーン" → "Languages"):
# extract the messages of babel.cfg's sources into the template, merge it into each language's .po
# (new ones empty, changed ones fuzzy), fill in what node/web/texts already says, and list what is
# left to translate. Nothing is compiled: the node reads the .po files when it starts.
# `make catalogs FROM=MERGE_HEAD` also takes the translations of another revision's catalogues for
# messages still untranslated here (after a merge that conflicted in them: keep one side's first).
LOCALE := $(WEB)/locale
# Order-only: a missing venv is made, but an existing one is never reinstalled from here (a venv
# shared between worktrees must not be re-pointed by a pyproject.toml that is newer in one of them).
catalogs: | $(VENV)/.installed
	PYTHONPATH=. $(BIN)/pybabel extract --mapping-file=babel.cfg --output-file=$(LOCALE)/campaigns.pot \
		--project=Kippu --no-wrap --add-location=file --sort-by-file \
		.
	for locale in ja en zh_Hans zh_Hant ko; do \
		$(BIN)/pybabel update --domain=campaigns --input-file=$(LOCALE)/campaigns.pot --output-dir=$(LOCALE) \
		--no-wrap --ignore-obsolete --init-missing --locale=$$locale || exit 1; done
	@if [ -n "$(FROM)" ]; then \
		other=$$(mktemp -d) && git archive "$(FROM)" $(LOCALE) | tar -x -C "$$other" \
		&& PYTHONPATH=. $(BIN)/python -m node.web.catalog_fill --from "$$other/$(LOCALE)"; \
		status=$$?; rm -rf "$$other"; exit $$status; \
	else PYTHONPATH=. $(BIN)/python -m node.web.catalog_fill; fi

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache $(WEB)/node_modules test-artifacts
