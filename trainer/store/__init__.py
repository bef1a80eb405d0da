"""The SQLite store: open it with :class:`trainer.store.store.Store`; its table groups are
attributes (``store.profiles``, ``store.sessions``, ``store.regions``, ``store.preferences``,
``store.app_settings``, ``store.patterns``, ``store.resonance``), each in its own module.

``database`` opens the file and tells damage and a person's problems from bugs; ``migrations``
holds the schema's ordered steps; ``exchange`` reads and writes exports. Kept free of imports so
that the backups can read ``database`` and ``migrations`` without loading the whole store.
"""
