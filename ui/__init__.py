"""Safe Signal's widgets: thin views over the ``trainer`` core, built and wired in ``ui.shell.app``."""
