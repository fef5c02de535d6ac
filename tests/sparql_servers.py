"""SPARQL servers for the tests, each on a free loopback port with its data in a temporary folder.

- Oxigraph (PyPI ``oxigraph``): the remote store of the default test run;
- Virtuoso 7 (Debian ``virtuoso-opensource-7``): opt-in, ``LGKG_TEST_VIRTUOSO=1``.

Tests share one server of each per session and clear it before each use.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    """A TCP port nothing listens on at the moment (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` command from this interpreter's environment, else from PATH."""
    here = str(Path(sys.executable).parent)
    return shutil.which("oxigraph", path=os.pathsep.join([here, os.environ.get("PATH", "")]))


@dataclass
class SparqlServer:
    """The URLs of a running server's endpoints and its process."""

    query: str
    update: str
    store: str
    process: subprocess.Popen

    def update_request(self, update: str) -> None:
        data = urllib.parse.urlencode({"update": update}).encode()
        with urllib.request.urlopen(urllib.request.Request(self.update, data=data), timeout=30):
            pass

    def clear(self) -> None:
        """Remove every graph (on Virtuoso: every graph lgkg or the tests wrote)."""
        if "sparql-graph-crud" not in self.store:
            self.update_request("DROP ALL")
            return
        query = (
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
            'FILTER(STRSTARTS(STR(?g), "https://w3id.org/lgkg/") '
            '|| STRSTARTS(STR(?g), "https://other.example/")) }'
        )
        url = self.query + "?" + urllib.parse.urlencode({"query": query})
        request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            rows = json.load(response)["results"]["bindings"]
        drops = [f"DROP SILENT GRAPH <{row['g']['value']}>" for row in rows]
        if drops:
            self.update_request(" ;\n".join(drops))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)


def wait_until_answering(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    """Poll ``url`` with an ASK until it answers 200; fail if the process dies or time runs out."""
    probe = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(probe, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds:g} s")


def start_oxigraph(binary: str, location: Path) -> SparqlServer:
    """``oxigraph serve --location DIR --bind 127.0.0.1:PORT``, ready to answer."""
    port = free_port()
    log = open(location.parent / "oxigraph-server.log", "wb")  # noqa: SIM115 (lives with the process)
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    server = SparqlServer(f"{base}/query", f"{base}/update", f"{base}/store", process)
    try:
        wait_until_answering(server.query, process)
    except RuntimeError:
        server.stop()
        raise
    return server


VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
Striping           = 0
TempStorage        = TempDatabase
[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
Striping           = 0
[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
DirsAllowed        = .
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
CaseMode           = 2
[HTTPServer]
ServerPort         = 127.0.0.1:{http_port}
ServerRoot         = {vsp}
ServerThreads      = 10
Charset            = UTF-8
[SPARQL]
ResultSetMaxRows       = 1000000
MaxQueryExecutionTime  = 120
"""
#: Let the anonymous SPARQL user update, through /sparql and /sparql-graph-crud (tests only).
VIRTUOSO_GRANTS = (
    "GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"
)


def start_virtuoso(folder: Path) -> SparqlServer:
    """Debian's Virtuoso 7 (``virtuoso-t``) with a fresh database in ``folder``.

    SPARQL query and update at ``/sparql``, the Graph Store Protocol at
    ``/sparql-graph-crud``; the anonymous user may write (a test database only).
    """
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if binary is None or isql is None:
        raise RuntimeError("virtuoso-t not found: apt-get install virtuoso-opensource-7")
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    vsp = Path("/var/lib/virtuoso-opensource-7/vsp")
    ini = folder / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(dir=folder, sql_port=sql_port, http_port=http_port, vsp=vsp),
        encoding="utf-8",
    )
    log = open(folder / "server.log", "wb")  # noqa: SIM115 (lives with the process)
    process = subprocess.Popen(
        [binary, "+foreground", "+configfile", str(ini)],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{http_port}"
    server = SparqlServer(f"{base}/sparql", f"{base}/sparql", f"{base}/sparql-graph-crud", process)
    try:
        wait_until_answering(server.query, process, seconds=120)
        subprocess.run(
            [isql, str(sql_port), "dba", "dba", f"exec={VIRTUOSO_GRANTS}"],
            check=True,
            capture_output=True,
            timeout=60,
        )
    except (RuntimeError, subprocess.SubprocessError):
        server.stop()
        raise
    return server
