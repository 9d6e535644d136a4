"""The errors the mark store raises, in one small module every caller can import.

Why on their own: the reader, the CLI and the review layer catch these without
needing anything else from the storage package, and the modules that raise them
(:mod:`factdesk.annotations.storage.dbfile`, :mod:`factdesk.annotations.storage.store`)
share one hierarchy. ``str(e)`` is always a one-line message meant for a person.
"""

from __future__ import annotations

__all__ = ["DamagedDatabase", "NotAFactdeskDatabase", "ReadOnlyStore", "StoreError"]


class StoreError(Exception):
    """Anything the store refuses or fails to do. ``str(e)`` is a one-line message for a person."""


class NotAFactdeskDatabase(StoreError):
    """The path holds something that is not (or no longer provably is) a factdesk database."""


class DamagedDatabase(NotAFactdeskDatabase):
    """The file looks like ours but cannot be read (e.g. truncated); recovery is a human's call."""


class ReadOnlyStore(StoreError):
    """A write was attempted on a store opened read-only (a newer schema, or on request)."""
