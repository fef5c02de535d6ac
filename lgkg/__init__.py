"""lgkg: a knowledge graph of UK local-government partnerships."""

__version__ = "0.1.0"
