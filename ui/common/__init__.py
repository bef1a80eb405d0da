"""Shared by every screen: theme, dialogs, keys, icons, timers, sound and speech."""
