"""Several reviewers: merging databases loses nothing, disagreements stay visible, kappa is right."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from factdesk.annotations.export.briefs import brief_json, brief_markdown
from factdesk.annotations.model import Anchor, ClaimRef, Status
from factdesk.annotations.pipeline.analysis import analyze
from factdesk.annotations.review.agreement import cohen_kappa, summarize_marks
from factdesk.annotations.review.merge import merge_databases
from factdesk.annotations.review.review import Review
from factdesk.annotations.storage.errors import StoreError
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus

REPO = Path(__file__).resolve().parent.parent
V, D = Status.VERIFIED, Status.DISPUTED

# Hand-computed example: 10 claims both marked.
#              bob V   bob D
#   alice V      4       2      alice: 6 V, 4 D
#   alice D      1       3      bob:   5 V, 5 D
# p_o = 7/10 = 0.7; p_e = 0.6·0.5 + 0.4·0.5 = 0.5; kappa = (0.7 − 0.5) / (1 − 0.5) = 0.4
ALICE = [V, V, V, V, V, V, D, D, D, D]
BOB = [V, V, V, V, D, D, V, D, D, D]


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "factdesk", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=120)


def anchor(n: int) -> Anchor:
    return Anchor(f"Claim number {n} of the story.", "", "", n * 40, n * 40 + 29)


def reviewer_db(path: Path, reviewer: str, verdicts: list[Status], notes: int = 0) -> Path:
    with Store.open(path) as store:
        for n, status in enumerate(verdicts):
            store.set_status("art-1", anchor(n), status, reviewer)
        for n in range(notes):
            store.set_note("art-1", anchor(n), f"note {n}", reviewer)
    return path


def test_cohen_kappa_by_hand() -> None:
    pairs = list(zip(ALICE, BOB, strict=True))
    assert cohen_kappa(pairs) == pytest.approx(0.4)
    assert cohen_kappa([(V, V), (D, D)]) == pytest.approx(1.0)
    assert cohen_kappa([(V, D), (D, V)]) == pytest.approx(-1.0)
    assert cohen_kappa([(V, V), (V, V)]) is None  # no variation: undefined, not 1
    assert cohen_kappa([]) is None


def test_merge_keeps_both_reviewers_verdicts(tmp_path: Path) -> None:
    a = reviewer_db(tmp_path / "alice.json", "alice", ALICE, notes=2)
    b = reviewer_db(tmp_path / "bob.json", "bob", BOB)
    out = tmp_path / "merged.json"
    report = merge_databases([a, b], out)
    assert report.marks == 20 and report.reviewers == ("alice", "bob")
    assert report.disagreements == 3
    merged = Store.open(out)
    by = {(m.reviewer, m.anchor.start): m for m in merged.marks()}
    for n in range(10):
        assert by[("alice", anchor(n).start)].status is ALICE[n]
        assert by[("bob", anchor(n).start)].status is BOB[n]
    assert by[("alice", 0)].note == "note 0"
    assert len(merged.history()) == sum(len(Store.open(p, read_only=True).history()) for p in (a, b))
    stats = summarize_marks(merged.marks())
    [pair] = stats.pairs
    assert (pair.a, pair.b, pair.claims, pair.agreed) == ("alice", "bob", 10, 7)
    assert pair.kappa == pytest.approx(0.4)
    assert [(r.reviewer, r.verified, r.disputed, r.notes) for r in stats.reviewers] == [
        ("alice", 6, 4, 2),
        ("bob", 5, 5, 0),
    ]
    # Inputs untouched: no backup of them, no lock file left (merged.json.bak: our second open).
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alice.json", "bob.json", "merged.json", "merged.json.bak"]


def test_same_reviewer_conflict_later_wins_and_history_keeps_both(tmp_path: Path) -> None:
    first, second = tmp_path / "laptop.json", tmp_path / "desktop.json"
    clock = iter(["2024-12-09T10:00:00Z", "2024-12-09T11:00:00Z"])
    with Store.open(second) as store:
        store._timestamp = lambda: "2024-12-09T11:00:00Z"  # type: ignore[method-assign]
        store.set_status("art-1", anchor(0), D, "alice")
    with Store.open(first) as store:
        store._timestamp = lambda: next(clock)  # type: ignore[method-assign]
        store.set_status("art-1", anchor(0), V, "alice")
    out = tmp_path / "merged.json"
    for order in ([first, second], [second, first]):
        out.unlink(missing_ok=True)
        report = merge_databases(order, out)
        merged = Store.open(out)
        [mark] = merged.marks()
        assert mark.status is D and mark.updated == "2024-12-09T11:00:00Z"  # the later change
        states = [(e.action, e.new_status) for e in merged.history()]
        assert ("set", V) in states and ("set", D) in states  # both kept
        assert report.replaced + report.kept == 1


def test_merge_into_an_existing_database_and_refusals(tmp_path: Path) -> None:
    a = reviewer_db(tmp_path / "alice.json", "alice", ALICE[:3])
    out = reviewer_db(tmp_path / "team.json", "zoe", [V])
    merge_databases([a], out)
    assert {m.reviewer for m in Store.open(out).marks()} == {"alice", "zoe"}
    foreign = tmp_path / "notes.json"
    foreign.write_text('{"mine": true}', encoding="utf-8")
    with pytest.raises(StoreError, match="not a factdesk database"):
        merge_databases([a], foreign)
    assert foreign.read_text(encoding="utf-8") == '{"mine": true}'
    with pytest.raises(StoreError, match="no such"):
        merge_databases([tmp_path / "missing.json"], tmp_path / "new.json")
    assert not (tmp_path / "new.json").exists()
    with pytest.raises(StoreError):
        merge_databases([foreign], tmp_path / "new.json")
    assert not (tmp_path / "new.json").exists()


def test_merge_and_stats_commands(tmp_path: Path) -> None:
    a = reviewer_db(tmp_path / "alice.json", "alice", ALICE, notes=1)
    b = reviewer_db(tmp_path / "bob.json", "bob", BOB)
    out = tmp_path / "merged.json"
    merged = run("merge", str(a), str(b), "-o", str(out))
    assert merged.returncode == 0, merged.stderr
    assert "20 marks" in merged.stderr and "alice, bob" in merged.stderr
    text = run("stats", "--db", str(out))
    assert text.returncode == 0, text.stderr
    assert "alice" in text.stdout and "bob" in text.stdout
    assert "kappa 0.40 over 10 claims (7 agreed, 3 disagreed)" in text.stdout
    as_json = run("stats", "--db", str(out), "--json")
    data = json.loads(as_json.stdout)
    assert data["reviewers"] == {
        "alice": {"verified": 6, "disputed": 4, "notes": 1},
        "bob": {"verified": 5, "disputed": 5, "notes": 0},
    }
    [pair] = data["pairs"]
    assert pair["a"] == "alice" and pair["b"] == "bob" and pair["claims"] == 10
    assert math.isclose(pair["kappa"], 0.4)
    assert run("merge", str(a)).returncode == 2  # -o is required
    missing = run("stats", "--db", str(tmp_path / "none.json"))
    assert missing.returncode == 1 and "Traceback" not in missing.stderr


def test_review_shows_one_status_and_lists_disagreements(seeds_copy: Path, tmp_path: Path) -> None:
    analysis = analyze(load_corpus([seeds_copy]))
    article = analysis.articles[0]
    refs = [ClaimRef(article.article.id, s.index) for s in article.claims[:3]]
    a_db, b_db = tmp_path / "a.json", tmp_path / "b.json"
    alice = Review(analysis, Store.open(a_db), "alice")
    bob = Review(analysis, Store.open(b_db), "bob")
    alice.set_status(refs[0], V)
    alice.set_status(refs[1], V)
    bob.set_status(refs[0], D)
    bob.set_status(refs[1], V)
    bob.set_note(refs[2], "a note is not a vote")
    merge_databases([a_db, b_db], tmp_path / "m.json")
    as_alice = Review(analysis, Store.open(tmp_path / "m.json"), "alice")
    as_carol = Review(analysis, Store.open(tmp_path / "m.json"), "carol")
    assert as_alice.disagreements() == [refs[0]]
    assert {r: m.status for r, m in as_alice.verdicts(refs[0]).items()} == {"alice": V, "bob": D}
    assert as_alice.status(refs[0]) is V  # my own verdict first
    assert as_carol.mark(refs[0]).reviewer in {"alice", "bob"}  # else the latest
    assert as_alice.status(refs[2]) is Status.UNREVIEWED
    brief = brief_markdown(as_alice, agreement=True)
    section = brief.split("## Agreement between reviewers")[1]
    assert "| alice | 2 | 0 | 0 |" in section and "| bob | 1 | 1 | 1 |" in section
    assert "| alice / bob | 2 | 1 |" in section
    assert "Claims with differing verdicts: 1." in section
    tokens = MarkdownIt("commonmark").enable("table").parse(brief)
    assert any(t.type == "table_open" for t in tokens)
    assert "## Agreement" not in brief_markdown(as_alice)
    data = json.loads(brief_json(as_alice, agreement=True))
    assert data["agreement"]["disagreements"] == 1
    assert "agreement" not in json.loads(brief_json(as_alice))
