#!/usr/bin/env bash
# Build the one-folder bundle (packaging/cspdesk.spec) and smoke-test the frozen program headless.
#
#   packaging/build.sh                 build, then smoke-test dist/cspdesk/
#   packaging/build.sh --clean         the same from an empty PyInstaller cache (for releases)
#   packaging/build.sh --no-build      smoke-test the bundle already in dist/cspdesk/
#
# PYTHON (default: .venv/bin/python, else python3) must have `pip install -e .[build,postgres,test]`.
# Runs on Linux, and with --no-build in Git Bash on Windows (the windows-installer workflow).
# MAX_BUNDLE_MB (default 165: 146 MB of app and Qt, 11 MB of PostgreSQL driver on Linux) fails
# the run when the bundle grows past it.
# A smoke step runs only if `cspdesk --help` lists its command; otherwise it prints SKIPPED.
# The frozen program runs with CSPDESK_HOME in a temporary folder, and the run fails if it
# writes anything inside the bundle.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
if [[ -z "${PYTHON:-}" ]]; then
    if [[ -x .venv/bin/python ]]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
MAX_BUNDLE_MB=${MAX_BUNDLE_MB:-165}
WINDOWS=0
[[ "$(uname -s)" == MINGW* || "$(uname -s)" == MSYS* ]] && WINDOWS=1
if [[ $WINDOWS == 0 ]]; then
    # This checkout's cspdesk, even when the venv holds an editable install of another one.
    export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
fi

build=1
pyinstaller_args=(--noconfirm)
for arg in "$@"; do
    case "$arg" in
        --clean) pyinstaller_args+=(--clean) ;;
        --no-build) build=0 ;;
        *) echo "usage: $0 [--clean] [--no-build]" >&2; exit 2 ;;
    esac
done

VERSION=$("$PYTHON" packaging/spec_helpers.py version | tr -d '\r')
DIST="$ROOT/dist/cspdesk"
BIN="$DIST/cspdesk"
[[ $WINDOWS == 1 ]] && BIN="$DIST/cspdesk.exe"

if [[ $build == 1 ]]; then
    echo "== building cspdesk $VERSION with $("$PYTHON" -m PyInstaller --version) =="
    started=$(date +%s)
    "$PYTHON" -m PyInstaller "${pyinstaller_args[@]}" --log-level WARN \
        --distpath "$ROOT/dist" --workpath "$ROOT/build" packaging/cspdesk.spec
    echo "build time: $(($(date +%s) - started)) s"
fi
[[ -x "$BIN" ]] || { echo "no frozen program at $BIN" >&2; exit 1; }

size_mb=$(du -sm "$DIST" | cut -f1)
echo "bundle: $DIST, ${size_mb} MB, $(find "$DIST" -type f | wc -l) files"

