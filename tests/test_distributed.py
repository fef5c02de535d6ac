"""Extraction on a Dask cluster (``lgkg ingest --dask``) and the N-Quads load it writes with.

The slow tests start one local cluster of two worker processes for the
module and ingest dev-corpus documents through it, comparing the store
with a normal ingest of the same files; fast tests cover the store's
``load_quads`` on every backend and the errors that name what to do.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from lgkg.cli import cli
from lgkg.distributed import INSTALL_HINT, DaskError, connect, pipeline_loads
from lgkg.extract.clean import CleanText, clean
from lgkg.extract.sources import SourceDoc
from lgkg.graph.remote import RemoteStore
from lgkg.graph.store import MemoryStore, OxigraphStore, Store
from lgkg.graph.terms import to_ox_quads
from lgkg.graph.vocab import LGKG
from lgkg.ingest import FAILED

TESTS = Path(__file__).resolve().parent
DEV = TESTS.parents[1] / "shared" / "corpus" / "dev"
FIXTURE = TESTS / "fixtures" / "mini.trig"
CONTRACT_QUERIES = (
    ("events",),
    ("savings",),
    ("quotes",),
    ("partners", "--param", "council=Lewisham"),
)
#: Four dev-corpus articles, a binary file (refused when read, on this machine) and a
#: document too long for the pipeline (refused on a worker, in a task with another).
DEV_DOCS = (
    "001_lewisham-brent-shared-it.txt",
    "002_southwark-propose-join-brent-lewisham-it.txt",
    "003_southwark-exit-shared-technology-service.txt",
    "007_cambridgeshire-it-fm-into-lgss.txt",
)
TOO_LONG = "000_too-long.txt"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def doc_lines(stderr: str) -> set[str]:
    """The per-document lines of an ingest (their order follows the tasks)."""
    return {line for line in stderr.splitlines() if re.match(r"(ingested|unchanged|failed) ", line)}


def named_graphs(store_path: Path) -> dict[str, Graph]:
    """A store's named graphs, less when each document was extracted (it differs per run)."""
    with OxigraphStore(store_path, read_only=True) as store:
        data = store.dump("nquads")
    ds = Dataset()
    ds.parse(data=data, format="nquads")
    graphs = {str(g.identifier): g for g in ds.graphs() if len(g)}
    for graph in graphs.values():
        graph.remove((None, LGKG.extractedAt, None))
    return graphs


def test_distributed_usage_and_connection_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("distributed")
    doc = tmp_path / "a.txt"
    doc.write_text("Title\n\nBrent Council and Lewisham Council share IT.\n", encoding="utf-8")
    store = ["--store", str(tmp_path / "s")]
    both = run("ingest", str(doc), *store, "--dask", "tcp://127.0.0.1:9", "--n-process", "2")
    assert both.exit_code == 2 and "--n-process does not go with --dask" in both.stderr

    with pytest.raises(DaskError, match=r"scheduler at tcp://127\.0\.0\.1:9 within 1 s"):
        connect("tcp://127.0.0.1:9", timeout=1)

    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    missing = run("ingest", str(doc), *store, "--dask", "tcp://127.0.0.1:9")
    assert missing.exit_code == 1 and INSTALL_HINT in missing.stderr
    monkeypatch.setenv("LGKG_DASK", "tcp://127.0.0.1:9")
    from_env = run("ingest", str(doc), *store)
    assert from_env.exit_code == 1 and INSTALL_HINT in from_env.stderr


def test_distributed_a_failed_task_is_split_until_one_document_fails_alone() -> None:
    pytest.importorskip("distributed")
    from distributed.utils import CancelledError

    from lgkg.distributed import _task_failed
    from lgkg.extract.model import ModelNotInstalled

    a, b = (clean(SourceDoc(f"{n}.txt", "text", file_name=f"{n}.txt")) for n in "ab")
    again: list[list[CleanText]] = []
    died = RuntimeError("worker died")
    assert list(_task_failed(died, [a, b], again.append)) == []
    assert again == [[a], [b]]
    (result,) = _task_failed(died, [a], again.append)
    assert (result.name, result.outcome) == ("a.txt", FAILED)
    assert result.reason == "failed on the Dask cluster: RuntimeError: worker died"
    for whole_run in (ModelNotInstalled("no model"), CancelledError("gone")):
        with pytest.raises(DaskError):
            list(_task_failed(whole_run, [a, b], again.append))
    assert len(again) == 2


def test_distributed_workers_unlike_this_machine_are_refused() -> None:
    from lgkg.distributed import check_workers
    from lgkg.extract.pipeline import extractor_version

    class Cluster:  # answers client.run as a cluster with one outdated worker would
        def __init__(self, versions: dict[str, str]) -> None:
            self.versions = versions

        def run(self, function):
            assert function is extractor_version
            return self.versions

    here = extractor_version()
    check_workers(Cluster({"tcp://w1:1": here, "tcp://w2:1": here}))
    with pytest.raises(DaskError, match=r"tcp://w2:1 runs lgkg-0\.0\.1\+old and this machine"):
        check_workers(Cluster({"tcp://w1:1": here, "tcp://w2:1": "lgkg-0.0.1+old"}))


def test_distributed_reads_urls_here_under_the_fetch_policy() -> None:
    """Documents are read (URLs fetched) on this machine, private addresses only if allowed.

    Every document fails to read, so no task is sent: the cluster is never asked.
    """
    from lgkg.distributed import ingest_on_dask

    url = "http://127.0.0.1:9/news"
    refused = ingest_on_dask([url], MemoryStore(), client=None)
    assert refused.failures[0].reason.startswith("refused: 127.0.0.1 is a loopback address")
    tried = ingest_on_dask([url], MemoryStore(), client=None, allow_private=True)
    assert tried.failures[0].reason.startswith("cannot fetch")


