#!/usr/bin/env bash
# Set up lgkg on a fresh machine (Python 3.11+), ingest the examples and print each contract query.
#   bash scripts/main.sh
# The demo store is .lgkg-demo-store/ in the repository (your default store is left alone).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv" >&2
  "$PYTHON" -m venv .venv
fi
echo "== installing lgkg into .venv" >&2
# pip's output goes to .venv/pip.log and is shown only when the install fails
if ! { .venv/bin/python -m pip install --upgrade pip && .venv/bin/python -m pip install -e .; } \
    >.venv/pip.log 2>&1; then
  cat .venv/pip.log >&2
  echo "pip install failed (log: .venv/pip.log)" >&2
  exit 1
fi

LGKG=.venv/bin/lgkg
STORE=.lgkg-demo-store
export LGKG_STORE="$PWD/$STORE"

echo "== lgkg ingest examples/ (store: $STORE)" >&2
"$LGKG" ingest examples/

echo
echo "== lgkg stats"
"$LGKG" stats
for name in events savings quotes; do
  echo
  echo "== lgkg query $name"
  "$LGKG" query "$name"
done

# A council that takes part in an event, and one event IRI, from the data itself.
council=$("$LGKG" sparql --format csv \
  'SELECT ?code WHERE { GRAPH ?g { ?e a lgkg:PartnershipEvent ; lgkg:actor ?c }
     FILTER(STRSTARTS(STR(?c), "https://w3id.org/lgkg/id/council/"))
     BIND(STRAFTER(STR(?c), "/council/") AS ?code) } ORDER BY ?code LIMIT 1' | sed -n 2p | tr -d '\r')
event=$("$LGKG" sparql --format csv \
  'SELECT ?e WHERE { GRAPH ?g { ?e a lgkg:PartnershipEvent } } ORDER BY STR(?e) LIMIT 1' \
  | sed -n 2p | tr -d '\r')

if [ -n "$council" ]; then
  echo
  echo "== lgkg query partners --param council=$council"
  "$LGKG" query partners --param "council=$council"
fi
if [ -n "$event" ]; then
  echo
  echo "== lgkg query provenance --param subject=$event"
  "$LGKG" query provenance --param "subject=$event"
fi
echo
echo "Done. Try: $LGKG query --list   (store: $STORE; set LGKG_STORE=$PWD/$STORE to reuse it)" >&2
