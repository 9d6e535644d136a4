"""Two sessions, one database: interleaved writers never lose each other's marks.

Each writer is a real process with its own Store (its own memory of the file), writing
as fast as it can; the lock file and the re-read-if-changed make every save land on top
of the other's latest. A third process keeps reading (as ``factdesk export`` would) and
must always find a whole database.
"""

from __future__ import annotations

import itertools
import os
import time
from pathlib import Path

import pytest

from factdesk.annotations.model import Anchor, Status
from factdesk.annotations.storage.store import Store

PER_WRITER = 500
SHARED = Anchor("The claim both sessions keep changing.", "", "", 10**6, 10**6 + 38)


def _writer(db: Path, name: str, go: int, report: int) -> None:
    try:
        store = Store.open(db)
        os.read(go, 1)  # start together
        for i in range(PER_WRITER):
            anchor = Anchor(f"{name} claim {i}", "", "", i, i + 12)
            store.set_status("art-1", anchor, Status.VERIFIED if i % 2 else Status.DISPUTED, name)
            if i % 50 == 0:  # both sessions also change the same claim, same reviewer
                store.set_status("art-1", SHARED, Status.VERIFIED if name == "a" else Status.DISPUTED, "team")
        os.write(report, b"ok")
        os._exit(0)
    except BaseException as error:  # pragma: no cover - reported to the parent
        os.write(report, f"error {error!r}".encode())
        os._exit(1)


def _reader(db: Path, stop: int, report: int) -> None:
    reads = 0
    try:
        os.set_blocking(stop, False)
        while True:
            try:
                if os.read(stop, 1):
                    break
            except BlockingIOError:
                pass
            with Store.open(db, read_only=True) as store:
                store.marks()
            reads += 1
        os.write(report, f"ok {reads}".encode())
        os._exit(0)
    except BaseException as error:  # pragma: no cover - reported to the parent
        os.write(report, f"error {error!r}".encode())
        os._exit(1)


def _fork(target, *args) -> tuple[int, int]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        os.close(read)
        target(*args, write)
    os.close(write)
    return pid, read


def _finish(pid: int, fd: int) -> str:
    chunks = []
    while chunk := os.read(fd, 4096):
        chunks.append(chunk)
    os.close(fd)
    _, status = os.waitpid(pid, 0)
    message = b"".join(chunks).decode()
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, message
    return message


@pytest.mark.slow
def test_two_writers_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "factdesk.json"
    Store.open(db).ensure_saved()
    go_read, go_write = os.pipe()
    stop_read, stop_write = os.pipe()
    started = time.monotonic()
    writers = [_fork(_writer, db, name, go_read) for name in ("a", "b")]
    reader = _fork(_reader, db, stop_read)
    os.write(go_write, b"gg")
    results = [_finish(pid, fd) for pid, fd in writers]
    os.write(stop_write, b"s")
    reads = _finish(*reader)
    elapsed = time.monotonic() - started
    assert results == ["ok", "ok"]

    store = Store.open(db)
    marks = {(m.reviewer, m.anchor.quote) for m in store.marks()}
    expected = {(name, f"{name} claim {i}") for name in ("a", "b") for i in range(PER_WRITER)}
    lost = expected - marks
    assert not lost, f"{len(lost)} of {len(expected)} marks lost, e.g. {sorted(lost)[:5]}"
    # The shared claim: the later change won, and the history kept every change of both sessions.
    shared = [e for e in store.history() if e.quote == SHARED.quote]
    assert len({e.session for e in shared}) == 2
    final = store.mark("art-1", SHARED, "team")
    assert final is not None and final.status is shared[-1].new_status
    for before, after in itertools.pairwise(shared):
        assert after.old_status is before.new_status  # each change saw the one before it
    mine = [e for e in store.history() if e.reviewer in ("a", "b")]
    assert len(mine) == 2 * PER_WRITER
    assert sorted(p.name for p in tmp_path.iterdir()) == [db.name, f"{db.name}.bak"]  # no lock or temp file left
    print(f"\n{len(expected)} marks by 2 writers in {elapsed:.1f} s, 0 lost; {reads}")
    assert reads.startswith("ok ") and int(reads.split()[1]) > 0
