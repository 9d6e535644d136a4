"""The history is appended to, never re-indexed whole on a save, and the index always equals a full re-index.

Why: a verdict key writes one log entry and the inspector then shows the claim's history; re-reading or
re-indexing the whole log on every key made each key cost O(log). These tests hold the incremental index
(``Review.history`` / ``Review.mark_history`` over ``Store.history_since``) to the plain computation — a fresh
review indexing the whole log — after random sequences of every kind of change: own verdicts, notes, clears,
undo/redo, another session's writes picked up by ``sync``, a re-anchored mark from an edited article, a merge.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from factdesk.annotations.model import ClaimRef, Mark, Status
from factdesk.annotations.pipeline.analysis import analyze
from factdesk.annotations.review import review as review_module
from factdesk.annotations.review.anchor import make_anchor
from factdesk.annotations.review.review import Review
from factdesk.annotations.storage import index as index_module
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus

TEXTS = {
    "homs.txt": (
        "Syrian government forces have withdrawn from the strategic city of Homs, officials said. "
        "The fighting has caused massive displacement, with over 300,000 fleeing in a week, according to the UN.\n"
        "Rebels have reportedly gained control of the city center, including its central prison. "
        "In Damascus, protests have erupted in several suburbs.\n"
    ),
    "damascus.txt": (
        "Protests broke out in at least four suburbs of Damascus on Sunday, residents said. "
        "The UN says 370,000 people have fled their homes since the offensive began.\n"
        "Government troops pulled out of Homs overnight, according to a war monitor. "
        "The central prison was opened and detainees walked free.\n"
    ),
}
OLD_TEXT = "Rebels have reportedly gained control of the city center, including its central prison.\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def claim_refs(review: Review) -> list[ClaimRef]:
    return [ClaimRef(a.article.id, s.index) for a in review.analysis.articles for s in a.claims]


def logged_marks(store: Store) -> list[Mark]:
    """A mark (identity only) for every identity the log names, to ask ``mark_history`` about."""
    seen = {}
    for entry in store.history():
        seen.setdefault(
            entry.identity, Mark(entry.article_id, entry.anchor, Status.UNREVIEWED, reviewer=entry.reviewer)
        )
    return list(seen.values())


def assert_same_as_full_index(review: Review, db: Path) -> None:
    fresh_store = Store.open(db, read_only=True)
    fresh = Review(review.analysis, fresh_store, review.reviewer, reattach=False)
    for ref in claim_refs(review):
        assert review.history(ref) == fresh.history(ref), ref
    for mark in logged_marks(fresh_store):
        assert review.mark_history(mark) == fresh.mark_history(mark), mark
    for analysis in review.analysis.articles:  # the header's tally, against counting claim by claim
        statuses = [review.status(ClaimRef(analysis.article.id, s.index)) for s in analysis.claims]
        counts = review.counts(analysis.article.id)
        assert (counts.verified, counts.disputed) == (statuses.count(Status.VERIFIED), statuses.count(Status.DISPUTED))
        assert counts == fresh.counts(analysis.article.id)
    fresh_store.close()


def other_session_marks(db: Path, review: Review, rng: random.Random) -> None:
    """Bob, in another process's store on the same file, gives a verdict."""
    article = rng.choice(review.analysis.articles)
    claim = rng.choice(article.claims)
    anchor = make_anchor(article.article.text, claim.start, claim.end)
    other = Store.open(db)
    other.set_status(article.article.id, anchor, rng.choice([Status.VERIFIED, Status.DISPUTED]), "bob")
    other.close()


def edited_article_mark(db: Path, corpus: Path, number: int) -> None:
    """A mark made on an earlier version of homs.txt (another article id, same file): it re-anchors on sync."""
    anchor = make_anchor(OLD_TEXT, 0, len(OLD_TEXT) - 1)
    other = Store.open(db)
    path = str((corpus / "homs.txt").resolve())
    other.set_status(f"old-version-{number}", anchor, Status.DISPUTED, f"carol{number}", path=path)
    other.close()


