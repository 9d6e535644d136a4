"""The mark store: round trips, identity rules, refusing foreign files, schema and backups."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tinydb import TinyDB

from factdesk.annotations.model import Anchor, Status
from factdesk.annotations.review.anchor import make_anchor
from factdesk.annotations.storage.atomic import remove_stale_temps
from factdesk.annotations.storage.dbfile import backup_path
from factdesk.annotations.storage.errors import DamagedDatabase, NotAFactdeskDatabase, ReadOnlyStore, StoreError
from factdesk.annotations.storage.layout import AtomicJSONStorage
from factdesk.annotations.storage.migrations import SCHEMA
from factdesk.annotations.storage.store import Store

TEXT = (
    "Homs, December 9: Syrian government forces have withdrawn from the strategic city of Homs. "
    "Rebels have reportedly gained control of the city center, including its central prison. "
    "In Damascus, protests have erupted in several suburbs."
)


def anchor_of(sentence: str, text: str = TEXT) -> Anchor:
    start = text.index(sentence)
    return make_anchor(text, start, start + len(sentence))


A1 = anchor_of("Rebels have reportedly gained control of the city center, including its central prison.")
A2 = anchor_of("In Damascus, protests have erupted in several suburbs.")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "factdesk.json"


def reopen(store: Store) -> Store:
    store.close()
    return Store.open(store.path)


# --------------------------------------------------------------------------- round trips


def test_marks_survive_a_reopen(db: Path) -> None:
    store = Store.open(db)
    m1 = store.set_status("art-1", A1, Status.VERIFIED, "alice")
    m2 = store.set_status("art-1", A2, Status.DISPUTED, "bob")
    m3 = store.set_note("art-2", A1, "Source: Reuters, 9 Dec — “confirmed”", "alice")
    store = reopen(store)
    assert store.marks() == [m1, m2, m3]
    assert store.marks("art-1") == [m1, m2]
    assert store.marks("art-2") == [m3]
    assert store.marks("unknown") == []
    assert m3.status is Status.UNREVIEWED and m3.note.startswith("Source")
    store.close()


def test_every_mark_has_reviewer_and_utc_iso_timestamp(db: Path) -> None:
    store = Store.open(db)
    before = datetime.now(UTC).replace(microsecond=0)
    mark = store.set_status("art-1", A1, Status.VERIFIED, "alice")
    after = datetime.now(UTC)
    assert mark.reviewer == "alice"
    stamp = datetime.fromisoformat(mark.updated)
    assert stamp.utcoffset() == timedelta(0)
    assert before <= stamp <= after
    store.close()


def test_reviewer_name_is_required(db: Path) -> None:
    store = Store.open(db)
    with pytest.raises(StoreError):
        store.set_status("art-1", A1, Status.VERIFIED, "  ")
    assert not db.exists()


def test_status_then_note_update_one_record(db: Path) -> None:
    store = Store.open(db)
    store.set_status("art-1", A1, Status.DISPUTED, "alice")
    mark = store.set_note("art-1", A1, "casualty figure differs", "alice")
    assert mark.status is Status.DISPUTED
    assert mark.note == "casualty figure differs"
    assert mark.reviewer == "alice"
    assert store.marks() == [mark]
    store = reopen(store)
    assert store.marks() == [mark]
    records = json.loads(db.read_text(encoding="utf-8"))["marks"]
    assert len(records) == 1
    store.close()


def test_each_reviewer_keeps_their_own_mark_on_a_claim(db: Path) -> None:
    store = Store.open(db)
    alice = store.set_status("art-1", A1, Status.VERIFIED, "alice")
    bob = store.set_status("art-1", A1, Status.DISPUTED, "bob")
    bob_note = store.set_note("art-1", A1, "casualty figure differs", "bob")
    assert bob_note.status is Status.DISPUTED and bob_note.reviewer == "bob"
    assert store.mark("art-1", A1, "alice") == alice
    assert store.mark("art-1", A1, "bob") == bob_note != bob
    store = reopen(store)
    assert [(m.reviewer, m.status) for m in store.marks()] == [("alice", Status.VERIFIED), ("bob", Status.DISPUTED)]
    assert store.marks(reviewer="bob") == [bob_note]
    assert len(json.loads(db.read_text(encoding="utf-8"))["marks"]) == 2
    store.close()


def test_same_quote_elsewhere_is_a_different_mark(db: Path) -> None:
    moved = Anchor(A1.quote, A1.prefix, A1.suffix, A1.start + 50, A1.end + 50)
    store = Store.open(db)
    store.set_status("art-1", A1, Status.VERIFIED, "alice")
    store.set_status("art-1", moved, Status.DISPUTED, "alice")
    store.set_status("art-2", A1, Status.DISPUTED, "alice")
    assert len(store.marks()) == 3
    assert [m.status for m in store.marks("art-1")] == [Status.VERIFIED, Status.DISPUTED]


def test_unreviewed_with_no_note_is_no_record(db: Path) -> None:
    store = Store.open(db)
    store.set_status("art-1", A1, Status.VERIFIED, "alice")
    mark = store.set_status("art-1", A1, Status.UNREVIEWED, "alice")
    assert mark.status is Status.UNREVIEWED and mark.note == ""
    assert store.marks() == []
    store = reopen(store)
    assert store.marks() == []
    assert json.loads(db.read_text(encoding="utf-8"))["marks"] == {}


def test_blank_note_removes_the_note_only(db: Path) -> None:
    store = Store.open(db)
    store.set_status("art-1", A1, Status.VERIFIED, "alice")
    store.set_note("art-1", A1, "check", "alice")
    mark = store.set_note("art-1", A1, "   ", "alice")
    assert mark.note == "" and mark.status is Status.VERIFIED
    assert store.marks() == [mark]
    store.set_status("art-1", A1, Status.UNREVIEWED, "alice")
    assert store.marks() == []


def test_clear_keeps_a_note(db: Path) -> None:
    store = Store.open(db)
    store.set_status("art-1", A1, Status.DISPUTED, "alice")
    store.set_note("art-1", A1, "figure differs from SOHR", "alice")
    assert store.clear("art-1", A1, "bob") is None  # bob has no mark here: alice's is hers
    assert store.mark("art-1", A1, "alice").status is Status.DISPUTED
    remaining = store.clear("art-1", A1, "alice")
    assert remaining is not None
    assert remaining.status is Status.UNREVIEWED
    assert remaining.note == "figure differs from SOHR"
    assert remaining.reviewer == "alice"
    store = reopen(store)
    assert store.marks() == [remaining]
    store.close()


def test_clear_without_note_deletes_the_record(db: Path) -> None:
    store = Store.open(db)
    store.set_status("art-1", A1, Status.VERIFIED, "alice")
    store.set_status("art-1", A2, Status.VERIFIED, "alice")
    assert store.clear("art-1", A1, "alice") is None
    assert [m.anchor for m in store.marks()] == [A2]
    assert store.clear("art-1", A1, "alice") is None  # already gone: a no-op
    store = reopen(store)
    assert [m.anchor for m in store.marks()] == [A2]


def test_reviewers_lists_each_name_once(db: Path) -> None:
    store = Store.open(db)
    assert store.reviewers() == []
    store.set_status("art-1", A1, Status.VERIFIED, "zoe")
    store.set_status("art-1", A2, Status.VERIFIED, "alice")
    store.set_status("art-2", A2, Status.DISPUTED, "zoe")
    assert store.reviewers() == ["alice", "zoe"]


def test_session_state_round_trip_and_copies(db: Path) -> None:
    store = Store.open(db)
    assert store.get_state("corpus-a") is None
    state = {"panes": ["reader", "matches"], "cursor": {"article": "a1", "sentence": 4}}
    store.set_state("corpus-a", state)
    state["cursor"]["sentence"] = 99  # the caller's later edits must not leak in
    got = store.get_state("corpus-a")
    assert got == {"panes": ["reader", "matches"], "cursor": {"article": "a1", "sentence": 4}}
    got["panes"].append("junk")
    assert store.get_state("corpus-a")["panes"] == ["reader", "matches"]
    store.set_state("corpus-a", {"cursor": 7})
    store.set_state("corpus-b", {"cursor": 1})
    store = reopen(store)
    assert store.get_state("corpus-a") == {"cursor": 7}
    assert store.get_state("corpus-b") == {"cursor": 1}
    with pytest.raises(TypeError):
        store.set_state("corpus-a", {"bad": object()})
    assert store.get_state("corpus-a") == {"cursor": 7}


def test_unchanged_state_is_not_rewritten(db: Path) -> None:
    store = Store.open(db)
    store.set_state("c", {"cursor": 1})
    before = db.stat().st_mtime_ns, db.stat().st_ino
    store.set_state("c", {"cursor": 1})
    assert (db.stat().st_mtime_ns, db.stat().st_ino) == before


def test_unknown_mark_fields_are_kept(db: Path) -> None:
    store = Store.open(db)
    store.set_status("art-1", A1, Status.VERIFIED, "alice")
    store.close()
    data = json.loads(db.read_text(encoding="utf-8"))
    data["marks"]["1"]["confidence"] = 0.9
    db.write_text(json.dumps(data), encoding="utf-8")
    store = Store.open(db)
    assert store.marks()[0].extra["confidence"] == 0.9
    store.set_note("art-1", A1, "note", "alice")
    store = reopen(store)
    assert store.marks()[0].extra["confidence"] == 0.9
    assert set(store.marks()[0].extra) == {"confidence", "created"}
    assert json.loads(db.read_text(encoding="utf-8"))["marks"]["1"]["confidence"] == 0.9


def test_malformed_record_is_skipped_and_left_alone(db: Path) -> None:
    store = Store.open(db)
    store.set_status("art-1", A1, Status.VERIFIED, "alice")
    store.close()
    data = json.loads(db.read_text(encoding="utf-8"))
    data["marks"]["7"] = {"article_id": "art-1", "status": "weird"}
    db.write_text(json.dumps(data), encoding="utf-8")
    store = Store.open(db)
    assert len(store.marks()) == 1
    store.set_status("art-1", A2, Status.DISPUTED, "alice")
    store = reopen(store)
    raw = json.loads(db.read_text(encoding="utf-8"))["marks"]
    assert raw["7"] == {"article_id": "art-1", "status": "weird"}
    assert len(store.marks()) == 2


# --------------------------------------------------------------------------- the file


def test_opening_does_not_create_the_file_first_write_does(tmp_path: Path) -> None:
    db = tmp_path / "nested" / "deeper" / "factdesk.json"
    store = Store.open(db)
    assert not db.exists()
    assert store.marks() == []
    store.set_status("art-1", A1, Status.VERIFIED, "alice")
    assert db.is_file()
    data = json.loads(db.read_text(encoding="utf-8"))
    assert data["meta"]["1"] == {"app": "factdesk", "schema": SCHEMA}
    assert SCHEMA == 2


def test_empty_file_is_treated_as_new(db: Path) -> None:
    db.write_bytes(b"")
    store = Store.open(db)
    assert store.marks() == []
    store.set_status("art-1", A1, Status.VERIFIED, "alice")
    assert reopen(store).marks()[0].status is Status.VERIFIED


def test_file_is_readable_utf8_json(db: Path) -> None:
    store = Store.open(db)
    store.set_note("art-1", A1, "Assad’s forces — per “SANA”", "Zoë")
    text = db.read_text(encoding="utf-8")
    assert "Assad’s forces — per “SANA”" in text  # not \u-escaped
    assert "Zoë" in text
    assert text.count("\n") >= 5  # one document per line, not one giant line
    json.loads(text)


def test_a_file_that_appears_after_opening_is_not_overwritten(db: Path) -> None:
    store = Store.open(db)
    db.write_text("my shopping list\n", encoding="utf-8")
    with pytest.raises(StoreError):
        store.set_status("art-1", A1, Status.VERIFIED, "alice")
    assert db.read_text(encoding="utf-8") == "my shopping list\n"


FOREIGN_JSON = [
    b"[]",
    b'{"name": "some other app", "version": 3}',
    b'{"_default": {"1": {"title": "a TinyDB of another program"}}}',
    b'{"meta": {"1": {"app": "notfactdesk", "schema": 1}}, "marks": {}}',
    b"null",
    '{"notes": "café — ünïcödé"}\n'.encode(),
]


@pytest.mark.parametrize("content", FOREIGN_JSON)
def test_foreign_json_is_refused_and_left_byte_identical(db: Path, content: bytes) -> None:
    db.write_bytes(content)
    stamp = db.stat().st_mtime_ns
    with pytest.raises(NotAFactdeskDatabase) as caught:
        Store.open(db)
    message = str(caught.value)
    assert str(db) in message and "\n" not in message
    assert "not a factdesk database" in message
    assert db.read_bytes() == content
    assert db.stat().st_mtime_ns == stamp
    assert not backup_path(db).exists()
    assert sorted(p.name for p in db.parent.iterdir()) == [db.name]


NOT_JSON = [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",  # binary
    b"Homs, December 9: an article, not a database.\n",
    b"   \n",  # whitespace only is still not ours
    b"{ this is not json",
    "latin-1 caf\xe9".encode("latin-1"),
]


@pytest.mark.parametrize("content", NOT_JSON)
def test_non_json_file_is_refused_and_unchanged(db: Path, content: bytes) -> None:
    db.write_bytes(content)
    with pytest.raises(NotAFactdeskDatabase) as caught:
        Store.open(db)
    assert str(db) in str(caught.value) and "\n" not in str(caught.value)
    assert db.read_bytes() == content
    assert sorted(p.name for p in db.parent.iterdir()) == [db.name]


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="folder"):
        Store.open(tmp_path)


def test_truncated_database_is_refused_and_points_at_the_backup(db: Path) -> None:
    store = Store.open(db)
    store.set_status("art-1", A1, Status.VERIFIED, "alice")
    store.set_status("art-1", A2, Status.DISPUTED, "alice")
    store = reopen(store)  # a second session makes the .bak
    store.close()
    good = db.read_bytes()
    assert backup_path(db).read_bytes() == good
    torn = good[: len(good) // 2]
    db.write_bytes(torn)
    with pytest.raises(DamagedDatabase) as caught:
        Store.open(db)
    message = str(caught.value)
    assert "damaged" in message and str(backup_path(db)) in message and "\n" not in message
    assert db.read_bytes() == torn
    assert backup_path(db).read_bytes() == good  # the backup is not replaced by the torn file


def test_truncated_database_without_backup_says_so(db: Path) -> None:
    store = Store.open(db)
    store.set_status("art-1", A1, Status.VERIFIED, "alice")
    store.close()
    torn = db.read_bytes()[:-20]
    db.write_bytes(torn)
    with pytest.raises(DamagedDatabase, match="no backup"):
        Store.open(db)
    assert db.read_bytes() == torn


def test_backup_is_the_file_as_it_was_when_the_session_opened(db: Path) -> None:
    store = Store.open(db)
    store.set_status("art-1", A1, Status.VERIFIED, "alice")
    store.close()
    assert not backup_path(db).exists()  # nothing to back up when the file was new
    first = db.read_bytes()
    store = Store.open(db)
    assert backup_path(db).read_bytes() == first
    store.set_status("art-1", A2, Status.DISPUTED, "alice")
    assert backup_path(db).read_bytes() == first  # once per session, not per write
    store.close()
    second = db.read_bytes()
    assert second != first
    Store.open(db).close()
    assert backup_path(db).read_bytes() == second


def _write_schema(db: Path, schema: int) -> bytes:
    data = {
        "meta": {"1": {"app": "factdesk", "schema": schema}},
        "marks": {
            "1": {
                "article_id": "art-1",
                "anchor": {
                    "quote": A1.quote,
                    "prefix": A1.prefix,
                    "suffix": A1.suffix,
                    "start": A1.start,
                    "end": A1.end,
                },
                "status": "verified",
                "note": "",
                "reviewer": "alice",
                "updated": "2030-01-01T00:00:00Z",
                "new_field": [1, 2],
            }
        },
        "new_table": ["laid", "out", "differently"],
    }
    content = json.dumps(data).encode()
    db.write_bytes(content)
    return content


def test_newer_schema_opens_read_only(db: Path) -> None:
    content = _write_schema(db, SCHEMA + 1)
    store = Store.open(db)
    assert store.read_only is True
    assert store.notice and "read-only" in store.notice
    [mark] = store.marks()
    assert mark.status is Status.VERIFIED and mark.extra == {"new_field": [1, 2]}
    for write in (
        lambda: store.set_status("art-1", A1, Status.DISPUTED, "bob"),
        lambda: store.set_note("art-1", A1, "x", "bob"),
        lambda: store.clear("art-1", A1, "bob"),
        lambda: store.set_state("c", {"cursor": 1}),
    ):
        with pytest.raises(StoreError) as caught:
            write()
        assert isinstance(caught.value, ReadOnlyStore)
        assert "newer" in str(caught.value) and "\n" not in str(caught.value)
    store.close()
    assert db.read_bytes() == content
    assert not backup_path(db).exists()


def test_current_schema_is_writable(db: Path) -> None:
    _write_schema(db, SCHEMA)
    with pytest.raises(DamagedDatabase):  # schema 1 must have well-formed tables
        Store.open(db)
    data = json.loads(db.read_text(encoding="utf-8"))
    del data["new_table"]
    db.write_text(json.dumps(data), encoding="utf-8")
    store = Store.open(db)
    assert store.read_only is False
    store.set_status("art-1", A1, Status.DISPUTED, "alice")
    assert reopen(store).marks()[0].status is Status.DISPUTED


@pytest.mark.parametrize("schema", [0, -1, "1", None, True])
def test_invalid_schema_is_refused(db: Path, schema: object) -> None:
    content = json.dumps({"meta": {"1": {"app": "factdesk", "schema": schema}}}).encode()
    db.write_bytes(content)
    with pytest.raises(DamagedDatabase):
        Store.open(db)
    assert db.read_bytes() == content


def test_closed_store_refuses_calls(db: Path) -> None:
    store = Store.open(db)
    store.close()
    store.close()  # idempotent
    with pytest.raises(StoreError, match="closed"):
        store.marks()
    with pytest.raises(StoreError, match="closed"):
        store.set_status("art-1", A1, Status.VERIFIED, "alice")


def test_context_manager_closes(db: Path) -> None:
    with Store.open(db) as store:
        store.set_status("art-1", A1, Status.VERIFIED, "alice")
    with pytest.raises(StoreError):
        store.marks()


def test_stale_temp_files_are_removed_on_open(db: Path) -> None:
    store = Store.open(db)
    store.set_status("art-1", A1, Status.VERIFIED, "alice")
    store.close()
    stale = db.with_name(db.name + ".abcd1234.tmp")
    fresh = db.with_name(db.name + ".wxyz9876.tmp")
    unrelated = db.with_name("notes.abcd1234.tmp")
    for path in (stale, fresh, unrelated):
        path.write_text("partial", encoding="utf-8")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(unrelated, (old, old))
    Store.open(db).close()
    assert not stale.exists()
    assert fresh.exists() and unrelated.exists()
    assert remove_stale_temps(db, older_than=0) == [fresh]


def test_hand_written_flat_meta_is_accepted(db: Path) -> None:
    db.write_text(json.dumps({"meta": {"app": "factdesk", "schema": 7}}), encoding="utf-8")
    store = Store.open(db)
    assert store.read_only and store.schema == 7
    db.write_text(json.dumps({"meta": {"app": "factdesk", "schema": SCHEMA}}), encoding="utf-8")
    store = Store.open(db)
    assert not store.read_only
    store.set_status("art-1", A1, Status.VERIFIED, "alice")
    data = json.loads(db.read_text(encoding="utf-8"))
    assert data["meta"] == {"1": {"app": "factdesk", "schema": SCHEMA}}
    assert len(reopen(store).marks()) == 1


def test_meta_comes_first_in_the_file(db: Path) -> None:
    store = Store.open(db)
    store.set_state("c", {"cursor": 1})
    store.set_status("art-1", A1, Status.VERIFIED, "alice")
    lines = db.read_text(encoding="utf-8").splitlines()
    assert lines[1] == '"meta": {'
    assert '"app": "factdesk"' in lines[2]


def test_storage_writes_exactly_what_tinydb_holds(tmp_path: Path) -> None:
    path = tmp_path / "plain.json"
    storage = AtomicJSONStorage(path, {})
    tiny = TinyDB(storage=lambda: storage)
    things = tiny.table("things")
    ids = [things.insert({"n": n, "word": "café"}) for n in range(5)]
    storage.will_change("things", ids[2])  # an in-place update must be announced
    things.update({"n": 99}, doc_ids=[ids[2]])
    things.remove(doc_ids=[ids[0]])
    things.insert({"n": 5, "word": "new"})
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    assert on_disk == storage.read()
    assert [doc["n"] for doc in on_disk["things"].values()] == [1, 99, 3, 4, 5]
    storage.close()
    assert AtomicJSONStorage(path).read() == on_disk  # a fresh storage reloads from disk