def fixture_nquads() -> tuple[bytes, dict[str, Graph]]:
    """The fixture's named graphs as N-Quads (as workers send them), and the graphs."""
    import pyoxigraph as ox

    ds = Dataset()
    ds.parse(FIXTURE, format="trig")
    graphs = {str(g.identifier): g for g in ds.graphs() if len(g)}
    quads = [q for name, g in graphs.items() for q in to_ox_quads(name, g)]
    default = ox.Quad(
        ox.NamedNode("https://x.org/s"), ox.NamedNode("https://x.org/p"), ox.Literal("o")
    )
    return ox.serialize([*quads, default], format=ox.RdfFormat.N_QUADS), graphs


def make_store(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Store:
    if kind == "rdflib":
        return MemoryStore()
    if kind == "oxigraph":
        return OxigraphStore(tmp_path / "store")
    server = request.getfixturevalue("sparql_server")
    return RemoteStore(server.query, server.update, server.store)


@pytest.mark.parametrize("kind", ["rdflib", "oxigraph", "remote"])
def test_distributed_load_quads_replaces_the_named_graphs(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    data, graphs = fixture_nquads()
    with make_store(kind, tmp_path, request) as store:
        stale = Graph()
        some = next(iter(graphs))
        stale.add((URIRef(some), URIRef("https://x.org/stale"), URIRef("https://x.org/o")))
        store.replace_graph(some, stale)
        assert store.load_quads(data) == sorted(graphs)
        assert store.load_quads(data) == sorted(graphs)  # again: replaced, not added
        assert store.graphs() == sorted(graphs)  # the default-graph triple is left out
        assert store.count() == sum(len(g) for g in graphs.values())
        for name, graph in graphs.items():
            stored = store.construct(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"
            )
            assert isomorphic(stored, graph), name


def test_distributed_load_quads_refuses_what_is_not_nquads(tmp_path: Path) -> None:
    with OxigraphStore(tmp_path / "store") as store:
        with pytest.raises(ValueError, match="invalid N-Quads"):
            store.load_quads(b"<https://x.org/s> <https://x.org/p> .\n")
        assert store.count() == 0


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    """Two worker processes of one thread each, for the whole module."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as local:
        yield local


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docs")
    for name in DEV_DOCS:
        shutil.copy(DEV / name, folder / name)
    (folder / "bad.txt").write_bytes(b"%PDF-1.4\n" + bytes(range(256)))
    (folder / TOO_LONG).write_text(
        "A long minute\n\n" + "The council met again today. " * 36_000, encoding="utf-8"
    )
    return folder


@pytest.mark.slow
def test_distributed_ingest_writes_what_a_local_ingest_writes(
    cluster, docs: Path, tmp_path: Path
) -> None:
    local, remote = tmp_path / "local", tmp_path / "dask"
    expected = run("ingest", str(docs), "--store", str(local), "--batch-size", "2")
    dask = ["--dask", cluster.scheduler_address]
    result = run("ingest", str(docs), "--store", str(remote), "--batch-size", "2", *dask)

    assert result.exit_code == expected.exit_code == 1
    assert f"extracting on the Dask cluster at {cluster.scheduler_address}" in result.stderr
    assert "6 documents: 4 ingested, 0 unchanged, 2 failed" in result.stderr
    assert re.search(r"^  \S*bad\.txt: binary file \(PDF\), not text$", result.stderr, re.M)
    assert re.search(rf"^  \S*/{TOO_LONG}: .* split the document$", result.stderr, re.M)
    assert doc_lines(result.stderr) == doc_lines(expected.stderr)

    ours, theirs = named_graphs(remote), named_graphs(local)
    entities = [g for g in ours if g.startswith("https://w3id.org/lgkg/id/partnership/")]
    assert entities  # the partnerships the documents describe, resolved as a local ingest does
    assert sorted(ours) == sorted(theirs) and len(ours) == len(DEV_DOCS) + 1 + len(entities)
    for name, graph in theirs.items():
        assert len(ours[name]) == len(graph) and isomorphic(ours[name], graph), name
    for named in CONTRACT_QUERIES:
        query = ("query", *named, "--format", "csv")
        answer = run(*query, "--store", str(remote))
        assert answer.exit_code == 0 and len(answer.stdout.splitlines()) > 1, named
        assert answer.stdout == run(*query, "--store", str(local)).stdout, named

    again = run("ingest", str(docs), "--store", str(remote), "--batch-size", "2", *dask)
    assert again.exit_code == 1
    assert "6 documents: 0 ingested, 4 unchanged, 2 failed" in again.stderr
    assert named_graphs(remote).keys() == ours.keys()


@pytest.mark.slow
def test_distributed_each_worker_loads_the_pipeline_once(
    cluster, docs: Path, tmp_path: Path
) -> None:
    from distributed import Client

    store = ["--store", str(tmp_path / "s")]
    for _ in range(2):  # a task per document, then all again: every task after the first reuses it
        args = ("ingest", *(str(docs / n) for n in DEV_DOCS), "--force", "--batch-size", "1")
        result = run(*args, *store, "--dask", cluster.scheduler_address)
        assert result.exit_code == 0, result.output
        assert "4 ingested" in result.stderr
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        loads = client.run(pipeline_loads)
    assert len(loads) == 2
    assert set(loads.values()) <= {0, 1} and sum(loads.values()) >= 1, loads
