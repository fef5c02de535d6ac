#!/usr/bin/env bash
# Set up a development environment and run every check: ruff, then all tests (slow ones included).
#   bash scripts/test.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv" >&2
  "$PYTHON" -m venv .venv
fi
echo "== installing lgkg[dev] (editable) into .venv" >&2
# pip's output goes to .venv/pip.log and is shown only when the install fails
if ! { .venv/bin/python -m pip install --upgrade pip && .venv/bin/python -m pip install -e '.[dev]'; } \
    >.venv/pip.log 2>&1; then
  cat .venv/pip.log >&2
  echo "pip install failed (log: .venv/pip.log)" >&2
  exit 1
fi

echo "== ruff check ." >&2
.venv/bin/ruff check .

echo "== pytest" >&2
.venv/bin/python -m pytest -q
