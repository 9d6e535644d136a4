"""Adjudication (issue 16, item 5): where reviewers disagree a curator sets the final verdict with a reason, kept
in the history and attributed; the brief shows it; agreement is computed on the reviewers' verdicts only."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from factdesk.annotations.export.briefs import brief_json, brief_markdown
from factdesk.annotations.model import ClaimRef, CorpusAnalysis, Status
from factdesk.annotations.pipeline.analysis import analyze
from factdesk.annotations.review.adjudication import FINAL_PREFIX
from factdesk.annotations.review.review import Review
from factdesk.annotations.storage.errors import StoreError
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus
from factdesk.tui.app import FactdeskApp

REPO = Path(__file__).resolve().parent.parent


def first_claims(analysis: CorpusAnalysis, count: int) -> list[ClaimRef]:
    article = analysis.articles[0]
    return [ClaimRef(article.article.id, s.index) for s in article.claims[:count]]


@pytest.fixture
def contested(seeds_copy: Path, tmp_path: Path) -> tuple[CorpusAnalysis, Path, list[ClaimRef]]:
    """ann verifies and bob disputes the first claim; both verify the second."""
    db = tmp_path / "marks.json"
    analysis = analyze(load_corpus([seeds_copy]))
    refs = first_claims(analysis, 2)
    for reviewer, first in (("ann", Status.VERIFIED), ("bob", Status.DISPUTED)):
        store = Store.open(db)
        store._clock = lambda: datetime(2024, 12, 9, 12, 0, tzinfo=UTC)  # stable times in the snapshot
        review = Review(analysis, store, reviewer)
        review.set_status(refs[0], first)
        review.set_status(refs[1], Status.VERIFIED)
        review.store.close()
    return analysis, db, refs


def records_on_disk(db: Path) -> list[dict]:
    data = json.loads(db.read_text("utf-8"))
    return [record for table, rows in data.items() if table == "marks" for record in rows.values()]


def test_a_final_verdict_is_stored_apart_logged_and_attributed(contested) -> None:  # type: ignore[no-untyped-def]
    analysis, db, refs = contested
    curator = Review(analysis, Store.open(db), "ann")  # ann reviewed too: her own verdict must stay hers
    curator.adjudicate(refs[0], Status.DISPUTED, "The ministry corrected the figure the next day.")
    curator.store.close()
    store = Store.open(db)
    marks = {m.reviewer: m for m in store.marks() if m.anchor.quote == store.marks()[0].anchor.quote}
    assert marks["ann"].status is Status.VERIFIED  # the reviewer's verdict is untouched
    final = marks[FINAL_PREFIX + "ann"]
    assert final.status is Status.DISPUTED and final.note.startswith("The ministry corrected")
    assert final.extra["adjudication"] == {"curator": "ann", "reason": final.note}
    entry = [e for e in store.history() if e.action == "adjudicate"][-1]
    assert entry.reviewer == FINAL_PREFIX + "ann"
    review = Review(analysis, store, "carol")
    assert review.final(refs[0]) == final
    assert review.verdicts(refs[0]).keys() == {"ann", "bob"}  # reviewers only
    assert FINAL_PREFIX + "ann" not in review.reviewers()


def test_a_final_verdict_needs_a_reason(contested) -> None:  # type: ignore[no-untyped-def]
    analysis, db, refs = contested
    review = Review(analysis, Store.open(db), "carol")
    with pytest.raises(StoreError, match="reason"):
        review.adjudicate(refs[0], Status.VERIFIED, "   ")
    assert review.final(refs[0]) is None


def test_agreement_reads_the_reviewers_and_the_brief_the_final(contested) -> None:  # type: ignore[no-untyped-def]
    analysis, db, refs = contested
    before = Review(analysis, Store.open(db), "carol").agreement()
    review = Review(analysis, Store.open(db), "carol")
    review.adjudicate(refs[0], Status.DISPUTED, "Two outlets retracted it.")
    after = review.agreement()
    assert after == before and [(p.a, p.b, p.claims, p.agreed) for p in after.pairs] == [("ann", "bob", 2, 1)]
    markdown = brief_markdown(review, agreement=True)
    disputed = markdown.split("## Disputed claims")[1].split("\n## ")[0]
    assert "**Final verdict: ✗ Disputed** (set by carol" in disputed and "Two outlets retracted it." in disputed
    assert "- Final verdicts set by: carol" in markdown
    table = markdown.split("### Claims with differing verdicts")[1]
    header = next(line for line in table.splitlines() if line.startswith("| Claim"))
    assert header == "| Claim | ann | bob |"  # each reviewer's verdict, not the curator's
    data = json.loads(brief_json(review, agreement=True))
    (claim,) = [c for c in data["disputed"] if c.get("final")]
    assert claim["final"]["curator"] == "carol" and claim["final"]["status"] == "disputed"
    assert {v["reviewer"] for v in data["agreement"]["contested"][0]["verdicts"]} == {"ann", "bob"}


def test_stats_leave_final_verdicts_out(contested, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    analysis, db, refs = contested
    Review(analysis, Store.open(db), "carol").adjudicate(refs[0], Status.VERIFIED, "Confirmed by the court record.")
    done = subprocess.run(
        [sys.executable, "-m", "factdesk", "stats", "--db", str(db), "--json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert set(json.loads(done.stdout)["reviewers"]) == {"ann", "bob"}


@pytest.mark.slow
async def test_A_sets_the_final_verdict_by_keyboard(contested) -> None:  # type: ignore[no-untyped-def]
    analysis, db, _ = contested
    app = FactdeskApp(load_corpus([Path(analysis.articles[0].article.path).parent]), Store.open(db), reviewer="carol")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("j", "A")  # the second claim: ann and bob agree
        await pilot.pause()
        assert type(app.screen).__name__ == "ReaderScreen"
        assert any("nothing to adjudicate" in n.message for n in app._notifications)
        await pilot.press("k", "A")
        await pilot.pause()
        assert type(app.screen).__name__ == "AdjudicateScreen"
        await pilot.press("2", "ctrl+s")  # disputed, but no reason yet: refused
        await pilot.pause()
        assert type(app.screen).__name__ == "AdjudicateScreen"
        await pilot.press(*"Corrected by the ministry", "ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReaderScreen"
    finals = [r for r in records_on_disk(db) if r["reviewer"] == FINAL_PREFIX + "carol"]
    assert [(r["status"], r["note"]) for r in finals] == [("disputed", "Corrected by the ministry")]


def test_adjudicate_160x48(snap_compare, contested, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    analysis, db, _ = contested
    monkeypatch.chdir(db.parent)
    store = Store.open(Path(db.name))
    store._clock = lambda: datetime(2024, 12, 9, 12, 0, tzinfo=UTC)
    app = FactdeskApp(load_corpus([Path(analysis.articles[0].article.path).parent]), store, reviewer="carol")

    async def dialog(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("A", "2", *"Corrected")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(160, 48), run_before=dialog)


def test_a_final_verdict_round_trips_through_web_annotations(contested) -> None:  # type: ignore[no-untyped-def]
    """An export and import of the database keep the curator's final verdict a final verdict, reason included."""
    from factdesk.annotations.export.interop import annotations_to_marks, marks_to_collection

    analysis, db, refs = contested
    Review(analysis, Store.open(db), "carol").adjudicate(refs[0], Status.DISPUTED, "Retracted by the ministry.")
    exported = json.loads(json.dumps(marks_to_collection(Store.open(db).marks())))
    target = db.parent / "imported.json"
    store = Store.open(target)
    store.add_marks(annotations_to_marks(exported).marks)
    review = Review(analysis, store, "dave")
    final = review.final(refs[0])
    assert final is not None and (final.status, final.note) == (Status.DISPUTED, "Retracted by the ministry.")
    assert review.verdicts(refs[0]).keys() == {"ann", "bob"}  # and the reviewers' own verdicts are theirs
