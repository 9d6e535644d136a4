"""``factdesk merge -o`` writes the merged database once: a kill leaves the old output (or none) or the whole merge.

Issue 13, item 5: a merge used to save input by input (each input's marks, then their history), so a kill
part-way left a valid-looking database with some reviewers' marks, or marks without their history.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from factdesk.annotations.model import Anchor, Mark, Status
from factdesk.annotations.review.merge import merge_databases
from factdesk.annotations.storage import layout
from factdesk.annotations.storage.history import entry_to_record
from factdesk.annotations.storage.migrations import SCHEMA
from factdesk.annotations.storage.records import mark_to_record
from factdesk.annotations.storage.store import Store

REPO = Path(__file__).resolve().parent.parent
QUOTE = "Government forces evacuated Homs in a hurried retreat, with commanders leaving by helicopter."


def reviewer_database(path: Path, reviewer: str, count: int, first: int = 0) -> Path:
    """``count`` marks by ``reviewer``, each with its history entry, written directly (saving them one by one
    would take minutes)."""
    marks, history = {}, {}
    for n in range(count):
        start = 100 * (first + n)
        anchor = Anchor(f"{QUOTE} ({first + n})", "Witnesses said: ", " Officials", start, start + 95)
        status = Status.VERIFIED if n % 3 else Status.DISPUTED
        at = f"2024-12-{9 + n % 20:02d}T10:{n % 60:02d}:00Z"
        mark = Mark(f"art-{n % 40}", anchor, status, f"checked {n}" if n % 4 == 0 else "", reviewer, at)
        marks[str(n + 1)] = mark_to_record(mark)
        history[str(n + 1)] = entry_to_record(
            at=at,
            reviewer=reviewer,
            action="set",
            article_id=mark.article_id,
            anchor=anchor,
            old=(Status.UNREVIEWED, ""),
            new=(status, mark.note),
            session=f"{reviewer}-session",
        )
    data = {"meta": {"1": {"app": "factdesk", "schema": SCHEMA}}, "marks": marks, "history": history}
    layout.AtomicJSONStorage(path).write(data)
    return path


def content(path: Path) -> tuple[set[tuple], list[str]]:
    """Every mark (identity, verdict, note, time) and every history record of a database, read from disk."""
    with Store.open(path, read_only=True) as store:
        marks = {
            (m.article_id, m.anchor.quote, m.anchor.start, m.reviewer, m.status, m.note, m.updated)
            for m in store.marks()
        }
        history = sorted(json.dumps(record, sort_keys=True) for record in store.history_records())
    return marks, history


def test_merge_writes_the_output_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Several inputs, an existing output: one atomic replace carries every input's marks and history."""
    a = reviewer_database(tmp_path / "alice.json", "alice", 30)
    b = reviewer_database(tmp_path / "bob.json", "bob", 20)
    c = reviewer_database(tmp_path / "carol.json", "carol", 10)
    out = reviewer_database(tmp_path / "team.json", "zoe", 5)
    writes: list[bytes] = []
    real = layout.atomic_write_bytes

    def counting(path: Path, data: object, *args: object, **kwargs: object) -> None:
        real(path, data, *args, **kwargs)  # type: ignore[arg-type]
        if Path(path) == out:
            writes.append(out.read_bytes())

    monkeypatch.setattr(layout, "atomic_write_bytes", counting)
    report = merge_databases([a, b, c], out)
    assert len(writes) == 1, f"the output was written {len(writes)} times"
    marks, history = content(out)
    assert len(marks) == report.marks == 65 and len(history) == 65
    assert report.history == 60 and report.added == 60
    assert {m[3] for m in marks} == {"alice", "bob", "carol", "zoe"}


def test_merge_of_empty_inputs_still_writes_the_output(tmp_path: Path) -> None:
    empty = tmp_path / "empty.json"
    layout.AtomicJSONStorage(empty).write({"meta": {"1": {"app": "factdesk", "schema": SCHEMA}}})
    out = tmp_path / "merged.json"
    report = merge_databases([empty], out)
    assert out.exists() and report.marks == 0
    assert content(out) == (set(), [])


@pytest.mark.slow
def test_sigkill_during_merge_leaves_the_old_output_or_the_whole_merge(tmp_path: Path) -> None:
    """30 SIGKILLs at random moments of ``factdesk merge A B -o OUT`` (12,000 marks with their history), half
    into a new output and half into an existing one: after each, OUT is absent or the old file byte for byte,
    or the complete merge (every mark and every history record) — never a part of it."""
    a = reviewer_database(tmp_path / "alice.json", "alice", 6000)
    b = reviewer_database(tmp_path / "bob.json", "bob", 6000, first=6000)
    existing = reviewer_database(tmp_path / "existing.json", "zoe", 50, first=20000)
    old_bytes = existing.read_bytes()
    command = [sys.executable, "-m", "factdesk", "merge", str(a), str(b), "-o"]

    expected = {}
    durations = []
    for case in ("new", "existing"):
        reference = tmp_path / f"reference-{case}.json"
        if case == "existing":
            reference.write_bytes(old_bytes)
        started = time.monotonic()
        subprocess.run([*command, str(reference)], cwd=REPO, check=True, capture_output=True, timeout=300)
        durations.append(time.monotonic() - started)
        expected[case] = content(reference)
    assert len(expected["new"][0]) == 12000 and len(expected["new"][1]) == 12000
    assert len(expected["existing"][0]) == 12050

    rng = random.Random(20241213)
    outcomes = {"absent": 0, "old": 0, "complete": 0}
    for kill in range(30):
        case = ("new", "existing")[kill % 2]
        folder = tmp_path / f"kill-{kill}"
        folder.mkdir()
        out = folder / "merged.json"
        if case == "existing":
            out.write_bytes(old_bytes)
        child = subprocess.Popen([*command, str(out)], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.0, max(durations)))
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
        if not out.exists():
            assert case == "new", f"kill {kill}: the existing output vanished"
            outcomes["absent"] += 1
        elif out.read_bytes() == old_bytes:
            outcomes["old"] += 1
        else:
            marks, history = content(out)  # must load: never a torn file
            want_marks, want_history = expected[case]
            assert len(marks) == len(want_marks) and len(history) == len(want_history), (
                f"kill {kill} ({case} output): a partial merge was left: {len(marks)} of {len(want_marks)} marks, "
                f"{len(history)} of {len(want_history)} history records"
            )
            assert marks == want_marks and history == want_history, f"kill {kill}: the merge differs"
            outcomes["complete"] += 1
    print(f"\n30 kills of factdesk merge (runs of {max(durations):.1f} s): {outcomes}")
