"""The change log and undo: every change is recorded, nothing is ever rewritten, undo is a change too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factdesk.annotations.model import Anchor, Article, ClaimRef, Status
from factdesk.annotations.pipeline.analysis import analyze_articles
from factdesk.annotations.review.review import Review
from factdesk.annotations.storage import atomic
from factdesk.annotations.storage.errors import StoreError
from factdesk.annotations.storage.history import Change, UndoStack, record_to_entry
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import article_id

A1 = Anchor("Homs has fallen to the rebels.", "", " Damascus", 0, 30)
A2 = Anchor("Damascus is next, officials said.", "fallen to the rebels. ", "", 31, 64)

TEXT = (
    "Syrian government forces withdrew from Homs on Saturday after a day of fighting. "
    "Rebels seized the central prison, where detainees were freed. "
    "Protests erupted in several suburbs of Damascus on Sunday.\n"
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "factdesk.json"


def history_table(db: Path) -> dict:
    return json.loads(db.read_text(encoding="utf-8"))["history"]


def make_review(store: Store, reviewer: str = "alice", text: str = TEXT, path: Path | None = None) -> Review:
    article = Article(id=article_id(text), path=path or Path("/corpus/a.txt"), text=text, title="t", source="Reuters")
    return Review(analyze_articles([article]), store, reviewer)


# --------------------------------------------------------------------------- the log


def test_every_change_is_logged_with_who_when_what(db: Path) -> None:
    store = Store.open(db)
    store.set_status("art-1", A1, Status.VERIFIED, "alice")
    store.set_note("art-1", A1, "per SOHR", "alice")
    store.clear("art-1", A1, "alice")
    store.set_note("art-1", A1, "  ", "alice")  # removes the note: the mark goes
    entries = store.history()
    assert [(e.old_status, e.new_status, e.old_note, e.new_note) for e in entries] == [
        (Status.UNREVIEWED, Status.VERIFIED, "", ""),
        (Status.VERIFIED, Status.VERIFIED, "", "per SOHR"),
        (Status.VERIFIED, Status.UNREVIEWED, "per SOHR", "per SOHR"),
        (Status.UNREVIEWED, Status.UNREVIEWED, "per SOHR", ""),
    ]
    assert {e.reviewer for e in entries} == {"alice"}
    assert all(e.article_id == "art-1" and e.quote == A1.quote and e.start == A1.start for e in entries)
    assert all(e.at.endswith("Z") and e.session == store.session for e in entries)
    assert store.marks() == []
    # and on disk, readable back by a fresh store
    reopened = Store.open(db)
    assert [e.new_note for e in reopened.history()] == ["", "per SOHR", "per SOHR", ""]
    assert [e.seq for e in reopened.history()] == [1, 2, 3, 4]


def test_the_log_is_append_only(db: Path) -> None:
    store = Store.open(db)
    store.set_status("art-1", A1, Status.VERIFIED, "alice")
    store.set_status("art-1", A2, Status.DISPUTED, "bob")
    before = history_table(db)
    store.set_status("art-1", A1, Status.DISPUTED, "alice")
    store.clear("art-1", A2, "bob")
    after = history_table(db)
    assert {k: after[k] for k in before} == before  # nothing earlier changed
    assert len(after) == len(before) + 2
    assert list(after) == sorted(after, key=int)


def test_a_change_that_changes_nothing_is_not_written(db: Path) -> None:
    store = Store.open(db)
    first = store.set_status("art-1", A1, Status.VERIFIED, "alice")
    stamp = db.stat().st_mtime_ns, db.stat().st_ino
    again = store.set_status("art-1", A1, Status.VERIFIED, "alice")
    assert again == first
    assert (db.stat().st_mtime_ns, db.stat().st_ino) == stamp
    assert len(store.history()) == 1


def test_history_of_an_article(db: Path) -> None:
    store = Store.open(db)
    store.set_status("art-1", A1, Status.VERIFIED, "alice")
    store.set_status("art-2", A1, Status.DISPUTED, "alice")
    assert [e.article_id for e in store.history("art-2")] == ["art-2"]


def test_malformed_history_records_are_skipped_and_kept(db: Path) -> None:
    store = Store.open(db)
    store.set_status("art-1", A1, Status.VERIFIED, "alice")
    store.close()
    data = json.loads(db.read_text(encoding="utf-8"))
    data["history"]["9"] = {"what": "a hand edit"}
    db.write_text(json.dumps(data), encoding="utf-8")
    store = Store.open(db)
    assert len(store.history()) == 1
    store.set_status("art-1", A2, Status.VERIFIED, "alice")
    assert history_table(db)["9"] == {"what": "a hand edit"}
    assert [e.seq for e in store.history()] == [1, 10]
    assert record_to_entry(1, {"nonsense": True}) is None


def test_describe_reads_like_a_sentence(db: Path) -> None:
    store = Store.open(db)
    store.set_status("art-1", A1, Status.VERIFIED, "alice")
    store.set_note("art-1", A1, "x", "alice")
    described = [e.describe() for e in store.history()]
    assert described == ["alice: unreviewed → verified", "alice: note added"]


# --------------------------------------------------------------------------- sessions


def test_two_sessions_later_change_wins_and_the_log_keeps_both(db: Path) -> None:
    first, second = Store.open(db), Store.open(db)
    first.set_status("art-1", A1, Status.VERIFIED, "alice")
    # ``second`` has not seen that change; it still must not lose it.
    second.set_status("art-1", A2, Status.VERIFIED, "alice")
    second.set_status("art-1", A1, Status.DISPUTED, "alice")
    final = Store.open(db)
    assert {m.anchor.quote: m.status for m in final.marks()} == {A1.quote: Status.DISPUTED, A2.quote: Status.VERIFIED}
    changes = [(e.quote, e.old_status, e.new_status, e.session) for e in final.history() if e.quote == A1.quote]
    assert changes == [
        (A1.quote, Status.UNREVIEWED, Status.VERIFIED, first.session),
        (A1.quote, Status.VERIFIED, Status.DISPUTED, second.session),  # "from" is the other session's value
    ]


def test_changed_on_disk_and_reload(db: Path) -> None:
    mine, theirs = Store.open(db), Store.open(db)
    mine.set_status("art-1", A1, Status.VERIFIED, "alice")
    assert not mine.changed_on_disk()
    assert theirs.changed_on_disk()
    generation = theirs.generation
    assert theirs.reload() is True
    assert theirs.generation == generation + 1
    assert [m.anchor for m in theirs.marks()] == [A1]
    assert theirs.changed_on_disk() is False and theirs.reload() is False


def test_reload_of_a_file_turned_foreign_raises_and_keeps_memory(db: Path) -> None:
    mine, theirs = Store.open(db), Store.open(db)
    mine.set_status("art-1", A1, Status.VERIFIED, "alice")
    theirs.reload()
    db.write_text('{"not": "ours"}', encoding="utf-8")
    with pytest.raises(StoreError):
        theirs.reload()
    assert len(theirs.marks()) == 1
    with pytest.raises(StoreError):
        theirs.set_status("art-1", A2, Status.VERIFIED, "alice")
    assert db.read_text(encoding="utf-8") == '{"not": "ours"}'


def test_a_deleted_database_is_written_again_from_memory(db: Path) -> None:
    store = Store.open(db)
    store.set_status("art-1", A1, Status.VERIFIED, "alice")
    db.unlink()
    assert store.changed_on_disk() is False
    store.set_status("art-1", A2, Status.VERIFIED, "alice")
    assert len(Store.open(db).marks()) == 2


def test_close_from_a_signal_handler_waits_for_the_save(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.open(db)
    real = atomic.atomic_write_bytes

    def interrupted(path, data) -> None:  # a SIGTERM handler runs store.close() mid-save
        store.flush()
        store.close()
        real(path, data)

    monkeypatch.setattr("factdesk.annotations.storage.layout.atomic_write_bytes", interrupted)
    mark = store.set_status("art-1", A1, Status.VERIFIED, "alice")
    monkeypatch.undo()
    with pytest.raises(StoreError, match="closed"):
        store.marks()
    assert Store.open(db).marks() == [mark]


# --------------------------------------------------------------------------- undo


def test_undo_stack_rules() -> None:
    stack = UndoStack(limit=2)
    ref = ClaimRef("a", 0)
    stack.push(Change(ref, (Status.UNREVIEWED, ""), (Status.UNREVIEWED, "")))  # no-op: ignored
    assert not stack.can_undo
    for status in (Status.VERIFIED, Status.DISPUTED, Status.VERIFIED):
        stack.push(Change(ref, (Status.UNREVIEWED, ""), (status, "")))
    assert stack.pop_undo().after[0] is Status.VERIFIED
    assert stack.pop_undo().after[0] is Status.DISPUTED
    assert stack.pop_undo() is None  # the limit dropped the oldest


def test_review_undo_redo_writes_new_changes(db: Path) -> None:
    store = Store.open(db)
    review = make_review(store)
    claims = review.analysis.articles[0].claims
    ref, other = (ClaimRef(review.analysis.articles[0].article.id, s.index) for s in claims[:2])
    assert review.undo() is None and review.redo() is None
    review.set_status(ref, Status.VERIFIED)
    review.set_note(ref, "first note")
    review.set_note(ref, "second note")
    review.set_status(other, Status.DISPUTED)
    logged = len(store.history())

    assert review.undo() == other
    assert review.status(other) is Status.UNREVIEWED and review.mark(other) is None
    assert review.undo() == ref
    assert review.mark(ref).note == "first note" and review.status(ref) is Status.VERIFIED
    assert review.redo() == ref
    assert review.mark(ref).note == "second note"
    assert len(store.history()) == logged + 3  # undo/redo are changes; nothing rewritten
    assert [e.action for e in store.history()[-3:]] == ["undo", "undo", "redo"]
    assert review.can_undo and review.can_redo

    review.set_status(ref, Status.DISPUTED)  # a fresh change forgets what could be redone
    assert not review.can_redo and review.redo() is None
    reopened = Store.open(db)
    assert {m.anchor.start: (m.status, m.note) for m in reopened.marks()} == {
        claims[0].start: (Status.DISPUTED, "second note")
    }


def test_undo_only_undoes_my_own_changes(db: Path) -> None:
    store = Store.open(db)
    alice, bob = make_review(store, "alice"), make_review(store, "bob")
    ref = ClaimRef(alice.analysis.articles[0].article.id, alice.analysis.articles[0].claims[0].index)
    alice.set_status(ref, Status.VERIFIED)
    bob.set_status(ref, Status.DISPUTED)
    assert bob.undo() == ref
    alice.sync()
    assert alice.verdicts(ref).keys() == {"alice"}
    assert alice.status(ref) is Status.VERIFIED


def test_review_history_follows_the_claim(db: Path) -> None:
    store = Store.open(db)
    review = make_review(store)
    article = review.analysis.articles[0]
    ref = ClaimRef(article.article.id, article.claims[1].index)
    review.set_status(ref, Status.VERIFIED)
    review.clear(ref)
    review.set_note(ref, "see SOHR")
    make_review(store, "bob").set_status(ref, Status.DISPUTED)
    review.sync()
    history = review.history(ref)
    assert [(e.reviewer, e.new_status, e.new_note) for e in history] == [
        ("alice", Status.VERIFIED, ""),
        ("alice", Status.UNREVIEWED, ""),
        ("alice", Status.UNREVIEWED, "see SOHR"),
        ("bob", Status.DISPUTED, ""),
    ]
    other = ClaimRef(article.article.id, article.claims[0].index)
    assert review.history(other) == []


def test_review_sync_picks_up_another_session(db: Path) -> None:
    mine = make_review(Store.open(db), "alice")
    theirs = make_review(Store.open(db), "bob")
    ref = ClaimRef(mine.analysis.articles[0].article.id, mine.analysis.articles[0].claims[2].index)
    assert mine.sync() is False
    theirs.set_status(ref, Status.DISPUTED)
    assert mine.sync() is True
    assert mine.status(ref) is Status.DISPUTED and mine.mark(ref).reviewer == "bob"
    mine.set_status(ref, Status.VERIFIED)  # my own verdict is what I see…
    assert mine.status(ref) is Status.VERIFIED
    assert set(mine.verdicts(ref)) == {"alice", "bob"}  # …and bob's stays
    assert mine.disagreements() == [ref]
