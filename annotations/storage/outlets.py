"""Outlet names a reviewer set by hand, kept in the marks database by article hash.

The text does not always say who published it (an excerpt cut before its copyright
line, a file saved as ``000_b2a9….txt``), so the reviewer can name the outlet once and
every later session and export shows that name. The names are review data about the
corpus, so they live beside the marks rather than in the per-user settings file.

Stored as one record of the state table under :data:`OUTLETS_KEY` —
``{"outlets": {article_id: name}}`` — written through :meth:`Store.set_state` (atomic,
and a concurrent writer's change is merged like any state). It is read back as untrusted
input: :func:`read_outlets` keeps only string ids of a sane length mapped to a cleaned,
non-empty name, and drops anything else rather than failing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

__all__ = ["MAX_OUTLET_LENGTH", "OUTLETS_KEY", "clean_outlet", "read_outlets", "save_outlet"]

#: The state-table key; the reader's own positions are keyed by 16-hex corpus keys, never this.
OUTLETS_KEY = "outlets"
MAX_OUTLET_LENGTH = 80
_MAX_ID_LENGTH = 128
_MAX_ENTRIES = 100_000


class StateStore(Protocol):
    def get_state(self, key: str) -> dict | None: ...

    def set_state(self, key: str, state: dict) -> None: ...


def clean_outlet(name: object) -> str:
    """A name fit for a pane header and a brief: one line, no control characters, trimmed ("" if none)."""
    from factdesk.annotations.text.textsafety import strip_controls

    if not isinstance(name, str):
        return ""
    return " ".join(strip_controls(name).split())[:MAX_OUTLET_LENGTH]


def parse_outlets(state: object) -> dict[str, str]:
    """The valid ``{article_id: name}`` entries of a stored record (``{}`` for anything malformed)."""
    if not isinstance(state, Mapping):
        return {}
    table = state.get("outlets")
    if not isinstance(table, Mapping):
        return {}
    found: dict[str, str] = {}
    for article_id, name in list(table.items())[:_MAX_ENTRIES]:
        if not isinstance(article_id, str) or not 0 < len(article_id) <= _MAX_ID_LENGTH:
            continue
        cleaned = clean_outlet(name)
        if cleaned:
            found[article_id] = cleaned
    return found


def read_outlets(store: StateStore) -> dict[str, str]:
    """Every outlet a reviewer set, by article id."""
    return parse_outlets(store.get_state(OUTLETS_KEY))


def save_outlet(store: StateStore, article_id: str, name: str) -> str:
    """Set the outlet of ``article_id`` (an empty name removes the reviewer's choice); returns the name kept."""
    if not isinstance(article_id, str) or not 0 < len(article_id) <= _MAX_ID_LENGTH:
        raise ValueError("an article id is a short content hash")
    outlets = read_outlets(store)
    cleaned = clean_outlet(name)
    if cleaned:
        outlets[article_id] = cleaned
    else:
        outlets.pop(article_id, None)
    store.set_state(OUTLETS_KEY, {"outlets": outlets})
    return cleaned
