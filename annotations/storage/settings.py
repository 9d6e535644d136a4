"""The user's preferences (theme, reviewer name) in one small JSON file, written crash-safe.

Lives in the domain, not the app, because the command line reads it too: ``factdesk export`` and the
reader must agree on whose name goes on marks. A settings file that is missing, unreadable or not a
JSON object reads as empty; a home that cannot be written only loses the preference (``save_setting``
says so), never the work.
"""

from __future__ import annotations

import json

from factdesk.annotations.storage.atomic import UnsafeLink, atomic_write_text, resolve_own_link
from factdesk.annotations.storage.locations import settings_path
from factdesk.annotations.text.textsafety import json_dumps_safe

REVIEWER_KEY = "reviewer"
MAX_REVIEWER_LENGTH = 80


def load_settings() -> dict:
    """Every remembered preference (``{}`` when there is no usable settings file)."""
    try:
        data = json.loads(settings_path().read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_setting(key: str, value: object) -> bool:
    """Remember one preference beside the others (atomic replace); False when the file could not be written."""
    settings = load_settings()
    settings[key] = value
    try:
        # A settings file the user linked on purpose (dotfiles) is written in place; anything else is replaced.
        atomic_write_text(resolve_own_link(settings_path()), json_dumps_safe(settings, indent=2))
    except (OSError, UnsafeLink):
        return False
    return True


def clean_reviewer(name: object) -> str:
    """A name fit for marks: one line, no control characters, trimmed ("" when nothing usable is left)."""
    from factdesk.annotations.text.textsafety import strip_controls

    if not isinstance(name, str):
        return ""
    return " ".join(strip_controls(name).split())[:MAX_REVIEWER_LENGTH]


def remembered_reviewer() -> str:
    """The reviewer name given once in the reader ("" when none was given yet)."""
    return clean_reviewer(load_settings().get(REVIEWER_KEY))


def remember_reviewer(name: str) -> bool:
    """Keep ``name`` for the next sessions; False when the settings file could not be written."""
    return save_setting(REVIEWER_KEY, clean_reviewer(name))
