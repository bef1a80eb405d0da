"""Errors a person should see, kept apart from bugs.

Anything derived from :class:`SafeSignalError` carries a message written for the person using
the app: what happened and, where it helps, what to do. Other exceptions are bugs.
"""


class SafeSignalError(Exception):
    """Base class of every error whose message is meant for the person using the app."""


class RatingError(SafeSignalError, ValueError):
    """A tension or pain rating outside the 0-10 scale."""


class PatternError(SafeSignalError, ValueError):
    """A breathing pattern that cannot be breathed (a phase too short, no exhale, ...)."""


class CatalogError(SafeSignalError):
    """An exercise file in resources/ that is malformed; the message names file and line."""


class TransitionError(SafeSignalError):
    """A session asked to do something its current state does not allow."""


class StoreError(SafeSignalError):
    """The database could not be opened, read or written."""


class DatabaseBusyError(StoreError):
    """Another program holds the database's write lock right now: nothing is wrong with the
    file or the disk, and the same write is likely to work in a moment."""


class DiskFullError(StoreError):
    """The disk (or the person's quota) has no room for the write; it works once there is."""


class NewerDatabaseError(StoreError):
    """The database was written by a newer Safe Signal; it is left untouched."""


class CorruptDatabaseError(StoreError):
    """The database file is damaged (SQLite's check failed, or it is not a database at all)."""


class BodyMapError(SafeSignalError):
    """The body map file in resources/ is malformed; the message names file and line."""


class ScriptError(SafeSignalError):
    """A guided exercise script in resources/ is malformed; the message names file and line."""


class ReminderError(SafeSignalError, ValueError):
    """Reminder settings that cannot work (no day chosen, hours that end before they start,
    ...) or saved reminder settings that cannot be read."""


class FolderInUseError(SafeSignalError):
    """Another Safe Signal (the app or a command) is using the data folder right now."""
