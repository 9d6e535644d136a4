"""The claims list (``l``): filters that combine, each value's count, enter jumps; search highlights; pane progress.

The filters are tested pure on a hand-made analysis and hand-made marks (every combination's answer is known), then
through the reader with Pilot: the list narrows as keys toggle filters, its counts change, enter puts the claim under
the focused pane's cursor, and what it lists agrees with the store read back from disk.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import article, corpus

from factdesk.annotations.model import ClaimRef, Conflict, ConflictMention, CorpusAnalysis, Mark, NumberMention, Status
from factdesk.annotations.review.anchor import make_anchor
from factdesk.annotations.review.claim_filters import (
    CONFLICT,
    ENTITY,
    EVIDENCE,
    NOTE,
    OUTLET,
    REVIEWER,
    UNREVIEWED,
    VERDICT,
    ClaimFilters,
    ClaimIndex,
    has_evidence,
    index_review,
)
from factdesk.annotations.review.review import Review
from factdesk.annotations.review.verdicts import VERDICTS
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus
from factdesk.tui.app import FactdeskApp
from factdesk.tui.commands import READER_COMMANDS
from factdesk.tui.screens.claims_list import ClaimsListScreen, FilterPickerScreen
from factdesk.tui.widgets.claim_rows import ClaimRows

# --- the filters, pure ------------------------------------------------------------------------------------------------


def _analysis() -> CorpusAnalysis:
    """Three outlets, three claims each (numbers 0-2, 3-5, 6-8 in reading order)."""
    return corpus(
        article("alpha", ["Troops entered Homs.", "The mayor fled.", "Nobody was hurt."]),
        article("beta", ["Troops entered Homs at dawn.", "The mayor stayed.", "Five were hurt."]),
        article("gamma", ["Homs fell.", "The mayor spoke.", "Markets closed."]),
    )


def _mark(analysis: CorpusAnalysis, ref: ClaimRef, status: Status, reviewer: str, note: str = "", **extra) -> Mark:
    found = analysis.by_id(ref.article)
    assert found is not None
    sentence = found.sentences[ref.sentence]
    anchor = make_anchor(found.article.text, sentence.start, sentence.end)
    return Mark(ref.article, anchor, status, note, reviewer, "2026-12-07T12:00:00Z", dict(extra))


@pytest.fixture
def index() -> ClaimIndex:
    """alice: alpha 0 verified, alpha 1 disputed (noted), beta 0 verified (evidence); bob: alpha 1 verified,
    gamma 2 misleading (noted). Shown: alice's own where she has one. Conflicts: alpha 2 and beta 2."""
    analysis = _analysis()
    a0, a1, a2 = (ClaimRef("alpha", i) for i in range(3))
    b0, b2 = ClaimRef("beta", 0), ClaimRef("beta", 2)
    g2 = ClaimRef("gamma", 2)
    alice = {
        a0: _mark(analysis, a0, Status.VERIFIED, "alice"),
        a1: _mark(analysis, a1, Status.DISPUTED, "alice", "one source"),
        b0: _mark(analysis, b0, Status.VERIFIED, "alice", evidence=[{"url": "https://example.org/a"}]),
    }
    bob = {
        a1: _mark(analysis, a1, Status.VERIFIED, "bob"),
        g2: _mark(analysis, g2, Status.MISLEADING, "bob", "headline overstates"),
    }
    marks: dict[ClaimRef, dict[str, Mark]] = {}
    for name, given in (("alice", alice), ("bob", bob)):
        for ref, mark in given.items():
            marks.setdefault(ref, {})[name] = mark
    shown = {ref: reviewers.get("alice") or reviewers["bob"] for ref, reviewers in marks.items()}
    number = NumberMention(0, 1, "5", 5.0, None, None)
    conflict = Conflict("hurt", (ConflictMention(a2, number), ConflictMention(b2, number)))
    return ClaimIndex.build(analysis, marks, shown, [m.ref for m in conflict.mentions])


