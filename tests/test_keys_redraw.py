"""Keys redraw what they changed, not the screen: j/k and v/d repaint their claims' lines and lay nothing out.

Why: from key to screen must stay within a frame (issue 15: median ≤ 16 ms). Textual's cost is per line
repainted, and a layout pass repaints every pane's scroll bar; a verdict key used to repaint every pane and
lay the screen out (pane header, inspector and status line updates), a cursor move the whole view. These tests
drive the real reader (Pilot) and count what is repainted; the last one checks that a save that also read
another session's writes still redraws those (the shortcut falls back to a full redraw).
"""

from __future__ import annotations

import gc
from dataclasses import replace
from pathlib import Path

import pytest

from factdesk.annotations.model import Status
from factdesk.annotations.review.anchor import make_anchor
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus
from factdesk.tui.app import FactdeskApp
from factdesk.tui.screens import reader as reader_module
from factdesk.tui.screens.reader import ReaderScreen
from factdesk.tui.widgets.article_view import ArticleView


async def ready(pilot) -> ReaderScreen:  # type: ignore[no-untyped-def]
    for _ in range(200):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.reader()
        if screen.review is not None:
            return screen
    raise AssertionError("the analysis never arrived")


def count_repaints(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[int]]:
    """Which display lines each article view is asked to render, by view id."""
    asked: dict[str, list[int]] = {}
    render_line = ArticleView.render_line

    def counted(view: ArticleView, y: int):  # type: ignore[no-untyped-def]
        asked.setdefault(view.id or "", []).append(y + view.scroll_offset.y)
        return render_line(view, y)

    monkeypatch.setattr(ArticleView, "render_line", counted)
    return asked


def count_layouts(screen: ReaderScreen) -> list[bool]:
    """Each full layout pass of the screen (a scroll's lighter pass is not one)."""
    passes: list[bool] = []
    layout = screen._refresh_layout

    def counted(size=None, scroll: bool = False) -> None:  # type: ignore[no-untyped-def]
        if not scroll:
            passes.append(True)
        layout(size, scroll)

    screen._refresh_layout = counted  # type: ignore[method-assign]
    return passes


def lines_of(view: ArticleView, position: int) -> set[int]:
    layout = view._layout
    assert layout is not None
    first, last = layout.sentence_lines[view.claims[position].index]
    return set(range(first, last + 1))


async def test_a_verdict_repaints_only_its_claim_and_lays_nothing_out(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(tmp_path / "marks.json"), reviewer="alice")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await pilot.pause(0.2)
        asked = count_repaints(monkeypatch)
        layouts = count_layouts(screen)
        view = screen.view
        for key in ("v", "d", "v"):
            asked.clear()
            await pilot.press(key)
            await pilot.pause()
            assert set(asked.get(view.id or "", [])) <= lines_of(view, 0), key
            assert set(asked) <= {view.id}, key  # the other pane shows another article: untouched
        assert layouts == []
        assert screen.review is not None and screen.review.status(view.current_ref) is Status.VERIFIED


async def test_moving_the_cursor_repaints_the_two_claims_only(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(tmp_path / "marks.json"), reviewer="alice")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await pilot.pause(0.2)
        asked = count_repaints(monkeypatch)
        layouts = count_layouts(screen)
        view = screen.view
        for key, before, after in (("j", 0, 1), ("j", 1, 2), ("k", 2, 1)):
            asked.clear()
            top = view.scroll_offset.y
            await pilot.press(key)
            await pilot.pause()
            assert view.cursor == after
            if view.scroll_offset.y == top:  # (a scroll repaints the view: its lines all moved)
                assert set(asked.get(view.id or "", [])) <= lines_of(view, before) | lines_of(view, after), key
            assert set(asked) <= {view.id}, key
        assert layouts == []


async def test_a_save_that_reads_another_sessions_marks_redraws_them(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bob marks a claim in the other pane; before the 1 s poll sees it, alice's v re-reads the file: both show."""
    monkeypatch.setattr(reader_module, "STORE_POLL_INTERVAL", 3600.0)  # only alice's save can pick bob's mark up
    db = tmp_path / "marks.json"
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(db), reviewer="alice")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        other = screen.panes[1].view
        assert other.analysis is not None and other.analysis.article.id != screen.view.analysis.article.id
        claim = other.claims[0]
        text = other.analysis.article.text
        await pilot.pause(0.2)

        def gutter_on_screen() -> str:
            """The other pane's gutter on its first claim's first line, as the compositor shows it now."""
            row = other.region.y + min(lines_of(other, 0)) - other.scroll_offset.y
            strip = app.screen._compositor.render_strips()[row]
            return strip.crop(other.region.x, other.region.x + 6).text

        assert "✓" not in gutter_on_screen()
        bob = Store.open(db)
        bob.set_status(other.analysis.article.id, make_anchor(text, claim.start, claim.end), Status.VERIFIED, "bob")
        bob.close()
        await pilot.press("d")
        await pilot.pause()
        assert screen.review is not None and screen.review.status(other.current_ref) is Status.VERIFIED
        assert "✓" in gutter_on_screen()


class _CountedArticles(tuple):  # type: ignore[type-arg]
    """The corpus' articles, counting every walk over them."""

    walks = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        _CountedArticles.walks += 1
        return super().__iter__()


async def test_keys_never_walk_the_corpus(seeds_copy: Path, tmp_path: Path) -> None:
    """j, k, v and d cost the same with 5 articles or 500, 20 claims or 60,000: none walks the articles or claims."""
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(tmp_path / "marks.json"), reviewer="alice")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        review = screen.review
        assert review is not None
        review.analysis = replace(review.analysis, articles=_CountedArticles(review.analysis.articles))
        review.analysis.by_id(review.analysis.articles[0].article.id)  # (a dict built once, on first use)
        shown = screen.view.analysis
        assert shown is not None
        shown.claim_position(0)  # (its dict of positions, and the history's table of its claim spans: built once)
        first = screen.view.current_ref
        assert first is not None
        review.set_status(first, Status.DISPUTED)
        review.history(first)
        review.clear(first)
        shown.__dict__["claims"] = _CountedArticles(shown.claims)  # and the article's claims: an article may
        await pilot.pause(0.2)  # have 60,000 of them
        _CountedArticles.walks = 0
        for key in ("j", "v", "j", "d", "k", "v"):
            await pilot.press(key)
            await pilot.pause()
        assert _CountedArticles.walks == 0


async def test_the_analysis_is_kept_out_of_the_collectors_full_passes(seeds_copy: Path, tmp_path: Path) -> None:
    """Once the analysis is shown it is frozen (``gc.freeze``): a full collection would otherwise walk all of it —
    0.35–0.6 s on 500 articles — in the middle of some key press. The app thaws it when it ends."""
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(tmp_path / "marks.json"), reviewer="alice")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        assert screen.review is not None
        analysis = screen.review.analysis.articles[0]
        assert gc.get_freeze_count() > 0
        assert not any(found is analysis for found in gc.get_objects())  # not in any generation a pass walks
    assert gc.get_freeze_count() == 0
