"""Safe Signal's Qt-free core: breathing patterns, sessions, the catalog and the store."""

__version__ = "0.1.0"
