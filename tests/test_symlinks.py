"""Links planted in a shared folder never redirect a write (issue 13, item 1).

factdesk creates and replaces files beside the database (``.bak``, ``.lock``, temporary
files, ``.before-restore`` copies) and, with ``-o``, exports. A symbolic link at any of
those names is replaced or refused, never written through: otherwise anyone who can
write the shared folder could make a reviewer's ``factdesk export`` overwrite the
reviewer's own files. The database path itself may be a link the reviewer made on
purpose (their own link to an existing file): that one is written through, in place.

Every repro runs twice: through the real command line and through the ``Store`` API.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from factdesk.annotations.export.interop import dumps_safe, marks_to_collection
from factdesk.annotations.model import Anchor, Status
from factdesk.annotations.storage import atomic
from factdesk.annotations.storage.atomic import atomic_write_text
from factdesk.annotations.storage.dbfile import backup_path, restore_backup
from factdesk.annotations.storage.errors import StoreError
from factdesk.annotations.storage.store import Store

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
VICTIM = b"echo hi\n"
OLD_DB = b'{"meta": {"1": {"app": "factdesk", "schema": 2}}, "marks": {}}'
QUOTE = "The ministry confirmed 12 arrests."
A1 = Anchor(QUOTE, "", "", 0, len(QUOTE))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "factdesk", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=120)


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    """The issue's setup: a shared corpus folder with a database, and a victim file elsewhere."""
    folder = tmp_path / "shared"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "factdesk.json").write_bytes(OLD_DB)
    (tmp_path / "victim").mkdir()
    (tmp_path / "victim" / "rc").write_bytes(VICTIM)
    return folder


def victim(shared: Path) -> Path:
    return shared.parent / "victim" / "rc"


