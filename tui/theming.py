"""Themes are data: ``themes/*.json`` files become registered Textual themes.

The app-specific colours (one per entity kind, numbers, verdicts, the current claim,
headings) are theme *variables*, used by ``themes/factdesk.tcss`` as ``$fd-…`` (the verdict
colours by ``tui/verdict_style.py``). Every file is checked when it is loaded: one with a key
missing or a value that is not a colour is left out, and ``ThemeFileError`` names the file and
the key (the app shows it; no traceback). The chosen theme is remembered in the user's settings file.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from textual.color import Color, ColorParseError
from textual.theme import Theme

# The settings file is the domain's (the command line reads the reviewer name from it too); re-exported for the app.
from factdesk.annotations.storage.settings import load_settings as load_settings
from factdesk.annotations.storage.settings import save_setting as save_setting

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
# factdesk's own colours, as ``$fd-…`` in factdesk.tcss (verdicts: tui/verdict_style.py). Every theme file names
# each of them: a missing one is an error in the file, not a silent fallback.
FD_VARIABLES = (
    "fd-person",
    "fd-org",
    "fd-loc",
    "fd-norp",
    "fd-date",
    "fd-number",
    "fd-verified",
    "fd-disputed",
    "fd-misleading",
    "fd-unverifiable",
    "fd-needs-context",
    "fd-current",
    "fd-heading",
    "fd-boilerplate",
    "fd-note",
)


class ThemeFileError(ValueError):
    """A theme file that cannot be used: says which file, which key and what is wrong, in one line."""

    def __init__(self, path: Path, key: str | None, problem: str) -> None:
        self.path = path
        self.key = key
        self.problem = problem
        super().__init__(f"Theme file {path}: " + (f'"{key}" {problem}' if key else problem))


def themes_folder() -> Path:
    """The bundled themes' folder (found as the seeds are, by the package's file: ``importlib.resources`` would
    import a dozen modules, zipfile among them, before the first frame)."""
    from factdesk import themes

    return Path(themes.__file__).parent


def stylesheet() -> Path:
    return themes_folder() / "factdesk.tcss"


def theme_from_data(data: dict) -> Theme:
    return Theme(
        name=data["name"],
        dark=bool(data.get("dark", True)),
        variables=dict(data.get("variables", {})),
        **{key: data[key] for key in THEME_FIELDS if key in data},
    )


def _check_colour(path: Path, key: str, value: object) -> None:
    if not isinstance(value, str):
        raise ThemeFileError(path, key, f'is not a colour: {json.dumps(value)} (a colour is a string, e.g. "#7fc97f")')
    try:
        Color.parse(value)
    except ColorParseError as error:
        hint = f"; did you mean {error.suggested_color!r}?" if error.suggested_color else ' (e.g. "#7fc97f")'
        raise ThemeFileError(path, key, f"is not a colour: {value!r}{hint}") from None


def check_theme_data(path: Path, data: object) -> dict:
    """``data`` (a theme file's JSON) if it is a usable theme, else a ``ThemeFileError`` naming ``path`` and the key.

    A theme names itself, says whether it is dark, and gives every Textual base colour (``THEME_FIELDS``) and
    every factdesk colour (``FD_VARIABLES``, under ``variables``) as a colour Textual can parse.
    """
    if not isinstance(data, dict):
        raise ThemeFileError(path, None, "is not a JSON object")
    name = data.get("name")
    if name is None:
        raise ThemeFileError(path, "name", "is missing")
    if not isinstance(name, str) or not name.strip():
        raise ThemeFileError(path, "name", f"is not a theme name: {json.dumps(name)}")
    if "dark" not in data:
        raise ThemeFileError(path, "dark", "is missing (true or false)")
    if not isinstance(data["dark"], bool):
        raise ThemeFileError(path, "dark", f"is not true or false: {json.dumps(data['dark'])}")
    for key in THEME_FIELDS:
        if key not in data:
            raise ThemeFileError(path, key, "is missing")
        _check_colour(path, key, data[key])
    variables = data.get("variables")
    if variables is None:
        raise ThemeFileError(path, "variables", f"is missing (it holds {', '.join(FD_VARIABLES)})")
    if not isinstance(variables, dict):
        raise ThemeFileError(path, "variables", "is not a JSON object")
    for key in FD_VARIABLES:
        if key not in variables:
            raise ThemeFileError(path, key, 'is missing (under "variables")')
    for key, value in variables.items():
        if key in FD_VARIABLES or key.startswith("fd-"):
            _check_colour(path, key, value)
    return data


def read_theme_data(path: Path) -> dict:
    """The checked JSON of one theme file (``ThemeFileError`` if it cannot be read, parsed or used)."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ThemeFileError(path, None, f"cannot be read: {error}") from None
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ThemeFileError(path, None, f"is not valid JSON: {error}") from None
    return check_theme_data(path, data)


def load_theme_file(path: Path) -> Theme:
    """One theme file as a Textual theme, checked (the loader the app uses for every bundled theme)."""
    return theme_from_data(read_theme_data(path))


@lru_cache(maxsize=1)
def _theme_data() -> tuple[tuple[dict, ...], tuple[ThemeFileError, ...]]:
    """Every theme file in the themes folder, checked: the usable ones and the errors of the others."""
    found: list[dict] = []
    problems: list[ThemeFileError] = []
    for path in sorted(themes_folder().glob("*.json")):
        try:
            found.append(read_theme_data(path))
        except ThemeFileError as error:
            problems.append(error)
    return tuple(found), tuple(problems)


def bundled_themes() -> list[Theme]:
    """The usable bundled themes (``theme_problems`` says why any other is left out)."""
    return [theme_from_data(data) for data in _theme_data()[0]]


def theme_problems() -> list[ThemeFileError]:
    """The bundled theme files that could not be used, each naming its file and key; the app shows them."""
    return list(_theme_data()[1])


def default_variables() -> dict[str, str]:
    """The default theme's ``$fd-*`` values: fallbacks that let any theme render factdesk.

    Should the default theme's file be unusable, another bundled theme's values stand in (every usable theme
    has all of them), so the stylesheet still parses and the app can say what is wrong with the file.
    """
    usable = sorted(_theme_data()[0], key=lambda data: data["name"] != DEFAULT_THEME)
    return dict(usable[0]["variables"]) if usable else {}
