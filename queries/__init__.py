"""Named SPARQL queries (``lgkg.queries``)."""
