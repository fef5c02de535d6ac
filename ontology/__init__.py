"""The lgkg ontology, SHACL shapes and reference vocabularies (data files)."""
