"""Errors raised for documents that cannot be read.

>>> e = BadInput("notes.pdf", "binary file (PDF), not text")
>>> str(e)
'notes.pdf: binary file (PDF), not text'
"""

from __future__ import annotations


class BadInput(Exception):
    """A document (file path or URL, as given) that cannot be read, and why."""

    def __init__(self, document: str, reason: str) -> None:
        super().__init__(f"{document}: {reason}")
        self.document = document
        self.reason = reason

    def __reduce__(self):  # keep pickling (multiprocessing) working with two arguments
        return (type(self), (self.document, self.reason))
