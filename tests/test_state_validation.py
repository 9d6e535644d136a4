"""The saved reader position is untrusted input: a malformed one is ignored with a notice, never a crash.

The position lives in the database's state table, which anyone can edit and which merging used to copy in
from other people's files. Each case writes a hostile state into the file on disk, opens the reader with
Pilot, and checks that the reader came up on its default position, said so, kept every mark on disk and
wrote a good position back on quit. One article is never shown in two panes on resume.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factdesk.annotations.model import ClaimRef, Status
from factdesk.annotations.storage.reader_state import ReaderState
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus
from factdesk.tui.app import FactdeskApp
from factdesk.tui.screens.reader import ReaderScreen

NOTICE = "saved position was unreadable and was ignored"


def _write_raw_state(db: Path, key: str, raw: str) -> None:
    """Put ``raw`` (JSON text, possibly absurd) into the file as the state saved under ``key``."""
    data = json.loads(db.read_text(encoding="utf-8"))
    data["state"] = {"1": {"key": key, "state": "@@STATE@@"}}
    db.write_text(json.dumps(data).replace('"@@STATE@@"', raw), encoding="utf-8")


def _seed_db(db: Path, corpus_folder: Path) -> tuple[str, list[str]]:
    """A database holding one verified mark; returns the corpus key and the article ids in corpus order."""
    corpus = load_corpus([corpus_folder])
    from factdesk.annotations.pipeline.analysis import analyze
    from factdesk.annotations.review.review import Review

    store = Store.open(db)
    review = Review(analyze(corpus), store, "alice")
    first = corpus.articles[0].id
    claim = review.analysis.articles[0].claims[0]
    review.set_status(ClaimRef(first, claim.index), Status.VERIFIED)
    store.close()
    return corpus.key, [a.id for a in corpus.articles]


async def _open(corpus_folder: Path, db: Path):
    app = FactdeskApp(load_corpus([corpus_folder]), Store.open(db), reviewer="alice")
    return app


async def _ready(pilot) -> ReaderScreen:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.reader()
    assert screen.review is not None, "the reader did not load"
    return screen


def _shown(screen: ReaderScreen) -> list[str]:
    return [pane.view.analysis.article.id for pane in screen.panes]


HOSTILE = [
    '{"panes": [7]}',
    '{"panes": "000"}',
    '{"panes": {"article": "x"}}',
    '{"panes": [null, null]}',
    '{"panes": [{"article": 5, "claim": 0}]}',
    '{"panes": [{"article": "ARTICLE0", "claim": "3"}]}',
    '{"panes": [{"article": "ARTICLE0", "claim": -4}]}',
    '{"panes": [{"article": "ARTICLE0", "claim": 1e400}]}',
    '{"panes": [{"article": "ARTICLE0", "claim": 123456789012345678901234567890}]}',
    '{"panes": [{"article": "ARTICLE0", "claim": true}]}',
    '{"panes": [{"article": "ARTICLE0", "claim": ' + "[" * 200 + "]" * 200 + "}]}",
    '{"panes": [{}, {}, {}, {}, {}, {}, {}, {}]}',
    '{"focus": "1"}',
    '{"focus": -1}',
    '{"focus": 99999999999999999999999}',
    '{"focus": 1.5}',
]


@pytest.mark.parametrize("raw", HOSTILE)
async def test_a_hostile_saved_position_is_ignored_with_a_notice(seeds_copy: Path, tmp_path: Path, raw: str) -> None:
    db = tmp_path / "marks.json"
    key, ids = _seed_db(db, seeds_copy)
    _write_raw_state(db, key, raw.replace("ARTICLE0", ids[1]))
    app = await _open(seeds_copy, db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _ready(pilot)
        assert _shown(screen)[:3] == ids[:3]  # the default position
        assert screen.focused_pane == 0 and screen.view.cursor == 0
        assert any(NOTICE in str(n.message) for n in app._notifications)
        await pilot.press("q")
    assert app.return_code in (0, None)
    store = Store.open(db)
    try:
        assert [m.status for m in store.marks()] == [Status.VERIFIED]  # nothing lost
        saved = store.get_state(key)
    finally:
        store.close()
    assert ReaderState.from_json(saved) is not None  # quitting wrote a good position back


@pytest.mark.slow
async def test_a_good_position_resumes_without_a_notice(seeds_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "marks.json"
    _seed_db(db, seeds_copy)
    app = await _open(seeds_copy, db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _ready(pilot)
        await pilot.press("rightsquarebracket", "rightsquarebracket", "j", "j", "tab", "j")
        where = (_shown(screen)[:2], screen.panes[0].view.cursor, screen.panes[1].view.cursor)
        await pilot.press("q")
    again = await _open(seeds_copy, db)
    async with again.run_test(size=(160, 48)) as pilot:
        screen = await _ready(pilot)
        assert (_shown(screen)[:2], screen.panes[0].view.cursor, screen.panes[1].view.cursor) == where
        assert screen.focused_pane == 1
        assert not any(NOTICE in str(n.message) for n in again._notifications)
        await pilot.press("q")


async def test_a_position_naming_one_article_twice_shows_two_articles(seeds_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "marks.json"
    key, ids = _seed_db(db, seeds_copy)
    pane = {"article": ids[2], "claim": None}
    _write_raw_state(db, key, json.dumps({"panes": [pane, pane, pane], "focus": 1}))
    app = await _open(seeds_copy, db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _ready(pilot)
        shown = _shown(screen)
        assert shown[0] == ids[2] and len(set(shown)) == len(shown), shown
        assert screen.focused_pane == 1
        assert not any(NOTICE in str(n.message) for n in app._notifications)  # older readers wrote this
        await pilot.press("q")


async def test_a_vanished_second_article_does_not_double_the_first_pane(seeds_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "marks.json"
    key, ids = _seed_db(db, seeds_copy)
    app = await _open(seeds_copy, db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _ready(pilot)
        claim = screen.panes[1].view.analysis.claims[2].index
        await pilot.press("q")
    gone = "f" * len(ids[0])  # well formed, but no such article (e.g. the file was edited since)
    state = {"panes": [{"article": ids[1], "claim": claim}, {"article": gone, "claim": 3}], "focus": 0}
    _write_raw_state(db, key, json.dumps(state))
    app = await _open(seeds_copy, db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _ready(pilot)
        shown = _shown(screen)
        assert shown[0] == ids[1] and screen.panes[0].view.cursor == 2  # the first pane resumed
        assert len(set(shown)) == len(shown), shown
        assert shown[1] == ids[0]  # the first article no other pane shows
        assert not any(NOTICE in str(n.message) for n in app._notifications)  # an edit is normal, not damage
        await pilot.press("q")


def test_merging_copies_only_positions_that_validate(tmp_path: Path) -> None:
    theirs, ours = tmp_path / "theirs.json", tmp_path / "ours.json"
    good = {"panes": [{"article": "a" * 16, "claim": 4}], "focus": 0}
    store = Store.open(theirs)
    store.set_state("good", good)
    store.set_state("bad", {"panes": [7]})
    store.set_state("worse", {"focus": True})
    store.close()
    target, source = Store.open(ours), Store.open(theirs, read_only=True)
    try:
        target.absorb(source)
    finally:
        source.close()
        target.close()
    reread = Store.open(ours)
    try:
        assert reread.states() == {"good": good}
    finally:
        reread.close()


@pytest.mark.parametrize(
    ("data", "valid"),
    [
        (None, False),
        ([], False),
        ({}, True),
        ({"panes": [{"article": None, "claim": None}], "focus": 0}, True),
        ({"panes": [{"article": "a", "claim": 0}], "focus": 0, "scroll": 3}, True),  # newer keys are ignored
        ({"panes": [{"article": "a", "claim": 0}], "focus": 3}, False),
        ({"panes": [{"article": "", "claim": 0}]}, False),
        ({"panes": [{"article": "a" * 10_000, "claim": 0}]}, False),
        ({"panes": [{"article": "a", "claim": False}]}, False),
        ({"panes": [{"article": "a", "claim": 2.0}]}, False),
    ],
)
def test_the_schema_accepts_exactly_what_the_reader_writes(data: object, valid: bool) -> None:
    state = ReaderState.from_json(data)
    assert (state is not None) is valid
    if state is not None and isinstance(data, dict):
        assert ReaderState.from_json(state.to_json()) == state


def test_placement_never_repeats_an_article_while_there_are_enough() -> None:
    corpus = [("a", [0, 2]), ("b", [1]), ("c", [0])]
    saved = ReaderState.from_json({"panes": [{"article": "c", "claim": 0}, {"article": "gone", "claim": 1}]})
    assert saved is not None
    assert saved.placement(corpus, 3) == [(2, 0), (0, 0), (1, 0)]
    assert ReaderState().placement(corpus, 3) == [(0, 0), (1, 0), (2, 0)]
    twice = ReaderState.from_json({"panes": [{"article": "b", "claim": 1}, {"article": "b", "claim": 1}]})
    assert twice is not None and twice.placement(corpus, 3) == [(1, 0), (0, 0), (2, 0)]
    assert ReaderState().placement([("a", [0])], 2) == [(0, 0), (0, 0)]  # one article: it has to repeat
    assert ReaderState().placement([], 2) == []
