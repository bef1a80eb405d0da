"""The exercise lists and the pattern editor."""
