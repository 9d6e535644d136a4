"""A write that dies half-way must leave the previous database intact.

Two angles: a real child process SIGKILLed at random moments while it saves marks one
by one, and deterministic failures injected between writing the temporary file and
renaming it over the database.
"""

from __future__ import annotations

import json
import os
import random
import signal
import stat
import time
from pathlib import Path

import pytest

from factdesk.annotations.model import Anchor, Mark, Status
from factdesk.annotations.storage import atomic
from factdesk.annotations.storage.atomic import atomic_write_bytes, atomic_write_text
from factdesk.annotations.storage.errors import StoreError
from factdesk.annotations.storage.migrations import SCHEMA
from factdesk.annotations.storage.records import mark_to_record
from factdesk.annotations.storage.store import Store

QUOTE = "Government forces evacuated Homs in a hurried retreat, with commanders leaving by helicopter."


def expected_status(i: int) -> Status:
    return Status.VERIFIED if i % 2 else Status.DISPUTED


def seed_database(path: Path, count: int) -> None:
    """A database with ``count`` marks, built directly so the test needn't save them one by one."""
    records = {}
    for n in range(count):
        anchor = Anchor(QUOTE, "Witnesses said: ", " Officials declined", 100_000 + n, 100_090 + n)
        mark = Mark(f"seed-{n % 5}", anchor, Status.VERIFIED, "note " * 10, "seed", "2024-12-09T00:00:00Z")
        records[str(n + 1)] = mark_to_record(mark)
    data = {"meta": {"1": {"app": "factdesk", "schema": SCHEMA}}, "marks": records, "history": {}}
    atomic_write_text(path, json.dumps(data, ensure_ascii=False))


def _child(db: Path, start: int, report: int) -> None:
    """Apply marks start, start+1, … and report each only after set_status returned (on disk)."""
    try:
        store = Store.open(db)
        os.write(report, b"ready\n")
        i = start
        while True:
            anchor = Anchor(quote=f"claim {i}", prefix="p", suffix="s", start=i, end=i + 8)
            store.set_status(f"art-{i % 7}", anchor, expected_status(i), "child")
            os.write(report, f"{i}\n".encode())
            i += 1
    finally:
        os._exit(3)


