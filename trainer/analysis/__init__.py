"""Numbers from the history: tables, statistics and the report's content."""
