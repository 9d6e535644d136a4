"""A reviewer names an article's outlet in the reader (O): kept by article hash, shown everywhere (issue 14, item 6)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from factdesk.annotations.storage.outlets import OUTLETS_KEY, parse_outlets, read_outlets, save_outlet
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus
from factdesk.tui.app import FactdeskApp
from factdesk.tui.commands import READER_COMMANDS


def make_app(folder: Path, db: Path) -> FactdeskApp:
    return FactdeskApp(load_corpus([folder]), Store.open(db), reviewer="alice")


async def ready(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.reader()
    assert screen.review is not None
    return screen


def test_o_is_a_reader_command() -> None:
    assert any(c.action == "set_outlet" and c.keys.split(",")[0] == "O" for c in READER_COMMANDS)


@pytest.mark.slow
async def test_reviewer_sets_the_outlet_and_it_survives_a_restart(seeds_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "marks.json"
    app = make_app(seeds_copy, db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        article = screen.view.analysis.article
        assert article.path.name.startswith("000_") and article.source == article.path.name  # names no outlet
        await pilot.press("O")
        await pilot.pause()
        assert type(app.screen).__name__ == "OutletScreen"
        await pilot.press("ctrl+u", *"Harbour Gazette", "enter")
        await pilot.pause()
        assert "Harbour Gazette" in str(screen.pane.header.render())
        assert screen.view.analysis.article.outlet_source == "reviewer"
    with Store.open(db) as store:  # on disk, by article hash
        assert read_outlets(store) == {article.id: "Harbour Gazette"}
    again = make_app(seeds_copy, db)
    async with again.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        assert screen.view.analysis.article.source == "Harbour Gazette"
        await pilot.press("O", "ctrl+u", "enter")  # empty: back to what the text names
        await pilot.pause()
        assert screen.view.analysis.article.source == article.path.name
    with Store.open(db) as store:
        assert read_outlets(store) == {}


def test_export_shows_the_reviewers_outlet(seeds_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "marks.json"
    first = load_corpus([seeds_copy]).articles[0]
    with Store.open(db) as store:
        save_outlet(store, first.id, "Harbour Gazette")
    result = subprocess.run(
        [sys.executable, "-m", "factdesk", "export", str(seeds_copy), "--db", str(db), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    sources = {s["article_id"]: s for s in json.loads(result.stdout)["sources"]}
    assert sources[first.id]["source"] == "Harbour Gazette"
    assert sources[first.id]["outlet_source"] == "reviewer"


def test_stored_outlets_are_validated_on_read(tmp_path: Path) -> None:
    damaged = {"outlets": {"abc": "  Valley\x1b[31m Post \n", "": "x", "d": 3, "e": "   "}}
    assert parse_outlets(damaged) == {"abc": "Valley␛[31m Post"}  # the escape made inert, the junk dropped
    assert parse_outlets({"outlets": ["not", "a", "map"]}) == {}
    assert parse_outlets(None) == {}
    with Store.open(tmp_path / "db.json") as store:
        store.set_state(OUTLETS_KEY, {"outlets": {"abc": 7, "def": "Kept"}})
    with Store.open(tmp_path / "db.json") as store:
        assert read_outlets(store) == {"def": "Kept"}


async def test_pane_header_shows_outlet_date_wire_and_file(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "000_0123456789abcdef.txt").write_text(
        "Bridge reopens\ndate 2024-01-02 Officials said the bridge reopened on Tuesday. Traffic resumed.\n"
        "(With files from AP)\nCopyright © 2024 Example News.net. All rights reserved\n"
    )
    (folder / "001_fedcba9876543210.txt").write_text("The river rose by a metre on Monday. Nobody was hurt.\n")
    app = make_app(folder, tmp_path / "marks.json")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        header = str(screen.panes[0].header.render())
        assert "Example News.net · 2024-01-02 · via AP · 000_0123456789abcdef.txt" in header
        plain = str(screen.panes[1].header.render())
        assert "001_fedcba9876543210.txt" in plain and "via" not in plain and plain.count("001_") == 1
