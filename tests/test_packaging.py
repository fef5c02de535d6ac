"""The distribution installs one import package, ``lgkg``, with its data files."""

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_packaging_wheel_holds_only_lgkg_with_data(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(tmp_path)],
        check=True,
        cwd=tmp_path,
    )
    wheel = next(tmp_path.glob("lgkg-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"lgkg", next(t for t in tops if t.endswith(".dist-info"))}
    for needed in (
        "lgkg/extract/pipeline.py",
        "lgkg/extract/data/councils.csv",
        "lgkg/extract/patterns/actions.json",
        "lgkg/graph/store.py",
        "lgkg/queries/events.rq",
        "lgkg/queries/plan.py",
        "lgkg/queries/plans/oxigraph-disk/events.rq",
        "lgkg/ontology/lgkg.ttl",
        "lgkg/ontology/shapes.ttl",
        "lgkg/stats.rq",
    ):
        assert needed in names


def test_packaging_editable_install_maps_subpackages():
    import lgkg.extract.records
    import lgkg.graph.emit
    import lgkg.queries.named

    assert Path(lgkg.extract.records.__file__).parent == ROOT / "extract"
    assert Path(lgkg.graph.emit.__file__).parent == ROOT / "graph"
    assert Path(lgkg.queries.named.__file__).parent == ROOT / "queries"
    for generic in ("extract", "graph", "queries", "ontology"):
        # found at most as a folder of a checkout on sys.path, never installed
        spec = importlib.util.find_spec(generic)
        places = [] if spec is None else list(spec.submodule_search_locations or [spec.origin])
        assert all(ROOT in Path(p).parents for p in places)