fail() { echo "FAILED: $*" >&2; exit 1; }
ok() { echo "ok      $*"; }
skipped() { echo "SKIPPED $*"; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# Windows programs get C:/... paths, which Git Bash understands too.
command -v cygpath >/dev/null && TMP=$(cygpath -m "$TMP")
export CSPDESK_HOME="$TMP/home"
export QT_QPA_PLATFORM=offscreen
find "$DIST" -print | sort >"$TMP/bundle-before.txt"

# 1. The bundle holds what the window and the store need (GUI start-up cannot be run yet).
internal="$DIST/_internal"
[[ -n "$(find "$internal/PySide6" -path '*/platforms/*' -name '*qoffscreen*')" ]] ||
    fail "bundle lacks Qt's offscreen platform plugin"
for needed in \
    "PySide6/QtWidgets*" "PySide6/QtSvgWidgets*" \
    "cspdesk/store/migrations/env.py" "cspdesk/store/migrations/script.py.mako" \
    "cspdesk/store/migrations/versions/0001_initial.py" "reportlab/fonts/Vera.ttf"; do
    compgen -G "$internal/$needed" >/dev/null || fail "bundle lacks _internal/$needed"
done
ok "bundle holds Qt widgets, the offscreen platform, the migrations and reportlab's fonts"

# 2. Every bundled library finds the Qt/Python libraries it links (proves the trimming kept
#    them). Other missing ones are the host's (e.g. libxcb-icccm4 for the X11 plugin).
if [[ "$(uname -s)" == Linux ]]; then
    missing=$(find "$internal" -name '*.so*' -type f -print0 |
        xargs -0 -n 50 env LD_LIBRARY_PATH="$internal" ldd 2>/dev/null |
        grep 'not found' | awk '{print $1}' | sort -u || true)
    ours=$(grep -E '^lib(Qt6|icu|shiboken|pyside|python)' <<<"$missing" || true)
    [[ -z "$ours" ]] || fail "bundled libraries link ones the bundle lacks:"$'\n'"$ours"
    ok "ldd: every Qt/Python library a bundled one links is in the bundle"
    host=$(grep -vE '^lib(Qt6|icu|shiboken|pyside|python)' <<<"$missing" | tr '\n' ' ' || true)
    [[ -z "${host// /}" ]] || echo "note    libraries left to the host (not bundled): $host"
fi

# 3. The frozen program itself.
out=$("$BIN" --version | tr -d '\r') || fail "cspdesk --version exited $?"
[[ "$out" == "cspdesk $VERSION" ]] || fail "--version printed '$out', expected 'cspdesk $VERSION'"
ok "--version: $out"

help=$("$BIN" --help | tr -d '\r') || fail "cspdesk --help exited $?"
lists() { grep -Eq -- "^    $1( |$)" <<<"$help"; }  # argparse's sub-command lines

workspace="$TMP/smoke.cspdesk"
has_plan=0
if lists demo && [[ -f "$internal/resources/demo/castle_point_2016.json" ]]; then
    "$BIN" demo --db "$workspace" >/dev/null || fail "cspdesk demo exited $?"
    "$PYTHON" packaging/smoke_checks.py workspace "$workspace" || fail "demo"
    has_plan=1
    ok "demo"
else
    skipped "demo (no demo command or no resources/demo/castle_point_2016.json in the bundle)"
    "$BIN" new --db "$workspace" --name "Smoke Test CSP" >/dev/null || fail "cspdesk new exited $?"
    "$PYTHON" packaging/smoke_checks.py workspace "$workspace" || fail "new"
    ok "new (an empty workspace instead of the demo)"
fi

exported="$TMP/export.json"
"$BIN" export-json --db "$workspace" -o "$exported" || fail "cspdesk export-json exited $?"
summary=$("$PYTHON" packaging/smoke_checks.py json "$exported") || fail "export-json"
ok "export-json: $summary"

# export-xlsx, and the report as PDF and as HTML.
run_export() {  # command, suffix, check, extra arguments...
    local command=$1 suffix=$2 check=$3 output="$TMP/smoke.$2"
    shift 3
    if ! lists "$command"; then
        skipped "$command (not in this build's cspdesk --help)"
        return
    fi
    if [[ $has_plan == 0 ]]; then
        skipped "$command (no plan to export without the demo)"
        return
    fi
    "$BIN" "$command" --db "$workspace" -o "$output" "$@" >/dev/null || fail "cspdesk $command exited $?"
    "$PYTHON" packaging/smoke_checks.py "$check" "$output" "$exported" || fail "$command"
    ok "$command: $(du -k "$output" | cut -f1) KB"
}
run_export export-xlsx xlsx xlsx
run_export report pdf pdf --quarter Q1

# 4. Shared plans: the bundle carries psycopg and the libpq of psycopg_binary. Asked for a server
#    nobody listens at, the frozen program must try it ("cannot reach the server"), not say it
#    lacks the driver. With CSPDESK_TEST_PG_URL, it also makes and reads a demo plan there.
driver_said="$TMP/driver.txt"
if "$BIN" export-json --db "postgresql://smoke@127.0.0.1:1/smoke" -o "$TMP/none.json" \
    >"$driver_said" 2>&1; then
    fail "export-json from a server nobody listens at exited 0"
fi
"$PYTHON" packaging/smoke_checks.py driver "$driver_said" || fail "psycopg"
ok "psycopg: the frozen program tried the server and said: $(tr -d '\r\n' <"$driver_said")"
if [[ -n "${CSPDESK_TEST_PG_URL:-}" ]]; then
    shared=$("$PYTHON" packaging/smoke_checks.py server-database new "$CSPDESK_TEST_PG_URL") ||
        fail "could not make a database on $CSPDESK_TEST_PG_URL"
    trap '"$PYTHON" packaging/smoke_checks.py server-database drop "$CSPDESK_TEST_PG_URL" "$shared"; rm -rf "$TMP"' EXIT
    "$BIN" demo --db "$shared" >/dev/null || fail "cspdesk demo --db $shared exited $?"
    "$BIN" export-json --db "$shared" -o "$TMP/shared.json" || fail "export-json from $shared"
    summary=$("$PYTHON" packaging/smoke_checks.py json "$TMP/shared.json") || fail "shared plan"
    ok "shared plan on $shared (migrated by the bundled Alembic): $summary"
else
    skipped "a shared plan on a server (set CSPDESK_TEST_PG_URL=postgresql://USER@HOST:PORT/postgres)"
fi

# 5. The window, once the app has a headless self-test (the lead adds `cspdesk --self-test`).
if grep -q -- "--self-test" <<<"$help"; then
    "$BIN" --self-test || fail "cspdesk --self-test exited $?"
    ok "--self-test (offscreen)"
else
    skipped "--self-test (not in this build; the GUI start-up is not smoke-tested yet)"
fi

# 6. Nothing was written next to the executable.
find "$DIST" -print | sort >"$TMP/bundle-after.txt"
if ! diff -q "$TMP/bundle-before.txt" "$TMP/bundle-after.txt" >/dev/null; then
    fail "the frozen program wrote inside the bundle:"$'\n'"$(diff "$TMP/bundle-before.txt" "$TMP/bundle-after.txt")"
fi
ok "nothing written inside the bundle"

((size_mb <= MAX_BUNDLE_MB)) || fail "bundle is ${size_mb} MB, over the ${MAX_BUNDLE_MB} MB budget"
echo "smoke test passed: cspdesk $VERSION, ${size_mb} MB"
