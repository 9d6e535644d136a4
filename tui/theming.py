"""Themes are data: ``themes/*.json`` files become registered Textual themes.

The app-specific colours (one per entity kind, numbers, verdicts, the current claim,
headings) are theme *variables*, used by ``themes/factdesk.tcss`` as ``$fd-…``. The
chosen theme is remembered in the user's settings file.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

from textual.theme import Theme

from factdesk.annotations.storage.atomic import atomic_write_text
from factdesk.annotations.storage.locations import settings_path

DEFAULT_THEME = "factdesk-dark"
THEME_FIELDS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "success",
    "warning",
    "error",
)


def themes_folder() -> Path:
    return Path(str(resources.files("factdesk.themes")))


def stylesheet() -> Path:
    return themes_folder() / "factdesk.tcss"


def theme_from_data(data: dict) -> Theme:
    return Theme(
        name=data["name"],
        dark=bool(data.get("dark", True)),
        variables=dict(data.get("variables", {})),
        **{key: data[key] for key in THEME_FIELDS if key in data},
    )


@lru_cache(maxsize=1)
def _theme_data() -> tuple[dict, ...]:
    return tuple(json.loads(p.read_text("utf-8")) for p in sorted(themes_folder().glob("*.json")))


def bundled_themes() -> list[Theme]:
    return [theme_from_data(data) for data in _theme_data()]


def default_variables() -> dict[str, str]:
    """The default theme's ``$fd-*`` values: fallbacks that let any theme render factdesk."""
    for data in _theme_data():
        if data["name"] == DEFAULT_THEME:
            return dict(data.get("variables", {}))
    return {}


def load_settings() -> dict:
    try:
        data = json.loads(settings_path().read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_setting(key: str, value: object) -> None:
    """Remember a preference; a read-only home must never break the app, so errors are swallowed."""
    settings = load_settings()
    settings[key] = value
    try:
        atomic_write_text(settings_path(), json.dumps(settings, indent=2))
    except OSError:
        pass
