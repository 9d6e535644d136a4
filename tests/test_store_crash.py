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
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotations import atomic
from annotations.atomic import atomic_write_bytes, atomic_write_text
from annotations.model import Anchor, Mark, Status
from annotations.store import SCHEMA, Store, StoreError, mark_to_record

ROOT = Path(__file__).resolve().parents[1]
QUOTE = "Government forces evacuated Homs in a hurried retreat, with commanders leaving by helicopter."

# The child applies marks start, start+1, ... and reports each one only after
# set_status has returned (i.e. after the rename and the folder fsync).
CHILD = """
import sys
from annotations.model import Anchor, Status
from annotations.store import Store

db, start = sys.argv[1], int(sys.argv[2])
store = Store.open(db)
print("ready", flush=True)
i = start
while True:
    anchor = Anchor(quote=f"claim {i}", prefix="p", suffix="s", start=i, end=i + 8)
    status = Status.VERIFIED if i % 2 else Status.DISPUTED
    store.set_status(f"art-{i % 7}", anchor, status, "child")
    print(i, flush=True)
    i += 1
"""


def expected_status(i: int) -> Status:
    return Status.VERIFIED if i % 2 else Status.DISPUTED


def seed_database(path: Path, count: int) -> None:
    """A database with ``count`` marks, built directly so the test needn't save them one by one."""
    records = {}
    for n in range(count):
        anchor = Anchor(QUOTE, "Witnesses said: ", " Officials declined", 100_000 + n, 100_090 + n)
        mark = Mark(f"seed-{n % 5}", anchor, Status.VERIFIED, "note " * 10, "seed", "2024-12-09T00:00:00Z")
        records[str(n + 1)] = mark_to_record(mark)
    data = {"meta": {"1": {"app": "factdesk", "schema": SCHEMA}}, "marks": records}
    atomic_write_text(path, json.dumps(data, ensure_ascii=False))


def test_sigkill_during_writes_never_loses_a_reported_mark(tmp_path: Path) -> None:
    db = tmp_path / "factdesk.json"
    # Big enough that a write takes a few milliseconds, so kills do land mid-write.
    seed_database(db, 1500)
    rng = random.Random(20241209)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    done: set[int] = set()
    next_index = 0
    deadline = time.monotonic() + 12.0
    kills = 0
    while kills < 20 and time.monotonic() < deadline:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(db), str(next_index)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            first = child.stdout.readline()
            assert first == "ready\n", child.stderr.read()
            time.sleep(rng.uniform(0.0, 0.15))
        finally:
            child.send_signal(signal.SIGKILL)
            out, err = child.communicate(timeout=10)
        kills += 1
        assert child.returncode == -signal.SIGKILL, err
        # Only complete lines were reported; a torn last line is not a promise.
        reported = [int(line) for line in out.split("\n")[:-1] if line.strip()]
        done.update(reported)
        if reported:
            next_index = max(reported) + 1

        store = Store.open(db)  # must not raise: the file is never torn
        try:
            by_start = {m.anchor.start: m for m in store.marks() if m.reviewer == "child"}
            missing = sorted(i for i in done if i not in by_start)
            assert not missing, f"after kill {kills}: marks {missing[:10]} were reported but lost"
            for i in done:
                assert by_start[i].status is expected_status(i)
            assert len(store.marks()) >= 1500 + len(done)
        finally:
            store.close()
    assert kills >= 5, f"only {kills} kills in the time budget"  # 20 normally; fewer on a loaded machine
    assert len(done) > 0, "the child never managed to save a mark"


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


def test_atomic_write_goes_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    atomic_write_text(link, "new")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "new"


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
