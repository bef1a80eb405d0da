"""Drawn things that know nothing of the store: pacers, body map, fitted text."""
