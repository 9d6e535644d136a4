"""Schema versions: a schema-1 file is upgraded after a backup and keeps every mark; damaged files are restorable."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from factdesk.annotations.model import Anchor, Status
from factdesk.annotations.storage.dbfile import backup_path, restore_backup
from factdesk.annotations.storage.errors import DamagedDatabase, StoreError
from factdesk.annotations.storage.migrations import SCHEMA, MigrationError, migrate
from factdesk.annotations.storage.store import Store

REPO = Path(__file__).resolve().parent.parent


def v1_database(count: int = 5) -> dict:
    """A database exactly as factdesk 0.1 (schema 1) wrote it, one mark per claim."""
    marks = {}
    for n in range(count):
        marks[str(n + 1)] = {
            "article_id": f"art-{n % 2}",
            "anchor": {
                "quote": f"Claim number {n}.",
                "prefix": "p",
                "suffix": "s",
                "start": n * 20,
                "end": n * 20 + 16,
            },
            "status": ("verified", "disputed", "unreviewed")[n % 3],
            "note": "" if n % 3 != 2 else f"note {n} — “quoted”",
            "reviewer": ("alice", "bob")[n % 2],
            "updated": f"2024-12-0{n + 1}T10:00:00Z",
        }
    marks["99"] = {"article_id": "art-9", "status": "weird"}  # malformed: must survive untouched
    return {
        "meta": {"1": {"app": "factdesk", "schema": 1}},
        "marks": marks,
        "state": {"1": {"key": "corpus", "state": {"cursor": 3}}},
    }


def write_v1(path: Path, count: int = 5) -> bytes:
    raw = json.dumps(v1_database(count), ensure_ascii=False, indent=1).encode()
    path.write_bytes(raw)
    return raw


def test_schema_is_two() -> None:
    assert SCHEMA == 2


def test_v1_file_is_backed_up_then_upgraded_keeping_every_mark(tmp_path: Path) -> None:
    db = tmp_path / "factdesk.json"
    raw = write_v1(db)
    store = Store.open(db)
    assert store.migrated_from == 1 and store.schema == 2 and not store.read_only
    assert backup_path(db).read_bytes() == raw  # the old file, byte for byte, before anything else
    on_disk = json.loads(db.read_text(encoding="utf-8"))
    assert on_disk["meta"]["1"] == {"app": "factdesk", "schema": 2}
    old = v1_database()["marks"]
    assert on_disk["marks"] == old  # every record, malformed one included, unchanged
    assert on_disk["state"] == v1_database()["state"]
    assert len(store.marks()) == 5
    assert {(m.reviewer, m.status, m.note) for m in store.marks()} == {
        (r["reviewer"], Status(r["status"]), r["note"]) for k, r in old.items() if k != "99"
    }
    # The history starts complete: one "migrate" entry per mark, stamped with its time.
    history = store.history()
    assert len(history) == 5 and {e.action for e in history} == {"migrate"}
    assert sorted(e.at for e in history) == sorted(r["updated"] for k, r in old.items() if k != "99")
    assert store.get_state("corpus") == {"cursor": 3}
    store.set_status("art-0", store.marks()[0].anchor, Status.DISPUTED, "alice")
    reopened = Store.open(db)
    assert reopened.migrated_from is None and len(reopened.marks()) == 5


def test_v1_file_opened_read_only_is_not_touched(tmp_path: Path) -> None:
    db = tmp_path / "factdesk.json"
    raw = write_v1(db)
    store = Store.open(db, read_only=True)
    assert store.read_only and len(store.marks()) == 5 and len(store.history()) == 5
    with pytest.raises(StoreError):
        store.set_status("art-0", store.marks()[0].anchor, Status.VERIFIED, "alice")
    assert db.read_bytes() == raw
    assert sorted(p.name for p in tmp_path.iterdir()) == [db.name]


def test_migrate_does_not_modify_its_input_and_refuses_the_future() -> None:
    data = v1_database()
    snapshot = copy.deepcopy(data)
    upgraded = migrate(data, 1)
    assert data == snapshot
    assert upgraded["meta"]["1"]["schema"] == 2 and "history" in upgraded
    assert migrate(upgraded, 2) == upgraded
    with pytest.raises(MigrationError):
        migrate(upgraded, 3)


def test_upgrade_that_cannot_be_saved_still_opens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "factdesk.json"
    raw = write_v1(db)

    def refuse(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("factdesk.annotations.storage.layout.atomic_write_bytes", refuse)  # the save
    monkeypatch.setattr("factdesk.annotations.storage.dbfile.atomic_write_bytes", refuse)  # the .bak
    store = Store.open(db)
    assert len(store.marks()) == 5
    assert store.notice and "in memory only" in store.notice
    assert db.read_bytes() == raw


# --------------------------------------------------------------------------- damaged files


def damaged(tmp_path: Path) -> tuple[Path, bytes]:
    db = tmp_path / "factdesk.json"
    store = Store.open(db)
    store.set_status("art-1", Anchor("Homs fell.", "", "", 0, 10), Status.VERIFIED, "alice")
    store.close()
    Store.open(db).close()  # a second session: the .bak now holds the good file
    good = db.read_bytes()
    db.write_bytes(good[: len(good) // 2])
    return db, good


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "factdesk", *args], capture_output=True, text=True, cwd=REPO, timeout=120
    )


def test_cli_names_the_backup_and_how_to_restore(tmp_path: Path) -> None:
    db, good = damaged(tmp_path)
    torn = db.read_bytes()
    result = run("export", "--db", str(db))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    message = result.stderr
    assert "damaged" in message and f"{db}.bak" in message
    assert f"factdesk restore --db {db}" in message
    assert message.count("\n") == 1
    assert db.read_bytes() == torn  # untouched

    restored = run("restore", "--db", str(db))
    assert restored.returncode == 0, restored.stderr
    assert db.read_bytes() == good
    kept = db.with_name(db.name + ".before-restore")
    assert kept.read_bytes() == torn  # the damaged file is kept, not destroyed
    assert run("export", "--db", str(db)).returncode == 0


def test_restore_refuses_a_readable_database_without_force(tmp_path: Path) -> None:
    db, good = damaged(tmp_path)
    restore_backup(db)
    with pytest.raises(StoreError, match="--force"):
        restore_backup(db)
    message = restore_backup(db, force=True)
    assert "before-restore-" in message  # the first kept copy is not overwritten
    assert db.read_bytes() == good


def test_restore_without_a_backup_says_so(tmp_path: Path) -> None:
    db = tmp_path / "factdesk.json"
    db.write_text('{"meta": {"1": {"app": "factdesk"', encoding="utf-8")
    with pytest.raises(DamagedDatabase):
        Store.open(db)
    result = run("restore", "--db", str(db))
    assert result.returncode == 1 and "no backup" in result.stderr
    assert "Traceback" not in result.stderr
