"""The SQLite store: connection, migrations, and one module per table group."""
