"""The app's start, main window, menus, file actions and desk tools; the only place that opens the store."""
