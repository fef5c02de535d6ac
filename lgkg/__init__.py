"""lgkg: a knowledge graph of UK local-government partnerships.

``lgkg.open(store_or_endpoint)`` opens the graph for Python and notebooks
(see :mod:`lgkg.api`); it is imported on first use, so ``import lgkg`` stays light.
"""

from __future__ import annotations

import importlib.metadata
from typing import TYPE_CHECKING, Any

__version__ = importlib.metadata.version("lgkg")  # the installed distribution's (pyproject)
__all__ = ["Graph", "__version__", "open"]

if TYPE_CHECKING:
    from lgkg.api import Graph, open


def __getattr__(name: str) -> Any:
    if name in ("Graph", "open"):
        from lgkg import api

        return getattr(api, name)
    raise AttributeError(f"module 'lgkg' has no attribute {name!r}")