def merge_in(review: Review, tmp_path: Path, number: int, rng: random.Random) -> None:
    """Another reviewer's database merged into ours (its log copied in, the whole log re-ordered by time)."""
    theirs = tmp_path / f"theirs-{number}.json"
    other = Store.open(theirs)
    article = rng.choice(review.analysis.articles)
    claim = rng.choice(article.claims)
    other.set_status(
        article.article.id, make_anchor(article.article.text, claim.start, claim.end), Status.VERIFIED, "dan"
    )
    other.close()
    source = Store.open(theirs, read_only=True)
    review.store.absorb(source)
    source.close()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_index_equals_a_full_reindex_after_random_changes(corpus: Path, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    db = tmp_path / "marks.json"
    review = Review(analyze(load_corpus([corpus])), Store.open(db), "alice")
    refs = claim_refs(review)
    for step in range(70):
        roll = rng.random()
        ref = rng.choice(refs)
        if roll < 0.3:
            review.set_status(ref, rng.choice([Status.VERIFIED, Status.DISPUTED]))
        elif roll < 0.4:
            review.set_note(ref, rng.choice(["", "check the UN figure", "two sources"]))
        elif roll < 0.5:
            review.clear(ref)
        elif roll < 0.6:
            review.undo()
        elif roll < 0.65:
            review.redo()
        elif roll < 0.8:
            other_session_marks(db, review, rng)
            review.sync()
        elif roll < 0.87:
            edited_article_mark(db, corpus, step)
            review.sync()
        elif roll < 0.92:
            merge_in(review, tmp_path, step, rng)
        if rng.random() < 0.7:  # look now and then, so increments of one and of several entries both happen
            review.history(rng.choice(refs))
        if step % 10 == 9:
            assert_same_as_full_index(review, db)
    assert any(e.action == "reanchor" for e in review.store.history())  # every path was taken
    assert any(e.action == "merge" or e.reviewer == "dan" for e in review.store.history())
    assert_same_as_full_index(review, db)


def test_a_save_indexes_only_the_new_entry(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After 40 saves, the 41st costs one entry of indexing and the store parses no log record again."""
    review = Review(analyze(load_corpus([corpus])), Store.open(tmp_path / "marks.json"), "alice")
    refs = claim_refs(review)
    for number in range(40):
        review.set_status(refs[number % len(refs)], Status.VERIFIED if number // len(refs) % 2 else Status.DISPUTED)
    assert len(review.store.history()) == 40
    review.history(refs[0])
    indexed: list[object] = []
    parsed: list[object] = []
    resolve, parse = review_module.resolve_identity, index_module.record_to_entry
    monkeypatch.setattr(review_module, "resolve_identity", lambda *a: indexed.append(a) or resolve(*a))
    monkeypatch.setattr(index_module, "record_to_entry", lambda *a: parsed.append(a) or parse(*a))
    review.set_status(refs[1], Status.VERIFIED if review.status(refs[1]) is Status.DISPUTED else Status.DISPUTED)
    shown = review.history(refs[1])
    assert len(indexed) == 1  # the new entry only (a full re-index resolved all 41)
    assert len(parsed) <= 1  # the store appended the written record; it never re-read the log
    assert shown[-1] == review.store.history()[-1]
    assert review.history(refs[1]) == shown and len(indexed) == 1  # nothing new: nothing indexed


def test_history_since_gives_only_the_new_entries_and_restarts_on_a_rewrite(corpus: Path, tmp_path: Path) -> None:
    review = Review(analyze(load_corpus([corpus])), Store.open(tmp_path / "marks.json"), "alice")
    store, ref = review.store, claim_refs(review)[0]
    first = store.history_since(None)
    assert first.restarted and first.entries == ()
    review.set_status(ref, Status.VERIFIED)
    review.set_status(ref, Status.DISPUTED)
    tail = store.history_since(first.position)
    assert not tail.restarted and [e.new_status for e in tail.entries] == [Status.VERIFIED, Status.DISPUTED]
    assert store.history_since(tail.position).entries == ()
    merge_in(review, tmp_path, 0, random.Random(0))  # a later entry merged in: the log is appended to
    appended = store.history_since(tail.position)
    assert not appended.restarted and [e.reviewer for e in appended.entries] == ["dan"]
    theirs = Store.open(tmp_path / "older.json")  # an entry older than ours: the merge re-orders the log by time
    article = review.analysis.articles[1]
    claim = article.claims[0]
    anchor = make_anchor(article.article.text, claim.start, claim.end)
    theirs.add_marks(
        [Mark(article.article.id, anchor, Status.DISPUTED, reviewer="eve", updated="2020-01-01T00:00:00Z")]
    )
    theirs.close()
    older = Store.open(tmp_path / "older.json", read_only=True)
    store.absorb(older)
    after = store.history_since(appended.position)
    assert after.restarted and list(after.entries) == store.history()
    assert after.entries[0].reviewer == "eve"
