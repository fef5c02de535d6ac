"""Fuzzing the SPARQL endpoint: random grammar-shaped queries against a real ``lgkg serve``.

The queries come from ``sparql_grammar.fuzz_queries()``: well-formed
SELECT/ASK/CONSTRUCT/DESCRIBE queries, mutated ones, hostile shapes (nesting
thousands deep, chains of tens of thousands of operators, big VALUES blocks,
string doubling) and junk, sent by GET, by POST as a form or by POST as
``application/sparql-query``, with assorted Accept headers. Every request
must get an HTTP status (below 500, or 503), and after each one the server
must still run and answer ``ASK {}`` with 200. The server is not restarted:
the first query that kills it fails the test, and the message shows it.

``LGKG_FUZZ_EXAMPLES`` sets how many queries are sent (default 150); the
long run is ``python bench/fuzz.py --examples 5000``. Hypothesis does not
shrink a failure here (a dead server fails every later query alike).

``test_hardening_grammar_parses`` needs no server: the well-formed queries
parse with pyoxigraph, which checks the generator's grammar.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from endpoint_fuzzer import ACCEPTS, TRANSPORTS, FuzzServer, History, describe_death
from hardening_helpers import mini_store
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from sparql_grammar import FuzzQuery, fuzz_queries, hostile, shorten, well_formed_queries

from lgkg.graph.store import PREFIXES

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("LGKG_FUZZ_EXAMPLES", "150"))
GRAMMAR_EXAMPLES = 200
SERVER_TIMEOUT = 2.0
SETTINGS = {
    "deadline": None,
    "database": None,
    "derandomize": True,
    "suppress_health_check": list(HealthCheck),
}
statuses: Counter = Counter()
history = History()
deaths: list[str] = []  # why the server died (hypothesis replays the failing query once more)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzServer]:
    folder = tmp_path_factory.mktemp("fuzz-endpoint")
    store = mini_store(folder / "store")
    served = FuzzServer(store, folder / "serve.log", timeout=SERVER_TIMEOUT)
    try:
        yield served
    finally:
        served.stop()


#: Shapes that crashed the server of before worker processes (pyoxigraph's stack overflowed).
KNOWN_CRASHERS = [
    hostile("deep-braces", 5_000),
    hostile("deep-parens", 8_000),
    hostile("chain-not", 20_000),
    hostile("chain-plus", 30_000),
    hostile("chain-union", 20_000),
    hostile("chain-path-seq", 30_000),
]


def with_known_crashers(test):
    for query in reversed(KNOWN_CRASHERS):  # explicit examples run last-applied first
        test = example(query=query, transport="POST-query", accept=None)(test)
    return test


@settings(max_examples=EXAMPLES, phases=[Phase.explicit, Phase.generate], **SETTINGS)
@with_known_crashers
@given(query=fuzz_queries(), transport=st.sampled_from(TRANSPORTS), accept=st.sampled_from(ACCEPTS))
def test_hardening_fuzz_endpoint(
    server: FuzzServer, query: FuzzQuery, transport: str, accept: str | None
) -> None:
    if deaths or not server.alive():
        pytest.fail(deaths[0] if deaths else describe_death(server, None, None, history))
    outcome = server.send(query, transport, accept)
    statuses[outcome.status] += 1
    history.add(query, outcome)
    if not server.healthy():
        deaths.append(describe_death(server, query, outcome, history))
        pytest.fail(deaths[0])
    assert outcome.ok, (
        f"no acceptable answer to a {query.kind} query sent by {outcome.transport}: "
        f"status {outcome.status} {outcome.error}\nquery: {shorten(query.text)!r}"
    )


@settings(max_examples=GRAMMAR_EXAMPLES, **SETTINGS)
@given(query=well_formed_queries())
def test_hardening_grammar_parses(query: FuzzQuery) -> None:
    store = ox.Store()
    try:
        store.query(query.text, prefixes=PREFIXES)
    except SyntaxError as err:
        pytest.fail(f"the generator wrote an invalid {query.kind} query: {err}\n{query.text}")
    except (OSError, RuntimeError):  # an evaluation error: the text parsed
        pass


def test_hardening_fuzz_endpoint_report() -> None:
    """Prints the statuses the endpoint fuzz run got (run with -s to see them)."""
    print(f"fuzz endpoint statuses: {dict(statuses)}")
