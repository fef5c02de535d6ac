"""Extraction records to RDF, and the stores that hold it (``lgkg.graph``)."""
