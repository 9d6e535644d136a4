"""What the reader does before its first frame: only what that frame needs (the text first, as fast as a bare app).

The first frame is timed against a bare Textual app (``bench/first_text.py``, ``bench/first_frame_cost.py``); these
tests hold the behaviour behind those figures: the modules the first frame is drawn without, the theme the
stylesheet is parsed in once, and no settings write on the way.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from textual.css.stylesheet import Stylesheet

from factdesk.annotations.storage.locations import settings_path
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus
from factdesk.tui.app import FactdeskApp
from factdesk.tui.theming import themes_folder

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from first_frame_cost import first_words, launch  # noqa: E402  (the probe the benchmark measures with)

# Loaded by the first frame before, none of them needed for it: the other commands' code, the claim cues (the
# inspector shows them with the first claim), the reviewer question (asked only without a name), the claim
# numbering (for `a`), importlib.resources and zipfile (to find the themes folder).
NOT_BEFORE_THE_FIRST_FRAME = (
    "factdesk.cli.analyze",
    "factdesk.cli.export",
    "factdesk.cli.databases",
    "factdesk.annotations.text.claims",
    "factdesk.tui.screens.reviewer",
    "factdesk.annotations.review.claim_numbers",
    "importlib.readers",
    "zipfile",
)
ANALYSIS = ("factdesk.annotations.pipeline", "factdesk.annotations.compare", "factdesk.annotations.ner", "numpy")


def test_the_first_frame_of_the_real_reader_loads_only_what_it_draws(tmp_path: Path) -> None:
    """``python -m factdesk`` (the seeds) in a real terminal, stopped at the write that puts the text on screen."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "PYTEST"))}
    env.update(TERM="xterm-256color", COLORTERM="truecolor", XDG_CACHE_HOME=str(tmp_path / "cache"))
    pattern = first_words(sorted((REPO / "seeds").glob("*.txt"))[0])
    report = launch([pattern, "", "factdesk", "--db", str(tmp_path / "db.json"), "--reviewer", "t"], env, (160, 48))
    loaded = set(report["names"])
    assert "factdesk.tui.screens.reader" in loaded and "factdesk.annotations.storage.store" in loaded
    assert sorted(loaded & set(NOT_BEFORE_THE_FIRST_FRAME)) == []
    assert sorted(m for m in loaded if m.startswith(ANALYSIS)) == []


def _counting_reparses(monkeypatch) -> list[int]:
    calls: list[int] = []
    reparse = Stylesheet.reparse

    def counted(self: Stylesheet) -> None:
        calls.append(1)
        reparse(self)

    monkeypatch.setattr(Stylesheet, "reparse", counted)
    return calls


async def test_the_chosen_theme_is_parsed_once_before_the_first_frame(seeds_copy: Path, tmp_path: Path, monkeypatch):
    """Set on mount, a theme re-parsed every stylesheet and restyled every widget before the first frame."""
    reparses = _counting_reparses(monkeypatch)
    light = json.loads((themes_folder() / "factdesk-light.json").read_text("utf-8"))
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(tmp_path / "db.json"), "alice", theme="factdesk-light")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        assert reparses == []
        assert app.theme == "factdesk-light" and app.current_theme.name == "factdesk-light"
        assert (
            app.has_class("-theme-factdesk-light") and app.has_class("-light-mode") and not app.has_class("-dark-mode")
        )
        assert app.get_css_variables()["fd-verified"] == light["variables"]["fd-verified"]
        assert app.screen.styles.background.hex.lower() == light["background"].lower()
        app.theme = "factdesk-dark"  # a switch from the palette still restyles everything, and is remembered
        await pilot.pause()
        assert reparses and not app.has_class("-theme-factdesk-light") and app.has_class("-dark-mode")
    assert json.loads(settings_path().read_text("utf-8"))["theme"] == "factdesk-dark"


async def test_an_unknown_theme_is_named_and_the_default_used(seeds_copy: Path, tmp_path: Path) -> None:
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(tmp_path / "db.json"), "alice", theme="no-such")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "factdesk-dark" and app.has_class("-theme-factdesk-dark")
        assert any("Unknown theme 'no-such'" in n.message for n in app._notifications)
    assert json.loads(settings_path().read_text("utf-8"))["theme"] == "factdesk-dark"


async def test_starting_in_the_remembered_theme_writes_no_settings(seeds_copy: Path, tmp_path: Path) -> None:
    """The settings file was replaced (fsync'ed) on every start; now only when the theme differs from it."""
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"theme": "factdesk-light", "reviewer": "alice"}), "utf-8")
    before = path.stat()
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(tmp_path / "db.json"), "alice")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert app.theme == "factdesk-light"
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