def one_line_failure(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr.strip().splitlines()[-1]


def annotations_file(tmp_path: Path) -> Path:
    """A Web Annotation file with one mark, for ``factdesk import``."""
    scratch = Store.open(tmp_path / "scratch.json")
    scratch.set_status("art-1", A1, Status.VERIFIED, "alice")
    path = tmp_path / "marks.jsonld"
    path.write_text(dumps_safe(marks_to_collection(scratch.marks())), encoding="utf-8")
    scratch.close()
    return path


# ----------------------------------------------------------------------------- .bak


def test_cli_export_does_not_write_through_a_planted_bak_link(shared: Path) -> None:
    bak = backup_path(shared / "factdesk.json")
    bak.symlink_to(victim(shared))
    result = run("export", str(shared))
    assert result.returncode == 0, result.stderr
    assert victim(shared).read_bytes() == VICTIM
    assert not bak.is_symlink()  # the link itself was replaced by the backup
    assert json.loads(bak.read_bytes())["meta"]["1"]["app"] == "factdesk"


def test_store_does_not_write_through_a_planted_bak_link(shared: Path) -> None:
    db = shared / "factdesk.json"
    backup_path(db).symlink_to(victim(shared))
    with Store.open(db) as store:
        store.set_status("art-1", A1, Status.VERIFIED, "alice")
    assert victim(shared).read_bytes() == VICTIM
    assert backup_path(db).read_bytes() == OLD_DB and not backup_path(db).is_symlink()
    assert [m.status for m in Store.open(db, read_only=True).marks()] == [Status.VERIFIED]


# ----------------------------------------------------------------------------- the database itself


def test_cli_refuses_a_dangling_database_link(shared: Path, tmp_path: Path) -> None:
    db = shared / "factdesk.json"
    db.unlink()
    target = shared.parent / "victim" / "planted.json"
    db.symlink_to(target)
    result = run("import", str(annotations_file(tmp_path)), str(shared))
    message = one_line_failure(result)
    assert str(db) in message and "symbolic link" in message
    assert not target.exists()
    assert db.is_symlink()


def test_store_refuses_a_dangling_database_link(shared: Path) -> None:
    db = shared / "factdesk.json"
    db.unlink()
    target = shared.parent / "victim" / "planted.json"
    db.symlink_to(target)
    with pytest.raises(StoreError, match="symbolic link") as raised:
        Store.open(db).set_status("art-1", A1, Status.VERIFIED, "alice")
    assert "\n" not in str(raised.value)
    assert not target.exists()
    assert Store.open(db, read_only=True).marks() == []  # reading through it is harmless


def test_own_link_to_a_database_is_written_in_place(shared: Path, tmp_path: Path) -> None:
    """A reviewer's own link (``--db ~/marks.json`` → the team's file) keeps working: the
    target is updated, the link stays, and the backup and lock sit beside the target."""
    real = shared / "factdesk.json"
    link = tmp_path / "mine.json"
    link.symlink_to(real)
    with Store.open(link) as store:
        assert store.path == real
        store.set_status("art-1", A1, Status.VERIFIED, "alice")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert [m.status for m in Store.open(real, read_only=True).marks()] == [Status.VERIFIED]
    assert backup_path(real).read_bytes() == OLD_DB
    assert not backup_path(link).exists()


def test_cli_own_link_to_a_database_is_written_in_place(shared: Path, tmp_path: Path) -> None:
    real = shared / "factdesk.json"
    link = tmp_path / "mine.json"
    link.symlink_to(real)
    result = run("import", str(annotations_file(tmp_path)), "--db", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert len(Store.open(real, read_only=True).marks()) == 1
    assert backup_path(real).exists() and not backup_path(link).exists()


def test_database_link_made_by_another_user_is_refused(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = shared / "factdesk.json"
    link = tmp_path / "theirs.json"
    link.symlink_to(real)
    monkeypatch.setattr(atomic.os, "geteuid", lambda: os.lstat(link).st_uid + 1)
    with pytest.raises(StoreError, match="another user"):
        Store.open(link)
    assert real.read_bytes() == OLD_DB and not backup_path(real).exists()


# ----------------------------------------------------------------------------- .lock


def test_cli_does_not_create_a_file_through_a_planted_lock_link(shared: Path, tmp_path: Path) -> None:
    db = shared / "factdesk.json"
    target = shared.parent / "victim" / "created-by-lock"
    Path(f"{db}.lock").symlink_to(target)
    result = run("import", str(annotations_file(tmp_path)), str(shared))
    message = one_line_failure(result)
    assert "symbolic link" in message and ".lock" in message
    assert not target.exists()
    assert db.read_bytes() == OLD_DB


def test_store_does_not_create_a_file_through_a_planted_lock_link(shared: Path) -> None:
    db = shared / "factdesk.json"
    target = shared.parent / "victim" / "created-by-lock"
    lock = Path(f"{db}.lock")
    lock.symlink_to(target)
    store = Store.open(db)
    with pytest.raises(StoreError, match="symbolic link"):
        store.set_status("art-1", A1, Status.VERIFIED, "alice")
    assert not target.exists()
    assert lock.is_symlink()  # refused, not silently removed: it is not ours
    lock.unlink()
    store.set_status("art-1", A1, Status.VERIFIED, "alice")  # the way out the message names
    assert len(Store.open(db, read_only=True).marks()) == 1


# ----------------------------------------------------------------------------- .before-restore


def _restorable(shared: Path) -> Path:
    """A database with a good ``.bak`` and a readable current file (restore needs --force)."""
    db = shared / "factdesk.json"
    Store.open(db).close()  # writes the .bak
    with Store.open(db) as store:
        store.set_status("art-1", A1, Status.VERIFIED, "alice")
    return db


def test_cli_restore_does_not_write_through_a_before_restore_link(shared: Path) -> None:
    db = _restorable(shared)
    target = shared.parent / "victim" / "planted"
    keep = Path(f"{db}.before-restore")
    keep.symlink_to(target)  # dangling: "exists" says no, so the old code wrote through it
    result = run("restore", "--db", str(db), "--force")
    assert result.returncode == 0, result.stderr
    assert not target.exists()
    assert keep.is_symlink()  # someone else's name: left alone, another one was chosen
    kept = [p for p in shared.iterdir() if p.name.startswith("factdesk.json.before-restore-")]
    assert len(kept) == 1 and len(Store.open(kept[0], read_only=True).marks()) == 1


def test_restore_does_not_write_through_a_dangling_before_restore_link(shared: Path) -> None:
    db = _restorable(shared)
    target = shared.parent / "victim" / "planted"
    keep = Path(f"{db}.before-restore")
    keep.symlink_to(target)
    message = restore_backup(db, force=True)
    assert not target.exists()
    assert keep.is_symlink()
    assert Store.open(db, read_only=True).marks() == []
    kept = Path(message.rsplit(" ", 1)[-1])
    assert kept.parent == shared and not kept.is_symlink()
    assert len(Store.open(kept, read_only=True).marks()) == 1


def test_restore_refuses_a_bak_that_is_a_link(shared: Path) -> None:
    db = _restorable(shared)
    other = shared.parent / "victim" / "other.json"
    other.write_bytes(OLD_DB)
    bak = backup_path(db)
    bak.unlink()
    bak.symlink_to(other)
    with pytest.raises(StoreError, match="symbolic link"):
        restore_backup(db, force=True)
    assert len(Store.open(db, read_only=True).marks()) == 1


# ----------------------------------------------------------------------------- exports and temp files


def test_cli_export_output_link_is_replaced_not_followed(shared: Path) -> None:
    """Replaced, not followed: with ``--force`` where the export asks for consent to replace a file."""
    out = shared / "brief.md"
    out.symlink_to(victim(shared))
    result = run("export", str(shared), "-o", str(out))
    assert victim(shared).read_bytes() == VICTIM
    if result.returncode != 0:  # refused as "not a brief of this corpus": the user insists
        assert "Traceback" not in result.stderr and out.is_symlink()
        result = run("export", str(shared), "-o", str(out), "--force")
    assert result.returncode == 0, result.stderr
    assert victim(shared).read_bytes() == VICTIM
    assert not out.is_symlink() and "Reviewed" in out.read_text(encoding="utf-8")


def test_atomic_write_replaces_a_dangling_link_itself(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "created"
    link = tmp_path / "out.txt"
    link.symlink_to(target)
    atomic_write_text(link, "brief")
    assert not target.exists() and not target.parent.exists()
    assert not link.is_symlink() and link.read_text(encoding="utf-8") == "brief"


def test_temp_files_are_exclusive_nofollow_and_unpredictable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "db.json"
    opened: list[tuple[str, int]] = []
    real_open = os.open

    def spy(path: object, flags: int, *args: object, **kwargs: object) -> int:
        opened.append((os.fspath(path), flags))  # type: ignore[arg-type]
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic.os, "open", spy)
    atomic_write_text(target, "one")
    atomic_write_text(target, "two")
    temps = [(path, flags) for path, flags in opened if path.endswith(".tmp")]
    assert len(temps) == 2
    for path, flags in temps:
        assert flags & os.O_EXCL and flags & os.O_NOFOLLOW and flags & os.O_CREAT
        assert Path(path).parent == tmp_path
        assert Path(path).name.startswith(f"db.json.{os.getpid()}.")
    assert temps[0][0] != temps[1][0]
    assert len(Path(temps[0][0]).name.split(".")[-2]) >= 16  # at least 64 random bits
