# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed
# Front-end packages served from static/vendor/: Chart.js, for the analysts' charts only.
VENDOR := static/vendor/chart.umd.min.js
# The chat's scripts: static/chat/*.js is the source; esbuild bundles it with socket.io-client and minifies
# it into static/bundle/ (not committed): main.js for the page, and cards.js and language.js, entries of their
# own that main.js imports when they are needed (they import nothing: it hands them what they use).
CHAT_BUNDLE := static/bundle/main.js
ESBUILD_FLAGS := --bundle --minify --format=esm --target=es2022 --external:./cards.js --external:./language.js \
	--sourcemap --sources-content=false --log-level=warning
# Fonts for scripts a device may lack (assistant/fonts.py): regular and bold of each script's subset, named
# <package>-<subset>, from @fontsource/<package>.
SCRIPT_FONTS := noto-sans-ethiopic-ethiopic noto-sans-bengali-bengali noto-sans-gurmukhi-gurmukhi \
	noto-sans-malayalam-malayalam noto-naskh-arabic-arabic
FONTS := $(foreach f,$(SCRIPT_FONTS),$(foreach w,400 700,static/vendor/fonts/$(f)-$(w)-normal.woff2))
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))
# Browser tests use Debian's Chromium (never a browser downloaded by Playwright).
CHROMIUM := /usr/bin/chromium
# The virus-scanning test starts Debian's ClamAV daemon with a signature database it makes itself.
CLAMD := /usr/sbin/clamd

.PHONY: run serve test setup db lint screenshots i18n-extract i18n-update i18n-compile i18n-check clean

run: setup db
	$(BIN)/python -m assistant.serve

# Production on one machine: one server process per core (ports PORT, PORT+1, ...), sharing events
# through Redis; a proxy with sticky sessions goes in front (deploy/nginx.conf, README "At scale").
serve: setup db
	PROCESSES=$${PROCESSES:-$$(nproc)} SOCKETIO_MESSAGE_QUEUE=$${SOCKETIO_MESSAGE_QUEUE:-redis://127.0.0.1:6379/0} \
		$(BIN)/python -m assistant.serve

# The whole suite on SQLite (end-to-end tests also on PostgreSQL), then the tests of the services and the
# views over them (evidence files and statistics too) on PostgreSQL, where its locking, types and constraints
# can change the outcome.
test: setup $(CHROMIUM) $(CLAMD)
	$(FLASK) i18n check
	$(BIN)/python -m pytest -n auto --dist loadfile
	TEST_DATABASE=postgresql $(BIN)/python -m pytest -q -n auto --dist loadfile tests/web tests/accounts tests/storage tests/casework tests/evidence tests/statistics

setup: $(STAMP) $(CHAT_BUNDLE) $(VENDOR) $(FONTS) $(CATALOGUES)

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $@

$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "Chromium is not installed: run 'sudo apt-get install chromium' (browser tests will be skipped)"; fi

$(CLAMD):
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clamav-daemon >/dev/null; \
	else echo "ClamAV is not installed: run 'sudo apt-get install clamav-daemon' (the scanning test will be skipped)"; fi

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(CHAT_BUNDLE): $(wildcard static/chat/*.js) node_modules/.package-lock.json
	rm -rf static/bundle
	node_modules/.bin/esbuild static/chat/main.js static/chat/cards.js static/chat/language.js $(ESBUILD_FLAGS) \
		--outdir=static/bundle

static/vendor/chart.umd.min.js: node_modules/.package-lock.json
	mkdir -p static/vendor
	cp node_modules/chart.js/dist/chart.umd.min.js $@

# <package>-<subset>-<weight>-normal.woff2 comes from @fontsource/<package>.
static/vendor/fonts/%.woff2: node_modules/.package-lock.json
	mkdir -p static/vendor/fonts
	cp "node_modules/@fontsource/$$(echo $* | sed -E 's/-[a-z]+-[0-9]+-normal$$//')/files/$*.woff2" $@

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile -d translations -l $*

# Rewrite docs/screenshots/ from the browser tests (phone viewport).
screenshots: setup $(CHROMIUM)
	SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/browser

db: setup
	$(FLASK) db upgrade

# Style, formatting, types, and known vulnerabilities with a fix in the locked Python and npm packages.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python tools/dependency_audit.py
	node_modules/.bin/eslint static eslint.config.js

i18n-extract: setup
	$(FLASK) i18n extract

i18n-update: setup
	$(FLASK) i18n update

i18n-compile: setup
	$(FLASK) i18n compile

i18n-check: setup
	$(FLASK) i18n check

clean:
	rm -rf $(VENV) node_modules static/vendor static/bundle
