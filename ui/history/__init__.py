"""The history screen, its plots and its table."""
