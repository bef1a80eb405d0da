"""What is practised: breathing patterns, the catalog, guided scripts, the body map."""
