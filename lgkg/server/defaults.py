"""The defaults of ``lgkg serve``'s limits, shared by :class:`~lgkg.server.app.ServerConfig`,
the worker processes and the command line (whose ``--help`` shows them).

The limits on a query's text (size, nesting, chains, VALUES) are
:class:`lgkg.graph.sparql_scan.QueryLimits`.
"""

TIMEOUT = 30.0  # seconds an operation may take, queueing included
MAX_ROWS = 10_000  # rows (or triples) of one result
WORKERS = 4  # general worker processes
FAST_LANES = 1  # more workers kept for short queries
FAST_SECONDS = 0.5  # what a fast lane gives one query
MAX_QUEUE = 256  # operations waiting for a worker
MAX_BODY_BYTES = 8 * 1024 * 1024  # a request body
MAX_RESULT_BYTES = 32 * 1024 * 1024  # a result
WORKER_MEMORY_MB = 2048  # what one operation may allocate in its worker