def test_no_filter_lists_every_claim_in_reading_order(index: ClaimIndex) -> None:
    assert index.size == 9
    assert index.matching(ClaimFilters()) == list(range(9))
    assert [index.refs[n] for n in (0, 3, 8)] == [ClaimRef("alpha", 0), ClaimRef("beta", 0), ClaimRef("gamma", 2)]


def test_each_kind_alone(index: ClaimIndex) -> None:
    f = ClaimFilters()
    assert index.matching(f.with_values(VERDICT, [Status.VERIFIED])) == [0, 3]
    assert index.matching(f.with_values(VERDICT, [Status.DISPUTED])) == [1]  # alice's own shows, not bob's
    assert index.matching(f.with_values(VERDICT, [Status.MISLEADING])) == [8]
    assert index.matching(f.with_values(REVIEWER, ["bob"])) == [1, 8]
    assert index.matching(f.with_values(OUTLET, ["beta"])) == [3, 4, 5]
    assert index.matching(f.flag_toggled(NOTE)) == [1, 8]
    assert index.matching(f.flag_toggled(EVIDENCE)) == [3]
    assert index.matching(f.flag_toggled(CONFLICT)) == [2, 5]
    assert index.matching(f.flag_toggled(UNREVIEWED)) == [2, 4, 5, 6, 7]


def test_a_set_within_a_kind_and_and_across_kinds(index: ClaimIndex) -> None:
    f = ClaimFilters().with_values(VERDICT, [Status.VERIFIED, Status.MISLEADING])
    assert index.matching(f) == [0, 3, 8]  # any of the chosen verdicts
    assert index.matching(f.with_values(OUTLET, ["alpha", "gamma"])) == [0, 8]  # and any of the outlets
    assert index.matching(f.with_values(OUTLET, ["alpha"]).with_values(REVIEWER, ["bob"])) == []
    both = ClaimFilters().flag_toggled(UNREVIEWED).flag_toggled(CONFLICT)
    assert index.matching(both) == [2, 5]
    assert index.matching(both.with_values(OUTLET, ["beta"])) == [5]


def test_counts_are_each_value_given_the_other_filters(index: ClaimIndex) -> None:
    none = ClaimFilters()
    verdicts = index.counts(none, VERDICT)
    assert list(verdicts) == list(VERDICTS)  # every verdict of the scale, in its order, none hard-coded
    assert (verdicts[Status.VERIFIED], verdicts[Status.DISPUTED], verdicts[Status.MISLEADING]) == (2, 1, 1)
    assert index.counts(none, OUTLET) == {"alpha": 3, "beta": 3, "gamma": 3}
    assert index.counts(none, REVIEWER) == {"alice": 3, "bob": 2}
    beta = none.with_values(OUTLET, ["beta"])
    assert index.counts(beta, VERDICT)[Status.VERIFIED] == 1
    assert index.counts(beta, UNREVIEWED) == {UNREVIEWED: 2}
    assert index.counts(beta, OUTLET) == {"alpha": 3, "beta": 3, "gamma": 3}  # a kind's own choice left out
    chosen = beta.with_values(VERDICT, [Status.VERIFIED])
    assert index.counts(chosen, OUTLET) == {"alpha": 1, "beta": 1, "gamma": 0}
    assert index.counts(chosen, VERDICT)[Status.DISPUTED] == 0  # disputed in beta: none
    assert index.counts(chosen, EVIDENCE) == {EVIDENCE: 1}


def test_cycling_and_toggling() -> None:
    f = ClaimFilters()
    steps = [f := f.cycled(VERDICT, VERDICTS) for _ in range(len(VERDICTS) + 1)]
    assert [s.verdicts for s in steps[:-1]] == [frozenset({v}) for v in VERDICTS]
    assert steps[-1].verdicts == frozenset()  # past the last: no verdict filter
    g = ClaimFilters().toggled(OUTLET, "a").toggled(OUTLET, "b")
    assert g.outlets == {"a", "b"} and g.toggled(OUTLET, "a").outlets == {"b"}
    assert ClaimFilters().flag_toggled(NOTE).flag_toggled(NOTE) == ClaimFilters()
    assert not ClaimFilters().active and g.active


