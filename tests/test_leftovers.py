"""What a killed writer leaves behind is cleaned on the next open, and only that (issue 13, item 8).

A kill between creating the temporary file and renaming it leaves ``<db>.<pid>.<random>.tmp``;
a kill while the lock is held leaves ``<db>.lock``. Both are removed when the database is
next opened read-write, but only when they are provably ours and stale: a temporary file
named by our pattern, old, whose writer is gone; a lock file nobody holds (``flock``).
The lock file gets the database's permission bits, so a private database has a private lock.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from factdesk.annotations.model import Anchor, Status
from factdesk.annotations.storage.atomic import FileLock, lock_path, remove_stale_lock, remove_stale_temps
from factdesk.annotations.storage.store import Store

QUOTE = "The ministry confirmed 12 arrests."
A1 = Anchor(QUOTE, "", "", 0, len(QUOTE))
A2 = Anchor(QUOTE, "", "", 100, 100 + len(QUOTE))
HOUR_AGO = time.time() - 3600


def age(path: Path) -> None:
    os.utime(path, (HOUR_AGO, HOUR_AGO), follow_symlinks=False)


def dead_pid() -> int:
    """A pid that is certainly not running: a child that has exited and been reaped."""
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(child.stdout)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "factdesk.json"
    with Store.open(path) as store:
        store.set_status("art-1", A1, Status.VERIFIED, "alice")
    return path


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


KILLED_WRITER = textwrap.dedent(
    """
    import os, sys, time
    from factdesk.annotations.model import Anchor, Status
    from factdesk.annotations.storage import atomic
    from factdesk.annotations.storage.store import Store

    def stuck(src, dst):  # the temp file is written and synced; the kill comes before the rename
        print("ready", flush=True)
        time.sleep(60)

    store = Store.open(sys.argv[1])
    atomic.os.replace = stuck
    quote = "The ministry confirmed 12 arrests."
    store.set_status("art-1", Anchor(quote, "", "", 100, 100 + len(quote)), Status.DISPUTED, "bob")
    """
)


def test_a_killed_writers_temp_and_lock_are_cleaned_on_open(db: Path) -> None:
    before = db.read_bytes()
    writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdout.readline() == "ready\n"
    finally:
        writer.kill()
        writer.wait()
    temps = [p for p in db.parent.iterdir() if p.name.endswith(".tmp")]
    assert len(temps) == 1 and lock_path(db).exists()  # what a kill leaves
    assert db.read_bytes() == before
    age(temps[0])
    with Store.open(db) as store:
        assert [m.status for m in store.marks()] == [Status.VERIFIED]
        assert not temps[0].exists() and not lock_path(db).exists()
        store.set_status("art-1", A2, Status.DISPUTED, "bob")  # and saving works as ever
    assert sorted(p.name for p in db.parent.iterdir()) == ["factdesk.json", "factdesk.json.bak"]


def test_temp_of_a_live_writer_is_kept_even_when_old(db: Path) -> None:
    live = db.with_name(f"{db.name}.{os.getpid()}.0123456789abcdef.tmp")
    dead = db.with_name(f"{db.name}.{dead_pid()}.fedcba9876543210.tmp")
    young = db.with_name(f"{db.name}.{dead_pid()}.00112233445566ff.tmp")
    for path in (live, dead, young):
        path.write_text("partial", encoding="utf-8")
    age(live)
    age(dead)
    Store.open(db).close()
    assert live.exists() and young.exists()
    assert not dead.exists()


def test_before_restore_and_backup_temps_are_cleaned(db: Path) -> None:
    pid = dead_pid()
    ours = [
        db.with_name(f"{db.name}.before-restore.{pid}.0123456789abcdef.tmp"),
        db.with_name(f"{db.name}.before-restore-20240101T000000.{pid}.0123456789abcdef.tmp"),
        db.with_name(f"{db.name}.bak.{pid}.0123456789abcdef.tmp"),
        db.with_name(f"{db.name}.before-restore.abcd1234.tmp"),  # the name older versions used
    ]
    others = [
        db.with_name(f"{db.name}.mine.{pid}.0123456789abcdef.tmp"),
        db.with_name(f"other.json.{pid}.0123456789abcdef.tmp"),
    ]
    for path in ours + others:
        path.write_text("partial", encoding="utf-8")
        age(path)
    Store.open(db).close()
    assert [p for p in ours if p.exists()] == []
    assert all(p.exists() for p in others)


def test_a_link_named_like_a_temp_is_not_followed_or_removed(db: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep", encoding="utf-8")
    link = db.with_name(f"{db.name}.{dead_pid()}.0123456789abcdef.tmp")
    link.symlink_to(elsewhere)
    age(link)
    assert remove_stale_temps(db) == []
    assert link.is_symlink() and elsewhere.read_text(encoding="utf-8") == "keep"


def test_a_held_lock_is_not_removed(db: Path) -> None:
    holder = FileLock(db)
    holder.acquire()
    try:
        assert remove_stale_lock(db) is False
        assert lock_path(db).exists()
        Store.open(db).close()
        assert lock_path(db).exists()
    finally:
        holder.release()
    assert not lock_path(db).exists()


def test_an_unheld_lock_is_removed_but_never_a_link(db: Path, tmp_path: Path) -> None:
    lock_path(db).write_bytes(b"")
    assert remove_stale_lock(db) is True
    assert not lock_path(db).exists()
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep", encoding="utf-8")
    lock_path(db).symlink_to(elsewhere)
    assert remove_stale_lock(db) is False
    assert lock_path(db).is_symlink() and elsewhere.read_text(encoding="utf-8") == "keep"


@pytest.mark.parametrize("mode", [0o600, 0o660, 0o644])
def test_lock_file_has_the_databases_mode(db: Path, umask: None, mode: int) -> None:
    os.chmod(db, mode)
    seen: list[int] = []
    store = Store.open(db)
    real_write = store._storage.write

    def spy(*args: object, **kwargs: object) -> None:
        seen.append(stat.S_IMODE(os.stat(lock_path(db)).st_mode))
        real_write(*args, **kwargs)  # type: ignore[arg-type]

    store._storage.write = spy  # type: ignore[method-assign]
    store.set_status("art-1", A2, Status.DISPUTED, "bob")
    store.close()
    assert seen == [mode]
    assert stat.S_IMODE(db.stat().st_mode) == mode


def test_lock_of_a_new_database_is_private(tmp_path: Path, umask: None) -> None:
    db = tmp_path / "new.json"
    with FileLock(db):
        assert stat.S_IMODE(os.stat(lock_path(db)).st_mode) == 0o600
