"""`a` gives a claim's verdict to its near-certain matches: only above the measured threshold, listed, confirmed.

The corpus is written here: one sentence carried word for word by two outlets (a near-certain
match) and reworded by a third (a weaker one). What lands in the store is read back from disk.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from factdesk.annotations.compare.match_model import APPLY_THRESHOLD
from factdesk.annotations.model import ClaimRef, Status
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus
from factdesk.tui.app import FactdeskApp
from factdesk.tui.screens import reader_marks
from factdesk.tui.screens.apply_confirm import ApplyConfirmScreen

SHARED = "The harbour authority said on Tuesday that the storm surge had flooded 340 warehouses along the eastern quay."
ARTICLES = {
    "harbour.txt": [
        "Storm surge floods the harbour district",
        SHARED,
        "Ferry services to the islands were suspended until further notice.",
        "Fishermen said the water rose faster than in any storm they remembered.",
    ],
    "gazette.txt": [
        "Harbour district under water after surge",
        SHARED,
        "Schools in the lower town stayed closed as crews pumped water from the streets.",
        "Rail lines along the coast reopened in the afternoon.",
    ],
    "courier.txt": [
        "Quay flooded as storm passes",
        "Volunteers handed out sandbags in the market square.",
        "The harbour authority reported that warehouses along the eastern quay were flooded by the surge.",
        "Forecasters expect calmer weather by the weekend.",
    ],
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, lines in ARTICLES.items():
        (folder / name).write_text(lines[0] + "\n\n" + "\n".join(lines[1:]) + "\n", encoding="utf-8")
    return folder


def _verdicts(db: Path) -> dict[tuple[str, str], Status]:
    """Verdicts on disk by (article, the claim's quote), read by a fresh Store."""
    store = Store.open(db)
    try:
        return {(mark.article_id, mark.anchor.quote): mark.status for mark in store.marks()}
    finally:
        store.close()


async def _on_shared_claim(pilot, corpus: Path):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.reader()
    ref = next(
        ClaimRef(a.article.id, s.index)
        for a in screen.review.analysis.articles
        for s in a.sentences
        if a.sentence_text(s) == SHARED
    )
    screen.jump_to(ref)
    await pilot.pause()
    assert screen.view.current_ref == ref
    return screen


async def _press_a_after_verify(
    tmp_path: Path, corpus: Path, answer: str | None, monkeypatch: pytest.MonkeyPatch | None = None
):
    """v then a on the shared claim (then ``answer`` in the dialog); with ``monkeypatch``, the threshold is set
    between the copy's score and the rewording's (the shipped one is met only by near-identical restatements in
    large corpora), so that the dialog has exactly the copy to list."""
    db = tmp_path / "marks.json"
    app = FactdeskApp(load_corpus([corpus]), Store.open(db), reviewer="alice")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _on_shared_claim(pilot, corpus)
        ref: ClaimRef = screen.view.current_ref
        matches = screen.cross.matches(ref)
        assert len(matches) >= 2  # the copy and the rewording
        threshold = APPLY_THRESHOLD
        if monkeypatch is not None:
            threshold = (matches[0][1] + matches[1][1]) / 2
            assert matches[0][1] > threshold > matches[1][1]
            monkeypatch.setattr(reader_marks, "APPLY_THRESHOLD", threshold)
        await pilot.press("v")
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen if isinstance(app.screen, ApplyConfirmScreen) else None
        if answer is not None:
            assert dialog is not None
            await pilot.press(answer)
            await pilot.pause()
        assert not isinstance(app.screen, ApplyConfirmScreen)
        offered = [other for other, score in matches if score >= threshold]
        return dialog, offered, matches, _verdicts(db)


async def test_a_lists_the_claims_and_applies_only_after_confirming(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog, offered, matches, on_disk = await _press_a_after_verify(tmp_path, corpus, "y", monkeypatch)
    assert dialog is not None and len(dialog.lines) == len(offered) == 1
    assert "340 warehouses" in dialog.lines[0].text
    assert len(offered) < len(matches)  # the weaker match is not offered
    # The claim marked with v and the one listed claim (its copy in another outlet), nothing else.
    assert list(on_disk.values()) == [Status.VERIFIED, Status.VERIFIED]
    assert {quote for _, quote in on_disk} == {SHARED}
    assert offered[0].article in {article for article, _ in on_disk}


async def test_cancelling_the_dialog_changes_nothing_on_disk(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog, _, _, on_disk = await _press_a_after_verify(tmp_path, corpus, "escape", monkeypatch)
    assert dialog is not None
    assert list(on_disk.values()) == [Status.VERIFIED]  # only the claim marked with v
    assert next(iter(on_disk))[1] == SHARED


async def test_matches_under_the_measured_threshold_are_not_offered(tmp_path: Path, corpus: Path) -> None:
    dialog, offered, _, on_disk = await _press_a_after_verify(tmp_path, corpus, None)
    if offered:
        pytest.skip("this corpus reached the shipped threshold")  # (then the tests above cover it)
    assert dialog is None
    assert list(on_disk.values()) == [Status.VERIFIED]


def test_apply_threshold_is_a_measured_high_precision_score() -> None:
    assert 0.9 <= APPLY_THRESHOLD <= 1.0


@pytest.mark.parametrize("between", [True, False], ids=["a-copy-above-the-threshold", "none-above-it"])
async def test_the_hint_after_a_verdict_counts_only_the_matches_a_would_offer(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch, between: bool
) -> None:
    """The status line after v used to invite `a` for every unreviewed match, though `a` offers only near-certain
    ones: with none above the threshold it promised what `a` then refused."""
    app = FactdeskApp(load_corpus([corpus]), Store.open(tmp_path / "marks.json"), reviewer="alice")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _on_shared_claim(pilot, corpus)
        matches = screen.cross.matches(screen.view.current_ref)
        threshold = (matches[0][1] + matches[1][1]) / 2 if between else matches[0][1] + 0.01
        monkeypatch.setattr(reader_marks, "APPLY_THRESHOLD", threshold)
        await pilot.press("v")
        await pilot.pause()
        status = str(screen.query_one("#status-line").render())
    assert "saved: verified" in status
    if between:
        assert "press a to mark its 1 unreviewed matching claim(s) verified too" in status
    else:
        assert "press a" not in status
