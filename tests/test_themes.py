"""Themes are checked data, and verdict colours follow the theme everywhere (symbols stay without colour)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.text import Text

from factdesk.annotations.model import Status
from factdesk.annotations.review.verdicts import VERDICT_LABEL, VERDICT_SYMBOL, verdict_text
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus
from factdesk.tui import theming
from factdesk.tui.app import FactdeskApp
from factdesk.tui.theming import (
    FD_VARIABLES,
    THEME_FIELDS,
    ThemeFileError,
    bundled_themes,
    load_theme_file,
    theme_problems,
    themes_folder,
)
from factdesk.tui.verdict_style import verdict_styles
from factdesk.tui.widgets.inspector import Inspector


def bundled(name: str) -> dict:
    return json.loads((themes_folder() / f"{name}.json").read_text("utf-8"))


def write(folder: Path, name: str, data: object) -> Path:
    path = folder / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, "utf-8")
    return path


@pytest.fixture
def fresh_theme_cache():
    theming._theme_data.cache_clear()
    yield
    theming._theme_data.cache_clear()


def test_bundled_themes_are_complete() -> None:
    assert theme_problems() == []
    names = {theme.name for theme in bundled_themes()}
    assert {"factdesk-dark", "factdesk-light"} <= names
    for theme in bundled_themes():
        assert set(FD_VARIABLES) <= set(theme.variables), theme.name


def test_a_missing_key_names_the_file_and_the_key(tmp_path: Path) -> None:
    data = bundled("factdesk-dark")
    del data["variables"]["fd-verified"]
    path = write(tmp_path, "broken.json", data)
    with pytest.raises(ThemeFileError) as caught:
        load_theme_file(path)
    message = str(caught.value)
    assert str(path) in message and '"fd-verified" is missing' in message
    assert caught.value.path == path and caught.value.key == "fd-verified"
    assert "\n" not in message  # one line, for a notification or stderr

    data = bundled("factdesk-light")
    del data["surface"]
    with pytest.raises(ThemeFileError, match=r'broken-light\.json: "surface" is missing'):
        load_theme_file(write(tmp_path, "broken-light.json", data))


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("fd-disputed", "reddish", "not a colour: 'reddish'"),
        ("fd-current", 42, "not a colour: 42"),
        ("primary", "bleu", "not a colour: 'bleu'"),
        ("fd-verified", "", "not a colour: ''"),
    ],
)
def test_a_value_that_is_not_a_colour_names_the_file_and_the_key(
    tmp_path: Path, key: str, value: object, expected: str
) -> None:
    data = bundled("factdesk-dark")
    (data if key in THEME_FIELDS else data["variables"])[key] = value
    path = write(tmp_path, "bad-colour.json", data)
    with pytest.raises(ThemeFileError) as caught:
        load_theme_file(path)
    assert str(path) in str(caught.value) and f'"{key}" is {expected}' in str(caught.value)
    assert caught.value.key == key


def test_a_file_that_is_not_a_theme_says_so(tmp_path: Path) -> None:
    with pytest.raises(ThemeFileError, match=r"truncated\.json: is not valid JSON"):
        load_theme_file(write(tmp_path, "truncated.json", '{"name": "x", '))
    with pytest.raises(ThemeFileError, match=r"list\.json: is not a JSON object"):
        load_theme_file(write(tmp_path, "list.json", []))
    with pytest.raises(ThemeFileError, match=r'nameless\.json: "name" is missing'):
        load_theme_file(write(tmp_path, "nameless.json", {"dark": True}))
    with pytest.raises(ThemeFileError, match=r'dark\.json: "dark" is not true or false'):
        load_theme_file(write(tmp_path, "dark.json", {**bundled("factdesk-dark"), "dark": "yes"}))


async def test_the_app_leaves_a_broken_theme_out_and_says_why(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_theme_cache
) -> None:
    folder = tmp_path / "themes"
    folder.mkdir()
    write(folder, "factdesk-dark.json", bundled("factdesk-dark"))
    light = bundled("factdesk-light")
    light["variables"]["fd-disputed"] = "not-a-colour"
    broken = write(folder, "factdesk-light.json", light)
    monkeypatch.setattr(theming, "themes_folder", lambda: folder)

    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(tmp_path / "marks.json"), "alice", theme="factdesk-light")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert app.theme == "factdesk-dark"  # the broken theme is not offered; the default stands in
        messages = [n.message for n in app._notifications]
        assert any(str(broken) in m and '"fd-disputed" is not a colour' in m for m in messages), messages


def test_symbols_and_labels_are_one_table() -> None:
    assert [VERDICT_SYMBOL[s] for s in Status] == ["·", "✓", "✗", "~", "?", "!"]
    assert len(set(VERDICT_SYMBOL.values())) == len(Status)  # each verdict readable by its symbol alone (NO_COLOR)
    assert verdict_text(Status.VERIFIED) == "✓ Verified" and verdict_text(Status.DISPUTED) == "✗ Disputed"
    assert verdict_text(Status.UNREVIEWED) == VERDICT_LABEL[Status.UNREVIEWED] == "Unreviewed"


def _status_style(inspector: Inspector, label: str):
    content = inspector.content
    assert isinstance(content, Text)
    start = content.plain.index(label)
    return next(span.style for span in content.spans if span.start == start)


async def test_verdict_colours_follow_the_theme(seeds_copy: Path, tmp_path: Path) -> None:
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(tmp_path / "marks.json"), "alice", theme="factdesk-light")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        inspector = app.screen.query_one(Inspector)
        light = bundled("factdesk-light")["variables"]
        style = _status_style(inspector, "✓ Verified")
        assert style.bold and style.color.triplet.hex == light["fd-verified"]
        assert verdict_styles(app).disputed.color.triplet.hex == light["fd-disputed"]

        app.theme = "factdesk-dark"  # the inspector redraws in the new theme's colours
        await pilot.pause()
        await pilot.pause()
        dark = bundled("factdesk-dark")["variables"]
        assert _status_style(inspector, "✓ Verified").color.triplet.hex == dark["fd-verified"]

        app.theme = "textual-light"  # a theme without $fd-* variables: factdesk's defaults
        await pilot.pause()
        assert verdict_styles(app).verified.color.triplet.hex == dark["fd-verified"]


async def test_no_color_keeps_the_verdict_symbols(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(tmp_path / "marks.json"), "alice")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("v", "j", "d")
        await pilot.pause()
        assert app.no_color
        screen = app.export_screenshot()
        assert "✓" in screen and "✗" in screen and "✗&#160;Disputed" in screen
        for colour in ("fd-verified", "fd-disputed"):  # the colours themselves are gone
            assert bundled("factdesk-dark")["variables"][colour] not in screen
