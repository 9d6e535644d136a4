"""Fragments (issue 16, item 3): part of a claim — or a span of two adjacent sentences — marked on its own, anchored by
quote and context and found again after edits; selected by keyboard (x, word steps); never counted in the claim's own
verdict; carried by the brief, the JSON brief and the Web Annotation export (round trip through ``factdesk import``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from builders import article, corpus

from factdesk.annotations.model import ArticleAnalysis, ClaimRef, Status
from factdesk.annotations.review.fragments import (
    FRAGMENT_FIELD,
    Selection,
    is_fragment,
    place_fragments,
    word_spans,
)
from factdesk.annotations.review.review import Review
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus
from factdesk.tui.app import FactdeskApp

REPO = Path(__file__).resolve().parent.parent

FIRST = "The flood forced 300,000 people to flee their homes in the valley."
SECOND = "Officials said aid arrived on Monday."
THIRD = "Schools stayed closed for a week."


def story(article_id: str = "v1", sentences: list[str] | None = None, path: str = "story.txt") -> ArticleAnalysis:
    built = article(article_id, sentences or [FIRST, SECOND, THIRD])
    return replace(built, article=replace(built.article, path=Path(path)))


def records_on_disk(db: Path) -> list[dict]:
    data = json.loads(db.read_text(encoding="utf-8"))
    return list(data.get("marks", {}).values())


def span_of(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


# --- the word steps --------------------------------------------------------------------------------------------


def test_word_spans_leave_edge_punctuation_out() -> None:
    text = "“Yes,” he said — 300,000 fled."
    assert [text[s:e] for s, e in word_spans(text, 0, len(text))] == ["Yes", "he", "said", "300,000", "fled"]


def test_selection_word_steps_extend_shrink_and_move() -> None:
    text = FIRST
    selection = Selection.of(text, (0, len(text)))
    assert selection.quote(text) == "The"
    selection = selection.extend_end().extend_end()
    assert selection.quote(text) == "The flood forced"
    assert selection.shrink_start().quote(text) == "flood forced"
    assert selection.shrink_start().extend_start().quote(text) == "The flood forced"
    assert selection.shrink_end().quote(text) == "The flood"
    assert selection.shrink_end().shrink_end().shrink_end().quote(text) == "The"  # never less than a word
    assert selection.extend_start().quote(text) == "The flood forced"  # never before the claim
    assert selection.next_word().quote(text) == "300,000"  # start = end = the next word
    at_end = selection
    for _ in range(20):
        at_end = at_end.extend_end()
    assert at_end.quote(text) == text[:-1] and not at_end.whole  # the final full stop is no word
    assert Selection.of("No full stop here", (0, 17)).extend_end().extend_end().extend_end().whole


def test_selection_spans_the_next_sentence_and_back() -> None:
    text = f"{FIRST} {SECOND}"
    first, second = (0, len(FIRST)), (len(FIRST) + 1, len(text))
    selection = Selection.of(text, first).next_word().next_word().next_word()  # "300,000"
    two = selection.spanning(text, second)
    assert two.two_sentences and two.quote(text) == "300,000 people to flee their homes in the valley. Officials"
    assert two.extend_end().quote(text).endswith("Officials said")
    assert two.field() == {"claim_start": 0, "claim_end": len(text), "sentences": [list(first), list(second)]}
    back = two.extend_end().one_sentence()
    assert not back.two_sentences and back.quote(text) == "300,000 people to flee their homes in the valley"
    assert back.field() == {"claim_start": 0, "claim_end": len(FIRST)}


# --- anchoring and re-anchoring --------------------------------------------------------------------------------


def marked(tmp_path: Path) -> tuple[Review, ClaimRef, tuple[int, int]]:
    """alice verified the first claim and disputed its figure, "forced 300,000 people", as a fragment."""
    review = Review(corpus(story()), Store.open(tmp_path / "marks.json"), "alice")
    ref = ClaimRef("v1", 0)
    review.set_status(ref, Status.VERIFIED)
    span = span_of(FIRST, "forced 300,000 people")
    review.save_fragment(ref, span, ((0, len(FIRST)),), status=Status.DISPUTED)
    return review, ref, span


def test_a_fragment_mark_is_stored_apart_and_never_counts_in_its_claim(tmp_path: Path) -> None:
    review, ref, span = marked(tmp_path)
    review.save_fragment(ref, span_of(FIRST, "their homes"), ((0, len(FIRST)),), note="which homes?")
    records = records_on_disk(tmp_path / "marks.json")
    fragment = next(r for r in records if r["anchor"]["quote"] == "forced 300,000 people")
    assert fragment["status"] == "disputed" and fragment[FRAGMENT_FIELD] == {"claim_start": 0, "claim_end": len(FIRST)}
    assert fragment["anchor"]["prefix"] == "The flood " and fragment["anchor"]["start"] == span[0]
    assert len(records) == 3  # the claim's own mark and two fragments: identities differ by quote and start
    again = Review(corpus(story()), Store.open(tmp_path / "marks.json"), "bob")  # read back from disk
    assert again.status(ref) is Status.VERIFIED
    assert again.counts("v1").verified == 1 and again.counts("v1").disputed == 0
    assert list(again.verdicts(ref)) == ["alice"] and again.verdicts(ref)["alice"].anchor.quote == FIRST
    assert again.disagreements() == []  # a disputed fragment of a verified claim is no disagreement
    assert [(f.mark.anchor.quote, f.mark.status) for f in again.fragments.on(ref)] == [
        ("forced 300,000 people", Status.DISPUTED),
        ("their homes", Status.UNREVIEWED),
    ]
    assert not again.orphans


def test_a_fragment_is_found_again_after_text_is_inserted_before_it(tmp_path: Path) -> None:
    _, _, _ = marked(tmp_path)
    edited = story("v2", ["Updated at noon.", FIRST, SECOND, THIRD])  # same file, edited: a new article id
    review = Review(corpus(edited), Store.open(tmp_path / "marks.json"), "alice")
    text = edited.article.text
    (fragment,) = review.fragments.on(ClaimRef("v2", 1))
    assert fragment.span == span_of(text, "forced 300,000 people") and fragment.how == "moved"
    assert review.status(ClaimRef("v2", 1)) is Status.VERIFIED and not review.orphans
    moved = [r for r in records_on_disk(tmp_path / "marks.json") if FRAGMENT_FIELD in r]
    assert [(r["article_id"], r["anchor"]["start"]) for r in moved] == [("v2", text.index("forced"))]  # migrated
    claim = edited.claims[1]
    assert moved[0][FRAGMENT_FIELD] == {"claim_start": claim.start, "claim_end": claim.end}  # its claim as it is now


def test_a_fragment_is_found_again_after_a_word_elsewhere_changed(tmp_path: Path) -> None:
    marked(tmp_path)
    edited = story("v2", [FIRST.replace("valley", "river valley"), SECOND.replace("Monday", "Tuesday"), THIRD])
    review = Review(corpus(edited), Store.open(tmp_path / "marks.json"), "alice")
    (fragment,) = review.fragments.on(ClaimRef("v2", 0))
    assert edited.article.text[slice(*fragment.span)] == "forced 300,000 people"


def test_an_edited_fragment_is_found_fuzzily_but_not_with_another_figure(tmp_path: Path) -> None:
    marked(tmp_path)
    reworded = story("v2", [FIRST.replace("forced 300,000 people", "forced 300,000 residents"), SECOND, THIRD])
    review = Review(corpus(reworded), Store.open(tmp_path / "marks.json"), "alice")
    (fragment,) = review.fragments.on(ClaimRef("v2", 0))
    assert fragment.how == "fuzzy" and reworded.article.text[slice(*fragment.span)] == "forced 300,000 residents"
    refigured = story("v1b", [FIRST.replace("300,000", "370,000"), SECOND, THIRD], path="other.txt")
    old = next(m for m in Store.open(tmp_path / "marks.json").marks() if is_fragment(m))
    old = replace(old, anchor=replace(old.anchor, start=old.anchor.start + 40, end=old.anchor.end + 40))
    placed, orphans = place_fragments([old], "v1b", refigured.article.text, refigured.claims)
    assert placed == [] and orphans == [old]  # a verdict on 300,000 never lands on 370,000


def test_a_fragment_whose_sentence_was_deleted_is_an_orphan_kept(tmp_path: Path) -> None:
    marked(tmp_path)
    review = Review(corpus(story("v2", [SECOND, THIRD])), Store.open(tmp_path / "marks.json"), "alice")
    assert [m.anchor.quote for m in review.orphans if is_fragment(m)] == ["forced 300,000 people"]
    assert review.fragments.all() == []
    assert any(FRAGMENT_FIELD in r for r in records_on_disk(tmp_path / "marks.json"))  # never dropped


def test_a_two_sentence_fragment_lies_in_both_claims(tmp_path: Path) -> None:
    review = Review(corpus(story()), Store.open(tmp_path / "marks.json"), "alice")
    text = story().article.text
    span = span_of(text, "valley. Officials said")
    claims = ((0, len(FIRST)), (len(FIRST) + 1, len(FIRST) + 1 + len(SECOND)))
    review.save_fragment(ClaimRef("v1", 0), span, claims, status=Status.NEEDS_CONTEXT)
    again = Review(corpus(story()), Store.open(tmp_path / "marks.json"), "alice")
    (first,) = again.fragments.on(ClaimRef("v1", 0))
    assert first.refs == (ClaimRef("v1", 0), ClaimRef("v1", 1)) and again.fragments.of(ClaimRef("v1", 1)) == []
    assert again.fragments.on(ClaimRef("v1", 1)) == [first]
    assert first.mark.extra[FRAGMENT_FIELD]["sentences"] == [list(c) for c in claims]


def test_stats_and_the_outlet_record_count_claims_not_fragments(tmp_path: Path) -> None:
    from factdesk.annotations.review.agreement import summarize_marks
    from factdesk.annotations.review.outlet_record import outlet_record

    review, _, _ = marked(tmp_path)
    marks = review.store.marks()
    assert len(marks) == 2
    (alice,) = summarize_marks(marks).reviewers
    assert (alice.verified, alice.disputed) == (1, 0)
    record = outlet_record(marks, lambda mark: "Daily")
    assert record.total == 1


# --- exports ---------------------------------------------------------------------------------------------------


def test_the_brief_lists_fragment_verdicts_under_their_claim(tmp_path: Path) -> None:
    from factdesk.annotations.export.briefs import brief_json, brief_markdown

    review, ref, _ = marked(tmp_path)
    review.save_fragment(ref, span_of(FIRST, "forced 300,000 people"), ((0, len(FIRST)),), note="UN says 30,000")
    third = story().claims[2]
    text = story().article.text
    review.save_fragment(
        ClaimRef("v1", 2), span_of(text, "a week"), ((third.start, third.end),), status=Status.VERIFIED
    )
    markdown = brief_markdown(review)
    assert "- Fragment: “forced 300,000 people” — ✗ Disputed by alice: UN says 30,000" in markdown
    assert "### Fragments marked on claims without a verdict (1)" in markdown
    assert "- Fragment: “a week” — ✓ Verified by alice" in markdown
    data = json.loads(brief_json(review))
    (claim,) = data["verified"]
    assert claim["fragments"] == [
        {
            "quote": "forced 300,000 people",
            "status": "disputed",
            "reviewer": "alice",
            "note": "UN says 30,000",
            "updated": claim["fragments"][0]["updated"],
            "start": 10,
            "end": 31,
            "sentences": 1,
        }
    ]
    assert [c["sentence_index"] for c in data["fragment_only"]] == [2]
    assert len(data["verified"]) == 1 and data["disputed"] == []  # the fragment's verdict is not the claim's


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    command = [sys.executable, "-m", "factdesk", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=180, env=env)


def test_web_annotation_export_targets_the_fragment_and_import_round_trips(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "story.txt").write_text(f"{FIRST} {SECOND}\n", encoding="utf-8")
    db = tmp_path / "marks.json"
    from factdesk.annotations.pipeline.analysis import analyze

    analysis = analyze(load_corpus([folder]))
    (only,) = analysis.articles
    review = Review(analysis, Store.open(db), "alice")
    claim = only.claims[0]
    ref = ClaimRef(only.article.id, claim.index)
    span = span_of(only.article.text, "300,000 people")
    review.set_status(ref, Status.VERIFIED)
    review.save_fragment(ref, span, ((claim.start, claim.end),), status=Status.DISPUTED)
    review.store.close()
    exported = tmp_path / "marks.jsonld"
    result = run("export", str(folder), "--db", str(db), "--format", "annotations", "-o", str(exported))
    assert result.returncode == 0, result.stderr
    items = json.loads(exported.read_text(encoding="utf-8"))["first"]["items"]
    (fragment,) = [i for i in items if "factdesk:fragment" in i["target"]]
    quote, position = fragment["target"]["selector"]
    assert quote["type"] == "TextQuoteSelector" and quote["exact"] == "300,000 people"
    assert position == {"type": "TextPositionSelector", "start": span[0], "end": span[1]}
    assert fragment["target"]["factdesk:fragment"] == {"claim_start": claim.start, "claim_end": claim.end}
    empty = tmp_path / "empty.json"
    imported = run("import", str(exported), "--db", str(empty))
    assert imported.returncode == 0, imported.stderr

    def marks_of(path: Path) -> set[tuple]:
        store = Store.open(path)
        found = {
            (m.article_id, m.anchor, m.status, m.reviewer, json.dumps(m.extra.get(FRAGMENT_FIELD)))
            for m in store.marks()
        }
        store.close()
        return found

    assert marks_of(empty) == marks_of(db)
    again = Review(analysis, Store.open(empty), "alice")
    assert [f.mark.status for f in again.fragments.on(ref)] == [Status.DISPUTED] and again.status(
        ref
    ) is Status.VERIFIED


# --- the reader ------------------------------------------------------------------------------------------------


async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_x_l_l_v_marks_a_fragment_on_disk_and_leaves_the_claim_alone(seeds_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "marks.json"
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(db), reviewer="alice")
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        reader = app.screen
        view = reader.panes[0].view  # type: ignore[attr-defined]
        ref, sentence, text = view.current_ref, view.current, view.analysis.article.text
        words = word_spans(text, sentence.start, sentence.end)
        await pilot.press("x")
        await pilot.pause()
        assert type(app.screen).__name__ == "FragmentScreen"
        assert view.selection == words[0]  # the claim's first word
        shown = {key for key, active in app.screen.active_bindings.items() if active.binding.show}
        assert {"l", "h", "H", "L", "J", "w", "v", "d", "n", "escape"} <= shown  # the mode's keys in the Footer
        await pilot.press("l", "l", "v")
        await pilot.pause()
        expected = text[words[0][0] : words[2][1]]
        (record,) = records_on_disk(db)
        assert record["anchor"]["quote"] == expected and record["status"] == "verified"
        assert record[FRAGMENT_FIELD] == {"claim_start": sentence.start, "claim_end": sentence.end}
        assert reader.review.status(ref) is Status.UNREVIEWED  # type: ignore[attr-defined]
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReaderScreen" and view.selection is None
        inspector = str(reader.query_one("#inspector").render())
        assert f"Fragment ✓ Verified: “{expected}”" in inspector


async def test_j_spans_two_sentences_and_x_leaves(seeds_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "marks.json"
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(db), reviewer="alice")
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        view = app.screen.panes[0].view  # type: ignore[attr-defined]
        first, second = view.claims[0], view.claims[1]
        await pilot.press("x", "J", "l", "d")
        await pilot.pause()
        (record,) = records_on_disk(db)
        assert record["status"] == "disputed"
        assert record[FRAGMENT_FIELD]["sentences"] == [[first.start, first.end], [second.start, second.end]]
        assert record["anchor"]["start"] < first.end < second.start < record["anchor"]["end"] <= second.end
        await pilot.press("K")
        await pilot.pause()
        assert view.selection[1] <= first.end
        await pilot.press("x")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReaderScreen"
        assert app.screen.review.status(ClaimRef(view.analysis.article.id, first.index)) is Status.UNREVIEWED  # type: ignore[attr-defined]


@pytest.mark.slow
async def test_fragment_mode_notes_rates_and_withdraws(seeds_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "marks.json"
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(db), reviewer="alice")
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        await pilot.press("x", "w", "l", "n")
        await pilot.pause()
        await pilot.press(*"which day?", "ctrl+s")
        await pilot.pause()
        (record,) = records_on_disk(db)
        assert record["note"] == "which day?" and record["status"] == "unreviewed" and FRAGMENT_FIELD in record
        await pilot.press("r")
        await pilot.pause()
        assert type(app.screen).__name__ == "VerdictPickerScreen"
        await pilot.press("3")  # the scale's third verdict
        await pilot.pause()
        (record,) = records_on_disk(db)
        assert record["status"] == "misleading" and record["note"] == "which day?"
        await pilot.press("u")
        await pilot.pause()
        (record,) = records_on_disk(db)
        assert record["status"] == "unreviewed" and record["note"] == "which day?"  # the note stays
        assert type(app.screen).__name__ == "FragmentScreen"


async def test_x_has_a_footer_hint_a_help_line_and_a_palette_entry(seeds_copy: Path, tmp_path: Path) -> None:
    from factdesk.tui.commands import READER_COMMANDS
    from factdesk.tui.provider import ReaderCommands

    (command,) = [c for c in READER_COMMANDS if c.action == "fragment_mode"]
    assert command.keys == "x" and command.show
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(tmp_path / "marks.json"), reviewer="alice")
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        offered = [hit.text for hit in [h async for h in ReaderCommands(app.screen).discover()]]
        assert command.help in offered
        await pilot.press("question_mark")
        await pilot.pause()
        from rich.console import Console

        console = Console(width=200, record=True)
        for widget in app.screen.query("#help-body Static"):
            console.print(widget.content)
        assert command.help in console.export_text()


# --- what it looks like ----------------------------------------------------------------------------------------


@pytest.fixture
def snapshot_app(seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FactdeskApp:
    monkeypatch.chdir(tmp_path)  # the status line then shows a stable, relative db path
    store = Store.open(Path("marks.json"))
    store._clock = lambda: datetime(2024, 12, 9, 12, 0, tzinfo=UTC)  # stable times on screen
    return FactdeskApp(load_corpus([seeds_copy]), store, reviewer="alice")


def test_fragment_mode_selection_80x24(snap_compare, snapshot_app: FactdeskApp) -> None:  # type: ignore[no-untyped-def]
    async def selecting(pilot) -> None:  # type: ignore[no-untyped-def]
        await ready(pilot)
        await pilot.press("x", "w", "l", "l")
        await pilot.pause()

    assert snap_compare(snapshot_app, terminal_size=(80, 24), run_before=selecting)


def test_marked_fragment_160x48(snap_compare, snapshot_app: FactdeskApp) -> None:  # type: ignore[no-untyped-def]
    async def marking(pilot) -> None:  # type: ignore[no-untyped-def]
        await ready(pilot)
        await pilot.press("v", "x", "w", "l", "d", "escape")
        await pilot.pause()

    assert snap_compare(snapshot_app, terminal_size=(160, 48), run_before=marking)