def test_entities_are_added_on_first_use(index: ClaimIndex) -> None:
    assert not index.entities_known
    index.add_entities([("Homs", [ClaimRef("alpha", 0), ClaimRef("beta", 0), ClaimRef("gamma", 0)])])
    homs = ClaimFilters().with_values(ENTITY, ["Homs"])
    assert index.matching(homs) == [0, 3, 6]
    assert index.matching(homs.with_values(VERDICT, [Status.VERIFIED])) == [0, 3]
    assert index.counts(ClaimFilters().flag_toggled(UNREVIEWED), ENTITY) == {"Homs": 1}


def test_evidence_is_read_defensively() -> None:
    analysis = _analysis()
    ref = ClaimRef("alpha", 0)

    def mark(**extra) -> Mark:
        return _mark(analysis, ref, Status.VERIFIED, "alice", **extra)

    assert has_evidence(mark(evidence=[{"url": "https://example.org"}]))
    assert not has_evidence(mark())
    assert not has_evidence(mark(evidence=[]))
    assert not has_evidence(mark(evidence="https://example.org"))  # not a list: an older or hand-edited record
    assert not has_evidence(mark(evidence={"url": "x"}))


def test_the_list_is_a_reader_command_with_a_footer_hint() -> None:
    command = next(c for c in READER_COMMANDS if c.action == "claims_list")
    assert command.keys.split(",")[0] == "l" and command.show and command.help
    assert any(c.action == "clear_search" and c.keys == "escape" for c in READER_COMMANDS)
    from factdesk.tui.screens.reader import ReaderScreen

    # The palette offers (and the help lists) every command the reader screen has an action for.
    assert hasattr(ReaderScreen, "action_claims_list") and hasattr(ReaderScreen, "action_clear_search")


def test_opening_500_articles_worth_of_claims_is_fast(tmp_path: Path) -> None:
    """60,000 claims: the index is built and a toggle answered well under the time a reviewer notices."""
    import time

    sentences = [f"Claim number {i} says something about the town." for i in range(120)]
    analysis = corpus(*(article(f"art{n:03d}", sentences) for n in range(500)))
    store = Store.open(tmp_path / "marks.json")
    review = Review(analysis, store, "alice")
    start = time.perf_counter()
    index = index_review(review)
    built = time.perf_counter() - start
    assert index.size == 60_000
    start = time.perf_counter()
    f = ClaimFilters().flag_toggled(UNREVIEWED).with_values(OUTLET, ["art007", "art400"])
    rows = index.matching(f)
    for kind in (VERDICT, REVIEWER, OUTLET, NOTE, EVIDENCE, CONFLICT, UNREVIEWED):
        index.counts(f, kind)
    toggled = time.perf_counter() - start
    assert len(rows) == 240
    assert built < 2.0 and toggled < 0.5, (built, toggled)


# --- through the reader -----------------------------------------------------------------------------------------------


def make_app(folder: Path, db: Path) -> FactdeskApp:
    return FactdeskApp(load_corpus([folder]), Store.open(db), reviewer="alice")


