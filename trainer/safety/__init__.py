"""Keeping data safe: backups, the folder lock, paths, atomic files, the error log."""