def _spawn(db: Path, start: int) -> tuple[int, int]:
    """Fork a writer (no interpreter start-up: a kill cycle costs milliseconds, not 100 ms)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        os.close(read)
        _child(db, start, write)
    os.close(write)
    return pid, read


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.slow
def test_sigkill_during_writes_never_loses_a_reported_mark(tmp_path: Path) -> None:
    """≥ 100 SIGKILLs at random moments of a child saving marks one by one; after each kill the
    database must load and hold every mark the child reported as done (target: 100 kills, 0 lost)."""
    db = tmp_path / "factdesk.json"
    # Big enough that a write takes a few milliseconds, so kills do land mid-write.
    seed_database(db, 1500)
    rng = random.Random(20241209)
    done: set[int] = set()
    next_index = 0
    started = time.monotonic()
    kills = mid_write = 0
    seen_temps: set[str] = set()
    while kills < 100 and time.monotonic() - started < 60:
        pid, fd = _spawn(db, next_index)
        try:
            buffer = b""
            while not buffer.startswith(b"ready\n"):
                chunk = os.read(fd, 64)
                assert chunk, "the child died before it was ready"
                buffer += chunk
            time.sleep(rng.uniform(0.0, 0.03))
        finally:
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
        kills += 1
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        out = (buffer + _read_all(fd)).decode()
        os.close(fd)
        # Only complete lines were reported; a torn last line is not a promise.
        reported = [int(line) for line in out.split("\n")[1:-1] if line.strip()]
        done.update(reported)
        if reported:
            next_index = max(reported) + 1
        temps = {p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")}
        if temps - seen_temps:
            mid_write += 1  # killed between creating its temp file and renaming it
        seen_temps |= temps

        store = Store.open(db, read_only=True)  # must not raise: the file is never torn
        try:
            by_start = {m.anchor.start: m for m in store.marks() if m.reviewer == "child"}
            missing = sorted(i for i in done if i not in by_start)
            assert not missing, f"after kill {kills}: marks {missing[:10]} were reported but lost"
            for i in done:
                assert by_start[i].status is expected_status(i)
            assert len(store.marks()) == 1500 + len(by_start)
        finally:
            store.close()
    elapsed = time.monotonic() - started
    assert kills >= 100, f"only {kills} kills in {elapsed:.0f} s"
    assert len(done) > 100, "the children hardly managed to save anything"
    print(f"\n{kills} kills in {elapsed:.1f} s, {len(done)} marks reported, 0 lost, {mid_write} kills mid-write")


def test_failure_between_temp_write_and_replace_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "factdesk.json"
    a1 = Anchor("Homs has fallen.", "", "", 0, 16)
    a2 = Anchor("Damascus is next.", "", "", 17, 34)
    store = Store.open(db)
    kept = store.set_status("art-1", a1, Status.VERIFIED, "alice")
    before = db.read_bytes()

    def broken_replace(src: object, dst: object) -> None:
        assert Path(str(src)).read_bytes() != before  # the new file was fully written…
        raise OSError(28, "No space left on device")  # …and then the rename failed

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(StoreError) as caught:
        store.set_status("art-1", a2, Status.DISPUTED, "alice")
    assert "No space left on device" in str(caught.value) and str(db) in str(caught.value)
    with pytest.raises(StoreError):
        store.set_note("art-1", a1, "lost note", "alice")

    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [db.name]  # no temp file left over
    assert store.marks() == [kept]  # memory still agrees with the disk

    monkeypatch.undo()
    retried = store.set_status("art-1", a2, Status.DISPUTED, "alice")
    assert store.marks() == [kept, retried]
    store.close()
    reopened = Store.open(db)
    assert reopened.marks() == [kept, retried]
    assert reopened.marks()[0].note == ""


def test_failed_first_write_creates_nothing_and_can_be_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "new" / "factdesk.json"
    anchor = Anchor("Homs has fallen.", "", "", 0, 16)
    store = Store.open(db)

    def broken_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(StoreError, match="Input/output error"):
        store.set_status("art-1", anchor, Status.VERIFIED, "alice")
    assert not db.exists()
    assert list(db.parent.iterdir()) == []
    assert store.marks() == []
    monkeypatch.undo()
    mark = store.set_status("art-1", anchor, Status.VERIFIED, "alice")
    store.close()
    assert Store.open(db).marks() == [mark]


def test_atomic_write_replaces_whole_file_and_keeps_permissions(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "file.json"
    atomic_write_text(target, "first — ünïcode")
    assert target.read_text(encoding="utf-8") == "first — ünïcode"
    os.chmod(target, 0o640)
    atomic_write_bytes(target, b"second")
    assert target.read_bytes() == b"second"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in target.parent.iterdir()) == ["file.json"]


def test_atomic_write_replaces_a_symlink_never_writes_through(tmp_path: Path) -> None:
    """A link at the target is replaced (issue 13: a planted link must not redirect a write);
    writing through a user's own link is the caller's explicit choice (``resolve_own_link``)."""
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    atomic_write_text(link, "new")
    assert not link.is_symlink() and link.read_text(encoding="utf-8") == "new"
    assert real.read_text(encoding="utf-8") == "old"
    link.unlink()
    link.symlink_to(real)
    atomic_write_text(atomic.resolve_own_link(link), "through")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "through"


def test_atomic_write_failure_removes_its_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "file.txt"
    target.write_text("old", encoding="utf-8")
    seen: list[str] = []

    def broken_replace(src: str, dst: object) -> None:
        seen.append(src)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    with pytest.raises(PermissionError):
        atomic_write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert seen and not Path(seen[0]).exists()
    assert Path(seen[0]).name.startswith("file.txt.") and seen[0].endswith(".tmp")