async def ready(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.reader()
    assert screen.review is not None
    return screen


def _line(screen: ClaimsListScreen) -> str:
    return str(screen.query_one("#claims-filters").render())


def _counts(screen: ClaimsListScreen) -> str:
    return str(screen.query_one("#claims-counts").render()).replace("\u00a0", " ")  # (no-break spaces within items)


def _plant_bob(db: Path, folder: Path) -> tuple[ClaimRef, str]:
    """Bob's disputed mark with evidence on the third article's second claim, written before the reader opens."""
    from factdesk.annotations.pipeline.analysis import analyze

    analysis = analyze(load_corpus([folder]))
    target = analysis.articles[2]
    sentence = target.claims[1]
    ref = ClaimRef(target.article.id, sentence.index)
    anchor = make_anchor(target.article.text, sentence.start, sentence.end)
    evidence = {"evidence": [{"url": "https://example.org/report"}]}
    mark = Mark(ref.article, anchor, Status.DISPUTED, "", "bob", "2026-12-07T12:00:00Z", evidence)
    store = Store.open(db)
    store.add_marks([mark])
    store.close()
    return ref, target.sentence_text(sentence)


@pytest.mark.slow
async def test_l_opens_the_list_filters_narrow_it_and_enter_jumps(seeds_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "marks.json"
    bob_ref, bob_text = _plant_bob(db, seeds_copy)
    app = make_app(seeds_copy, db)
    async with app.run_test(size=(160, 48)) as pilot:
        reader = await ready(pilot)
        total = sum(len(a.claims) for a in reader.review.analysis.articles)
        await pilot.press("v", "j", "j", "d", "n", *"check the figure", "ctrl+s")
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClaimsListScreen)
        rows = screen.query_one(ClaimRows)
        assert len(rows.rows) == total and f"{total} of {total} claims · no filter" in _line(screen)
        assert "✓ 1 ✗ 2" in _counts(screen)  # alice's verified, alice's and bob's disputed

        await pilot.press("v")  # the first verdict of the scale: verified
        await pilot.pause()
        assert len(rows.rows) == 1 and f"1 of {total} claims · ✓ Verified" in _line(screen)
        await pilot.press("v")  # disputed
        await pilot.pause()
        assert len(rows.rows) == 2
        assert "r alice 1 bob 1" in _counts(screen)  # each reviewer's count given the verdict filter
        await pilot.press("E")  # and has evidence: bob's only
        await pilot.pause()
        assert [rows.index.refs[n] for n in rows.rows] == [bob_ref]
        assert "has evidence" in _line(screen) and "✗ 1" in _counts(screen)
        await pilot.press("E", "n")  # evidence off, note on: alice's disputed claim with its note
        await pilot.pause()
        assert len(rows.rows) == 1 and rows.index.refs[rows.rows[0]] != bob_ref
        await pilot.press("x")
        await pilot.pause()
        assert len(rows.rows) == total and "no filter" in _line(screen)

        # What the list shows is what the store holds on disk.
        await pilot.press("v", "v")
        await pilot.pause()
        on_disk = Store.open(db)
        disputed = {(m.article_id, m.anchor.quote) for m in on_disk.marks() if m.status is Status.DISPUTED}
        on_disk.close()
        analysis = reader.review.analysis
        listed = set()
        for number in rows.rows:
            ref = rows.index.refs[number]
            found = analysis.by_id(ref.article)
            listed.add((ref.article, found.sentence_text(found.sentences[ref.sentence])))
        assert listed == disputed and (bob_ref.article, bob_text) in listed

        # Enter jumps to bob's claim in the focused pane: the list closes, the claim is the cursor, in view.
        await pilot.press("E")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is reader
        assert reader.view.current_ref == bob_ref
        view = reader.view
        first, last = view._layout.sentence_lines[bob_ref.sentence]
        top = view.scroll_offset.y
        assert top <= first and last < top + view.scrollable_content_region.height


@pytest.mark.slow
async def test_the_outlet_picker_types_ahead_and_the_filters_are_kept(seeds_copy: Path, tmp_path: Path) -> None:
    app = make_app(seeds_copy, tmp_path / "marks.json")
    async with app.run_test(size=(160, 48)) as pilot:
        reader = await ready(pilot)
        outlet = reader.review.analysis.articles[1].article.source
        claims = len(reader.review.analysis.articles[1].claims)
        await pilot.press("l", "o")
        await pilot.pause()
        assert isinstance(app.screen, FilterPickerScreen)
        await pilot.press(*outlet[:5], "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClaimsListScreen)
        assert len(screen.query_one(ClaimRows).rows) == claims and f"outlet {outlet}" in _line(screen)
        await pilot.press("escape", "l")  # closed and opened again: the same filters
        await pilot.pause()
        assert f"outlet {outlet}" in _line(app.screen)
        await pilot.press("e")  # the entity picker lists names with their counts
        await pilot.pause()
        assert isinstance(app.screen, FilterPickerScreen) and app.screen.shown


# --- search hits highlighted; a search with no hits says so -----------------------------------------------------------


def _highlighted(view, word: str) -> list[str]:
    """The underlined runs of ``word`` in the lines on screen (the highlight's non-colour form)."""
    found = []
    for y in range(view.scrollable_content_region.height):
        for segment in view.render_line(y):
            if segment.style and segment.style.underline and segment.text.casefold() == word:
                found.append(segment.text)
    return found


async def test_search_hits_are_highlighted_until_escape(seeds_copy: Path, tmp_path: Path) -> None:
    app = make_app(seeds_copy, tmp_path / "marks.json")
    async with app.run_test(size=(160, 48)) as pilot:
        reader = await ready(pilot)
        assert not _highlighted(reader.view, "damascus")
        await pilot.press("slash", *"damascus", "enter")
        await pilot.pause()
        assert app.screen is reader
        assert "damascus" in reader.view.analysis.sentence_text(reader.view.current).casefold()  # the hit
        assert _highlighted(reader.view, "damascus")
        highlight = reader.view.get_component_rich_style("article--search")
        assert highlight.underline and highlight.bgcolor is not None  # colour from the theme, and underlined
        assert "search 'damascus'" in str(reader.query_one("#status-line").render())
        await pilot.press("escape")
        await pilot.pause()
        assert not _highlighted(reader.view, "damascus")
        assert "search cleared" in str(reader.query_one("#status-line").render())


@pytest.mark.slow
async def test_a_search_with_no_hits_says_so(seeds_copy: Path, tmp_path: Path) -> None:
    app = make_app(seeds_copy, tmp_path / "marks.json")
    async with app.run_test(size=(160, 48)) as pilot:
        reader = await ready(pilot)
        await pilot.press("slash", *"damascus", "enter", "slash", *"xyzzy")
        await pilot.pause()
        assert str(app.screen.query_one("#search-empty").render()) == "No claims match 'xyzzy'"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is reader
        assert "No claims match 'xyzzy'" in str(reader.query_one("#status-line").render())
        assert not _highlighted(reader.view, "damascus")  # a new search replaced the last one's highlight


# --- each pane's progress ---------------------------------------------------------------------------------------------


async def test_the_pane_header_shows_progress_and_follows_marks(seeds_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "marks.json"
    app = make_app(seeds_copy, db)
    async with app.run_test(size=(160, 48)) as pilot:
        reader = await ready(pilot)
        claims = len(reader.view.claims)
        header = lambda: str(reader.pane.header.render())  # noqa: E731
        assert f"0/{claims} reviewed" in header()
        await pilot.press("v", "j", "d")
        await pilot.pause()
        assert f"2/{claims} reviewed" in header()
        await pilot.press("u")
        await pilot.pause()
        assert f"1/{claims} reviewed" in header()
        other = str(reader.panes[1].header.render())
        assert f"0/{len(reader.panes[1].view.claims)} reviewed" in other
    on_disk = Store.open(db)
    assert len([m for m in on_disk.marks() if m.status is not Status.UNREVIEWED]) == 1
    on_disk.close()


async def test_a_click_moves_the_list_cursor_and_a_double_click_jumps(seeds_copy: Path, tmp_path: Path) -> None:
    app = make_app(seeds_copy, tmp_path / "marks.json")
    async with app.run_test(size=(160, 48)) as pilot:
        reader = await ready(pilot)
        await pilot.press("l")
        await pilot.pause()
        rows = app.screen.query_one(ClaimRows)
        await pilot.click(ClaimRows, offset=(10, 3))
        await pilot.pause()
        assert rows.cursor == 3
        target = rows.current
        await pilot.click(ClaimRows, offset=(10, 3), times=2)
        await pilot.pause()
        assert app.screen is reader and reader.view.current_ref == target
